//! Starting the data plane inside the sandbox (`--data-plane`): a server per cache, the Entra
//! authority over HTTPS for the client libraries, the managed-identity endpoint, and what the
//! ready-file says about them.

use std::{fmt::Write as _, path::PathBuf, sync::Arc};

use axum::Extension;
use serde::{Deserialize, Serialize};
use tokio::{net::TcpListener, sync::watch};
use tokio_rustls::TlsAcceptor;

use super::{
    CacheId, DataPlane, DataPlaneError,
    control_plane::{self, SandboxAccess},
};
use crate::{
    entra::OverHttps,
    managed_identity::{self, IdentityEndpoint},
    state::{Service, Shared},
};

/// The public cloud's authority, named in the HTTPS authority's certificate so a test can send
/// code that hard-codes it to the sandbox by name resolution alone.
const PUBLIC_AUTHORITY_HOST: &str = "login.microsoftonline.com";

/// What a client needs to reach the data plane, as the ready-file announces it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DataPlaneInfo {
    /// The Entra authority over HTTPS (same tenant paths as the login origin).
    pub login_https: String,
    /// `IDENTITY_ENDPOINT` for code running as a managed identity.
    pub identity_endpoint: String,
    /// `IDENTITY_HEADER` for that code.
    pub identity_header: String,
    /// The object id of the identity the endpoint serves when no id is given.
    pub system_assigned_object_id: Option<String>,
    /// The CA certificate (PEM) every data-plane TLS certificate chains to.
    pub ca_file: PathBuf,
    pub caches: Vec<ServedCache>,
}

/// A cache backed by a local server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServedCache {
    pub id: String,
    pub host_name: String,
    pub ssl_port: u16,
    /// The access key, valid until `disableAccessKeyAuthentication` is set.
    pub primary_key: String,
}

impl DataPlaneInfo {
    /// Lines for the start-up banner.
    pub fn banner(&self) -> String {
        let mut text = format!(
            "Data plane\n  login (HTTPS)     {}\n  identity endpoint {}\n  CA certificate    {}\n",
            self.login_https,
            self.identity_endpoint,
            self.ca_file.display()
        );
        for cache in &self.caches {
            let _ = writeln!(
                text,
                "  {}:{:<6} {}",
                cache.host_name, cache.ssl_port, cache.id
            );
        }
        text
    }
}

/// The ports the data plane's listeners take; 0 picks any free port.
pub struct Ports {
    pub login_https: u16,
    pub identity: u16,
}

/// Starts everything `--data-plane` adds and hands the data plane to the sandbox's state.
pub async fn start(
    shared: &Arc<Shared>,
    ports: Ports,
    stop: watch::Receiver<()>,
) -> Result<DataPlaneInfo, DataPlaneError> {
    let plane = DataPlane::new(Arc::new(SandboxAccess::new(shared)))?;
    // From here on, every token minted for Redis is announced to the data plane.
    let _ = shared.data_plane.set(plane.clone());
    control_plane::serve_caches(shared, &plane).await?;
    let ca_file = plane.ca_file();

    let login = TcpListener::bind(("127.0.0.1", ports.login_https)).await?;
    let login_https = format!("https://localhost:{}", login.local_addr()?.port());
    let tls = TlsAcceptor::from(plane.authority().server_config(&[PUBLIC_AUTHORITY_HOST])?);
    let router = crate::http::service_router(crate::entra::router(), shared, Service::Login)
        .layer(Extension(OverHttps));
    tokio::spawn(crate::http::serve_tls(login, tls, router, stop.clone()));

    let identity = TcpListener::bind(("127.0.0.1", ports.identity)).await?;
    let identity_endpoint = format!(
        "http://127.0.0.1:{}{}",
        identity.local_addr()?.port(),
        managed_identity::PATH
    );
    let identity_header = super::random_secret();
    let router = IdentityEndpoint::new(shared.clone(), identity_header.clone()).router();
    tokio::spawn(crate::http::serve(identity, router, stop));

    let caches = served_caches(shared, &plane);
    let system_assigned_object_id = managed_identity::system_assigned(shared).map(|s| s.id);
    Ok(DataPlaneInfo {
        login_https,
        identity_endpoint,
        identity_header,
        system_assigned_object_id,
        ca_file,
        caches,
    })
}

fn served_caches(shared: &Shared, plane: &DataPlane) -> Vec<ServedCache> {
    let world = shared.world();
    world
        .resources
        .caches
        .iter()
        .filter_map(|cache| {
            let endpoint = plane.endpoint(&CacheId::new(&cache.id()))?;
            Some(ServedCache {
                id: cache.id(),
                host_name: cache.host_name(),
                ssl_port: endpoint.port,
                primary_key: endpoint.primary_key,
            })
        })
        .collect()
}
