//! The tenant the sandbox starts from: the readable `fixtures/demo-tenant.json` (built in, or
//! another file given by `--fixture`), optionally grown by a generated tenant for benchmarks.

use crate::cli::{LargeSeed, Options};
use crate::directory::{Group, ServicePrincipal, SpaClient, Tenant, User};
use crate::resources::{Cache, Role, RoleAssignment, Sku, Subscription};
use crate::StartError;
use serde::Deserialize;

const DEMO_TENANT: &str = include_str!("../fixtures/demo-tenant.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fixture {
    pub tenant: Tenant,
    pub spa: SpaClient,
    pub users: Vec<User>,
    pub service_principals: Vec<ServicePrincipal>,
    pub groups: Vec<Group>,
    pub subscriptions: Vec<Subscription>,
    pub role_assignments: Vec<RoleAssignment>,
    pub caches: Vec<Cache>,
}

/// Reads the fixture named by the options, adds extra redirect URIs and the generated tenant.
pub fn load(options: &Options) -> Result<Fixture, StartError> {
    let text = match &options.fixture {
        Some(path) => std::fs::read_to_string(path).map_err(|e| StartError::Fixture(format!("{}: {e}", path.display())))?,
        None => DEMO_TENANT.to_owned(),
    };
    let mut fixture: Fixture = serde_json::from_str(&text).map_err(|e| StartError::Fixture(e.to_string()))?;
    fixture.spa.redirect_uris.extend(options.redirect_uris.iter().cloned());
    if let Some(seed) = options.seed_large {
        fixture.grow(seed);
    }
    Ok(fixture)
}

impl Fixture {
    /// Adds `seed.subscriptions` enabled subscriptions of `seed.caches_per_subscription` eligible
    /// caches each, all writable by every principal holding Contributor on the first subscription.
    fn grow(&mut self, seed: LargeSeed) {
        let contributors: Vec<String> = self
            .role_assignments
            .iter()
            .filter(|r| r.role == Role::Contributor)
            .map(|r| r.principal_id.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let skus = [("Basic", "C", 0), ("Standard", "C", 1), ("Premium", "P", 1)];
        for s in 0..seed.subscriptions {
            let subscription_id = format!("{s:08x}-0000-4000-8000-0000b3e4c4a5");
            self.subscriptions.push(Subscription {
                subscription_id: subscription_id.clone(),
                display_name: format!("Benchmark {s:03}"),
                state: "Enabled".into(),
            });
            for principal_id in &contributors {
                self.role_assignments.push(RoleAssignment {
                    principal_id: principal_id.clone(),
                    subscription_id: subscription_id.clone(),
                    role: Role::Contributor,
                });
            }
            for c in 0..seed.caches_per_subscription {
                let (name, family, capacity) = skus[(c as usize) % skus.len()];
                self.caches.push(Cache::new(
                    &subscription_id,
                    &format!("bench-rg-{:02}", c % 3),
                    &format!("bench-{s:03}-{c:03}"),
                    Sku { name: name.into(), family: family.into(), capacity },
                ));
            }
        }
    }
}
