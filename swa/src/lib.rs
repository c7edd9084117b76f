//! A local Azure Static Web Apps host: serves a built `dist/` folder on loopback with the
//! headers, navigation fallback and MIME types of its `staticwebapp.config.json`, so the
//! demo and every end-to-end test run under the production Content-Security-Policy.
//!
//! ```no_run
//! let server = swa::serve("dist".into(), swa::default_addr())?;
//! println!("serving on {}", server.url());
//! # Ok::<(), swa::Error>(())
//! ```

mod config;
mod glob;
mod http;
mod server;
mod site;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

pub use server::{ServerHandle, serve};

/// The port the demo serves the app on.
pub const DEFAULT_PORT: u16 = 8400;

/// `127.0.0.1:8400`.
pub fn default_addr() -> SocketAddr {
    (Ipv4Addr::LOCALHOST, DEFAULT_PORT).into()
}

/// Why the host could not start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: not valid staticwebapp.config.json: {source}")]
    Config {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} is not a folder: build the app first (cargo xtask build)")]
    NoSite(PathBuf),
    #[error("refusing to listen on {0}: this host serves loopback only")]
    NotLoopback(SocketAddr),
    #[error("cannot listen on {addr}: {reason}")]
    Bind { addr: SocketAddr, reason: String },
}
