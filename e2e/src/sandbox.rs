//! The sandbox (emulated Entra ID, ARM and Graph) run from its release binary, test timing.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::control::Control;
use crate::error::{Error, Result};
use crate::paths;
use crate::process::ChildGuard;

/// What the sandbox writes to its ready file once it listens.
#[derive(Debug, Clone, Deserialize)]
pub struct Ready {
    pub login: String,
    pub arm: String,
    pub graph: String,
    pub control: String,
    pub tenant_id: String,
    pub spa_client_id: String,
    pub principals: Vec<Principal>,
    /// With `--data-plane`: the caches' real Redis servers and how clients reach and trust them.
    #[serde(default)]
    pub data_plane: Option<DataPlane>,
}

/// The ready file's `data_plane` object.
#[derive(Debug, Clone, Deserialize)]
pub struct DataPlane {
    /// The Entra authority over HTTPS.
    pub login_https: String,
    /// `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` for code running as a managed identity.
    pub identity_endpoint: String,
    pub identity_header: String,
    /// The identity the endpoint serves when no id is given.
    pub system_assigned_object_id: Option<String>,
    /// The CA certificate (PEM) the servers' certificates chain to.
    pub ca_file: PathBuf,
    pub caches: Vec<ServedCache>,
}

/// A cache served by a local Redis server.
#[derive(Debug, Clone, Deserialize)]
pub struct ServedCache {
    /// The ARM resource id.
    pub id: String,
    pub host_name: String,
    pub ssl_port: u16,
    pub primary_key: String,
}

/// A seeded directory object: user, service principal, managed identity or group.
#[derive(Debug, Clone, Deserialize)]
pub struct Principal {
    pub name: String,
    pub object_id: String,
    pub kind: String,
    pub upn: Option<String>,
    pub client_id: Option<String>,
    pub secret: Option<String>,
}

impl Ready {
    /// The seeded principal whose name or UPN is `who`.
    pub fn principal(&self, who: &str) -> Result<&Principal> {
        self.principals
            .iter()
            .find(|p| p.name == who || p.upn.as_deref() == Some(who))
            .ok_or_else(|| Error::new(format!("the sandbox has no principal named {who}")))
    }
}

/// A running sandbox; dropping it stops the process.
pub struct Sandbox {
    pub ready: Ready,
    pub control: Control,
    _child: ChildGuard,
    _dir: tempfile::TempDir,
}

impl Sandbox {
    /// Starts the release sandbox on free ports, with near-instant long operations, accepting
    /// `app_origin` as a SPA redirect URI; `extra` options are passed on (`--data-plane`, ...).
    pub async fn start(app_origin: &str, extra: &[&str]) -> Result<Self> {
        let binary = release_binary()?;
        let dir =
            tempfile::tempdir().map_err(|e| Error::context("making a temporary folder", e))?;
        let ready_file = dir.path().join("ready.json");
        let mut child = ChildGuard::spawn(
            "the sandbox",
            Command::new(&binary)
                // Test timing unless the test asks for another.
                .args(if extra.contains(&"--timing") {
                    &[][..]
                } else {
                    &["--timing", "test"]
                })
                .args([
                    "--login-port=0",
                    "--arm-port=0",
                    "--graph-port=0",
                    "--control-port=0",
                ])
                .arg(format!("--redirect-uri={app_origin}/"))
                .arg("--ready-file")
                .arg(&ready_file)
                .args(extra),
        )?;
        let ready = wait_for_ready_file(&ready_file, &mut child, Duration::from_secs(30)).await?;
        let control = Control::new(&ready.control);
        Ok(Self {
            ready,
            control,
            _child: child,
            _dir: dir,
        })
    }
}

/// Builds the sandbox in release once per test run, so the tests never meet a stale binary.
fn release_binary() -> Result<PathBuf> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let status = Command::new(cargo)
                .args(["build", "--release", "--quiet", "-p", "sandbox"])
                .current_dir(paths::workspace_root())
                .status()
                .map_err(|e| format!("running cargo build -p sandbox: {e}"))?;
            if !status.success() {
                return Err(format!("cargo build --release -p sandbox failed: {status}"));
            }
            Ok(paths::target_dir().join("release").join("sandbox"))
        })
        .clone()
        .map_err(Error::new)
}

async fn wait_for_ready_file(
    path: &Path,
    child: &mut ChildGuard,
    within: Duration,
) -> Result<Ready> {
    let start = Instant::now();
    loop {
        child.check_running()?;
        // The file may exist before its writer is done: only a complete parse counts.
        if let Ok(text) = std::fs::read_to_string(path)
            && let Ok(ready) = serde_json::from_str::<Ready>(&text)
        {
            return Ok(ready);
        }
        if start.elapsed() > within {
            return Err(Error::new(format!(
                "the sandbox wrote no readable {} within {within:?}",
                path.display()
            )));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
