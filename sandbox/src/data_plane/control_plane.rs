//! The sandbox's Resource Manager state as the data plane sees it: which caches get a server,
//! where ARM says they are, and who may log in to each.

use std::sync::{Arc, Weak};

use super::{AccessSource, CacheId, DataPlane, DataPlaneError, acl::CacheAccess};
use crate::{
    resources::{Cache, Resources},
    state::Shared,
};

/// The host name ARM reports for caches served locally: every server certificate carries it,
/// and unlike an IP address it is a valid TLS server name for every client library.
pub const LOCAL_HOST_NAME: &str = "localhost";

/// How many caches the data plane will start servers for: the demo tenant's, not a generated
/// benchmark tenant's thousands.
const MOST_SERVERS: usize = 64;

/// Reads cache access from the sandbox's state.
pub struct SandboxAccess(Weak<Shared>);

impl SandboxAccess {
    pub fn new(shared: &Arc<Shared>) -> Self {
        Self(Arc::downgrade(shared))
    }
}

impl AccessSource for SandboxAccess {
    fn access(&self, id: &CacheId) -> Option<CacheAccess> {
        let shared = self.0.upgrade()?;
        let world = shared.world();
        let cache = world
            .resources
            .caches
            .iter()
            .find(|c| CacheId::new(&c.id()) == *id)?;
        Some(access_of(cache))
    }
}

/// What decides who may log in: the Entra switch, the key switch and the assignments, each
/// object id (lower-cased, as tokens carry it) with its policy's permissions.
fn access_of(cache: &Cache) -> CacheAccess {
    let assignments = cache
        .access_policy_assignments
        .iter()
        .filter_map(|a| {
            let policy = cache.policy(&a.access_policy_name)?;
            Some((a.object_id.to_ascii_lowercase(), policy.permissions.clone()))
        })
        .collect();
    CacheAccess {
        entra_enabled: cache.aad_enabled(),
        access_keys_enabled: !cache.disable_access_key_authentication,
        assignments,
    }
}

/// Starts a server for every cache that has Redis ACL (Redis 6 and later, as Entra requires)
/// and points the caches' `hostName` and `sslPort` at them.
pub async fn serve_caches(shared: &Shared, plane: &DataPlane) -> Result<(), DataPlaneError> {
    let caches: Vec<(CacheId, String)> = {
        let world = shared.world();
        world
            .resources
            .caches
            .iter()
            .filter(|c| c.supports_acl())
            .map(|c| (CacheId::new(&c.id()), c.host_name()))
            .collect()
    };
    if caches.len() > MOST_SERVERS {
        return Err(DataPlaneError::TooManyCaches {
            caches: caches.len(),
            most: MOST_SERVERS,
        });
    }
    for (id, host_name) in caches {
        plane.open(id, &host_name).await?;
    }
    point_at_servers(&mut shared.world().resources, plane);
    Ok(())
}

/// Makes ARM report the local servers' address; needed again whenever the state is re-seeded.
pub fn point_at_servers(resources: &mut Resources, plane: &DataPlane) {
    for cache in &mut resources.caches {
        if let Some(endpoint) = plane.endpoint(&CacheId::new(&cache.id())) {
            cache.host_name = Some(LOCAL_HOST_NAME.to_owned());
            cache.ssl_port = endpoint.port;
        }
    }
}
