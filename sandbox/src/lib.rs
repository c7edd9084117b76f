//! A local Azure for Keyless: Entra ID, Resource Manager and Microsoft Graph on three loopback
//! origins, plus a control API on a fourth, so the app and its tests meet CORS, redirects, bearer
//! tokens and long-running operations as they are in the cloud.

pub mod cli;
mod arm;
mod bearer;
mod control;
pub mod data_plane;
mod directory;
mod entra;
mod faults;
mod fixture;
mod graph;
mod http;
mod jwt;
mod managed_identity;
mod operations;
mod ready;
mod resources;
mod state;
mod timing;
mod util;

pub use cli::Options;
pub use ready::{Origins, ReadyInfo};

use std::sync::Arc;
use tokio::net::TcpListener;

/// A running sandbox: its origins and what the ready-file announces. Dropping it stops serving.
pub struct Sandbox {
    pub ready: ReadyInfo,
    _stop: tokio::sync::watch::Sender<()>,
}

/// Why the sandbox could not start.
#[derive(Debug)]
pub enum StartError {
    Fixture(String),
    Bind { service: &'static str, port: u16, source: std::io::Error },
    Option(String),
    DataPlane(data_plane::DataPlaneError),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Fixture(why) => write!(f, "cannot load the fixture: {why}"),
            StartError::Bind { service, port, source } => {
                write!(f, "cannot listen for {service} on 127.0.0.1:{port}: {source}")
            }
            StartError::Option(why) => write!(f, "{why}"),
            StartError::DataPlane(e) => write!(f, "cannot start the data plane: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

/// Binds the four loopback listeners, seeds the state and starts serving on the current runtime.
pub async fn start(options: Options) -> Result<Sandbox, StartError> {
    let fixture = fixture::load(&options)?;
    let bind = |service: &'static str, port: u16| async move {
        TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|source| StartError::Bind { service, port, source })
    };
    let login = bind("login", options.login_port).await?;
    let arm = bind("arm", options.arm_port).await?;
    let graph = bind("graph", options.graph_port).await?;
    let control = bind("control", options.control_port).await?;
    let origin = |l: &TcpListener| format!("http://{}", l.local_addr().expect("bound listener"));
    let origins = Origins {
        login: origin(&login),
        arm: origin(&arm),
        graph: origin(&graph),
        control: origin(&control),
    };
    let shared = Arc::new(state::Shared::new(options, fixture, origins.clone()));
    let mut ready = ReadyInfo::new(&shared);

    let (stop, stopped) = tokio::sync::watch::channel(());
    let routers = [
        (login, http::service_router(entra::router(), &shared, state::Service::Login)),
        (arm, http::service_router(arm::router(), &shared, state::Service::Arm)),
        (graph, http::service_router(graph::router(), &shared, state::Service::Graph)),
        (control, control::router(&shared)),
    ];
    for (listener, router) in routers {
        tokio::spawn(http::serve(listener, router, stopped.clone()));
    }
    if shared.options.data_plane {
        let ports = data_plane::launch::Ports { login_https: shared.options.login_https_port, identity: shared.options.identity_port };
        ready.data_plane = Some(data_plane::launch::start(&shared, ports, stopped.clone()).await.map_err(StartError::DataPlane)?);
    }
    Ok(Sandbox { ready, _stop: stop })
}
