//! The local Azure (the `sandbox` crate) as a child process: built in release, started with a
//! ready-file, and stopped when dropped.

use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::process::{cmd, heading, run, target_dir};

/// Time for a cold start, the big benchmark tenant included.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// What the sandbox announces in its ready-file (only the fields used here).
#[derive(Debug, Deserialize)]
pub struct Ready {
    pub login: String,
    pub arm: String,
    pub graph: String,
    pub control: String,
    pub principals: Vec<Principal>,
}

#[derive(Debug, Deserialize)]
pub struct Principal {
    pub name: String,
    pub kind: String,
    pub upn: Option<String>,
}

pub struct Sandbox {
    child: Child,
    pub ready: Ready,
}

impl Sandbox {
    /// Builds and starts the sandbox (on its default ports unless `args` say otherwise).
    pub fn start(args: &[&str]) -> Result<Self> {
        heading("building the sandbox");
        run(cmd("cargo").args(["build", "--release", "--package", "sandbox"]))?;
        // One file per run, so a demo and a benchmark may run side by side.
        let ready_file = target_dir().join(format!("sandbox-ready-{}.json", std::process::id()));
        // A file left by an earlier run would announce a sandbox that is gone.
        let _ = std::fs::remove_file(&ready_file);
        heading(&format!("starting the sandbox {}", args.join(" ")));
        let mut child = cmd(target_dir().join("release/sandbox"))
            .arg("--ready-file")
            .arg(&ready_file)
            .args(args)
            .spawn()
            .context("starting the sandbox")?;
        let ready = wait_ready(&mut child, &ready_file);
        let _ = std::fs::remove_file(&ready_file);
        match ready {
            Ok(ready) => Ok(Self { child, ready }),
            Err(err) => {
                stop(&mut child);
                Err(err)
            }
        }
    }
}

fn wait_ready(child: &mut Child, ready_file: &Path) -> Result<Ready> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Ok(text) = std::fs::read_to_string(ready_file) {
            return serde_json::from_str(&text).context("reading the sandbox's ready-file");
        }
        if let Some(status) = child.try_wait()? {
            bail!("the sandbox stopped before it was ready ({status})");
        }
        if Instant::now() > deadline {
            bail!("the sandbox was not ready after {START_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}
