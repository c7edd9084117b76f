//! One `redis-server` process per cache. It listens on no TCP port at all, only on a unix
//! socket inside its own temporary directory: clients reach it through the gateway, and the
//! sandbox administers it as a user no client can log in as.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use tempfile::TempDir;
use tokio::{
    net::UnixStream,
    process::{Child, Command},
    time::{Instant, sleep},
};

use super::{DataPlaneError, acl::PasswordDigest, resp};

/// The user the sandbox administers each server as. Clients use object ids (GUIDs) and
/// `default`, so this name cannot collide with theirs.
const ADMIN_USER: &str = "sandbox-admin";
/// How long a server may take to open its socket.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// A running server, stopped (and its directory removed) when dropped.
pub struct RedisProcess {
    socket: PathBuf,
    admin_password: String,
    // Field order matters: the process is killed before its directory is removed.
    _child: Child,
    _dir: TempDir,
}

/// The admin connection to a server.
pub type Admin = resp::Connection<UnixStream>;

impl RedisProcess {
    /// Starts a server with no data persistence and every client user but the admin disabled
    /// until the first reconciliation.
    pub async fn start() -> Result<Self, DataPlaneError> {
        let dir = tempfile::Builder::new()
            .prefix("keyless-redis-")
            .tempdir()?;
        let socket = dir.path().join("redis.sock");
        let admin_password = super::random_secret();
        let config = dir.path().join("redis.conf");
        tokio::fs::write(&config, config_text(dir.path(), &socket, &admin_password)).await?;
        let mut command = Command::new("redis-server");
        command
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        // A sandbox killed outright never drops its caches: the kernel then stops the servers.
        // SAFETY: prctl is async-signal-safe and touches only the child being set up.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
        let mut child = command
            .spawn()
            .map_err(|e| DataPlaneError::ServerStart(format!("cannot run redis-server: {e}")))?;
        let deadline = Instant::now() + START_TIMEOUT;
        while UnixStream::connect(&socket).await.is_err() {
            if let Some(status) = child.try_wait()? {
                let log = std::fs::read_to_string(dir.path().join("redis.log")).unwrap_or_default();
                return Err(DataPlaneError::ServerStart(format!(
                    "redis-server exited ({status}): {log}"
                )));
            }
            if Instant::now() > deadline {
                return Err(DataPlaneError::ServerStart(
                    "redis-server did not open its socket".into(),
                ));
            }
            sleep(Duration::from_millis(20)).await;
        }
        Ok(Self {
            socket,
            admin_password,
            _child: child,
            _dir: dir,
        })
    }

    /// The socket the gateway relays client connections to.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// A new authenticated admin connection.
    pub async fn admin(&self) -> Result<Admin, DataPlaneError> {
        let mut admin = resp::Connection::new(UnixStream::connect(&self.socket).await?);
        let login = admin
            .call(&["AUTH", ADMIN_USER, &self.admin_password])
            .await?;
        if let resp::Reply::Error(reply) = login {
            return Err(DataPlaneError::Refused {
                command: "the sandbox's own login".into(),
                reply,
            });
        }
        Ok(admin)
    }
}

fn config_text(dir: &Path, socket: &Path, admin_password: &str) -> String {
    let admin = PasswordDigest::of(admin_password);
    // Azure's caches run Redis 6, where pub/sub channels are open to every user unless the
    // rules say otherwise; Redis 7 closes them by default.
    format!(
        "port 0\n\
         unixsocket {socket}\n\
         unixsocketperm 700\n\
         dir {dir}\n\
         logfile {dir}/redis.log\n\
         daemonize no\n\
         save \"\"\n\
         appendonly no\n\
         acl-pubsub-default allchannels\n\
         user default off\n\
         user {ADMIN_USER} on #{admin} ~* &* +@all\n",
        socket = socket.display(),
        dir = dir.display(),
        admin = admin.as_hex(),
    )
}
