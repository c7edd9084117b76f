//! Child processes that die with the test, and waiting for a port to answer.
use std::net::{SocketAddr, TcpListener};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// A spawned process, leading its own process group so that dropping the guard
/// also ends what it started (chromedriver's Chromium, for one).
pub struct ChildGuard {
    name: &'static str,
    child: Child,
}

impl ChildGuard {
    /// Spawns `command` in a new process group; output goes to the test's stderr.
    pub fn spawn(name: &'static str, command: &mut Command) -> Result<Self> {
        let child = command
            .process_group(0)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| Error::context(&format!("starting {name}"), e))?;
        Ok(Self { name, child })
    }

    /// Fails if the process has already exited, so a start-up crash is reported as such.
    pub fn check_running(&mut self) -> Result<()> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(Error::new(format!("{} exited early: {status}", self.name))),
            Err(e) => Err(Error::context(&format!("watching {}", self.name), e)),
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        // The group id is the child's pid (process_group(0)); a negative pid names the group.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nobody is listening on right now.
pub fn free_port() -> Result<u16> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| Error::context("finding a free port", e))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| Error::context("finding a free port", e))
}

/// Polls until `addr` accepts a connection, checking the child is still alive.
pub async fn wait_for_port(
    addr: SocketAddr,
    child: &mut ChildGuard,
    within: Duration,
) -> Result<()> {
    let start = Instant::now();
    loop {
        child.check_running()?;
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return Ok(());
        }
        if start.elapsed() > within {
            return Err(Error::new(format!(
                "{} did not listen on {addr} within {within:?}",
                child.name
            )));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
