//! What running generated connection code needs: the client libraries (redis-py and
//! redis-entraid in `.tools/clients-venv`, node-redis and ioredis in `e2e/clients`), the runner
//! scripts, and the environment a deployed application would have.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::paths;

/// Where the runner scripts and the npm packages live.
pub fn clients_dir() -> PathBuf {
    paths::workspace_root().join("e2e").join("clients")
}

/// The client libraries, installed from PyPI and npm on first use.
pub struct Tools {
    pub python: PathBuf,
}

pub fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let venv = paths::workspace_root().join(".tools").join("clients-venv");
        let python = venv.join("bin").join("python");
        let installed = |check: &mut Command| check.output().is_ok_and(|o| o.status.success());
        if !installed(Command::new(&python).args(["-c", "import redis_entraid, azure.identity"])) {
            run_to_end(Command::new("python3").arg("-m").arg("venv").arg(&venv));
            run_to_end(
                Command::new(venv.join("bin").join("pip"))
                    .args(["install", "--quiet", "-r"])
                    .arg(clients_dir().join("requirements.txt")),
            );
        }
        if !clients_dir()
            .join("node_modules")
            .join("@redis")
            .join("entraid")
            .exists()
        {
            run_to_end(
                Command::new("npm")
                    .args(["install", "--no-audit", "--no-fund", "--silent"])
                    .current_dir(clients_dir()),
            );
        }
        Tools { python }
    })
}

fn run_to_end(command: &mut Command) {
    let status = command
        .status()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(status.success(), "{command:?} failed: {status}");
}

/// Writes `ca-bundle.pem` in `dir`: the system's trusted roots and the sandbox CA (`ca_file`),
/// for the clients' standard variables; returns its path.
pub fn write_ca_bundle(ca_file: &Path, dir: &Path) -> PathBuf {
    let system = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt").unwrap_or_default();
    let ca = std::fs::read_to_string(ca_file)
        .unwrap_or_else(|e| panic!("reading {}: {e}", ca_file.display()));
    let bundle = dir.join("ca-bundle.pem");
    std::fs::write(&bundle, system + "\n" + &ca).unwrap();
    bundle
}

/// The environment of an application on App Service: the managed-identity endpoint and its
/// header, trust in `ca_bundle` through the libraries' standard variables, and none of the
/// other identity variables the libraries would pick up instead.
pub fn deployed_environment(
    command: &mut Command,
    identity_endpoint: &str,
    identity_header: &str,
    ca_bundle: &Path,
) {
    for variable in [
        "MSI_ENDPOINT",
        "MSI_SECRET",
        "IMDS_ENDPOINT",
        "IDENTITY_SERVER_THUMBPRINT",
        "AZURE_CLIENT_ID",
    ] {
        command.env_remove(variable);
    }
    command
        .env("IDENTITY_ENDPOINT", identity_endpoint)
        .env("IDENTITY_HEADER", identity_header)
        .env("REQUESTS_CA_BUNDLE", ca_bundle)
        .env("SSL_CERT_FILE", ca_bundle)
        .env("NODE_EXTRA_CA_CERTS", ca_bundle);
}
