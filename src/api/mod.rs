//! The browser's calls to Azure: Resource Manager and Microsoft Graph clients over one fetch
//! layer (bearer tokens, retries, paging), and the following of long-running operations.
pub mod arm;
mod error;
pub mod graph;
mod http;
pub mod operation;
#[cfg(all(test, target_arch = "wasm32"))]
mod stand_in;

pub use arm::Arm;
pub use error::ApiError;
pub use graph::Graph;
pub use http::{Reply, Waiting};

use crate::auth::{Resource, Session};
use crate::config::Config;
use http::Http;

/// The Resource Manager client for this session; back-offs are reported to `waiting`.
pub fn arm(
    session: &Session,
    config: &Config,
    waiting: leptos::prelude::WriteSignal<Option<Waiting>>,
) -> Arm {
    Arm::new(
        Http::new(session.clone(), Resource::Arm).reporting(waiting),
        &config.arm,
    )
}

/// The Microsoft Graph client for this session.
pub fn graph(session: &Session, config: &Config) -> Graph {
    Graph::new(Http::new(session.clone(), Resource::Graph), &config.graph)
}
