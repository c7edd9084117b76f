//! Resource Manager's state: subscriptions, role assignments and Redis caches with their access
//! policies and assignments. Plain data; the wire format lives in `arm`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subscription {
    pub subscription_id: String,
    pub display_name: String,
    /// Enabled, Warned, PastDue, Disabled or Deleted. Only Enabled ones accept writes.
    pub state: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub enum Role {
    Reader,
    Contributor,
    Owner,
}

impl Role {
    pub fn can_write(self) -> bool {
        self >= Role::Contributor
    }
}

/// A role a principal holds on a whole subscription.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleAssignment {
    pub principal_id: String,
    pub subscription_id: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sku {
    pub name: String,
    pub family: String,
    pub capacity: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PolicyKind {
    BuiltIn,
    Custom,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessPolicy {
    pub name: String,
    pub permissions: String,
    #[serde(skip, default = "custom")]
    pub kind: PolicyKind,
    #[serde(skip, default = "succeeded")]
    pub provisioning_state: String,
}

fn custom() -> PolicyKind {
    PolicyKind::Custom
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Assignment {
    pub name: String,
    pub access_policy_name: String,
    pub object_id: String,
    pub object_id_alias: String,
    #[serde(skip, default = "succeeded")]
    pub provisioning_state: String,
}

fn succeeded() -> String {
    "Succeeded".into()
}

/// The built-in access policies every cache has, with the permissions the service reports.
const BUILT_IN_POLICIES: [(&str, &str); 3] = [
    ("Data Owner", "+@all allkeys"),
    ("Data Contributor", "+@all -@dangerous +cluster|info +cluster|nodes +cluster|slots allkeys"),
    ("Data Reader", "+@read +@connection +cluster|info +cluster|nodes +cluster|slots allkeys"),
];

/// A Microsoft.Cache/redis resource. `host_name` and `ssl_port` may point at a local server.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Cache {
    pub subscription_id: String,
    pub resource_group: String,
    pub name: String,
    /// Region display name, as Resource Manager returns it ("West Europe").
    pub location: String,
    #[serde(default)]
    pub tags: Map<String, Value>,
    pub sku: Sku,
    pub redis_version: String,
    #[serde(default)]
    pub enable_non_ssl_port: bool,
    #[serde(default = "tls12")]
    pub minimum_tls_version: String,
    #[serde(default = "enabled")]
    pub public_network_access: String,
    #[serde(default)]
    pub disable_access_key_authentication: bool,
    /// Settings as strings; `aad-enabled` keeps the casing it was last sent with.
    #[serde(default)]
    pub redis_configuration: Map<String, Value>,
    /// Names of the geo-replication partners.
    #[serde(default)]
    pub linked_servers: Vec<String>,
    #[serde(default)]
    pub host_name: Option<String>,
    #[serde(default = "port")]
    pub port: u16,
    #[serde(default = "ssl_port")]
    pub ssl_port: u16,
    #[serde(default = "succeeded")]
    pub provisioning_state: String,
    #[serde(default)]
    pub access_policies: Vec<AccessPolicy>,
    #[serde(default)]
    pub access_policy_assignments: Vec<Assignment>,
}

fn tls12() -> String {
    "1.2".into()
}
fn enabled() -> String {
    "Enabled".into()
}
fn port() -> u16 {
    6379
}
fn ssl_port() -> u16 {
    6380
}

/// Settings every cache reports, as the service fills them in at creation.
fn default_configuration() -> Map<String, Value> {
    [("maxclients", "1000"), ("maxmemory-reserved", "30"), ("maxfragmentationmemory-reserved", "30"), ("maxmemory-delta", "30"), ("maxmemory-policy", "volatile-lru")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
        .collect()
}

impl Cache {
    /// An eligible cache with default settings.
    pub fn new(subscription_id: &str, resource_group: &str, name: &str, sku: Sku) -> Cache {
        Cache {
            subscription_id: subscription_id.into(),
            resource_group: resource_group.into(),
            name: name.into(),
            location: "West Europe".into(),
            tags: Map::new(),
            sku,
            redis_version: "6.0".into(),
            enable_non_ssl_port: false,
            minimum_tls_version: tls12(),
            public_network_access: enabled(),
            disable_access_key_authentication: false,
            redis_configuration: Map::new(),
            linked_servers: Vec::new(),
            host_name: None,
            port: port(),
            ssl_port: ssl_port(),
            provisioning_state: succeeded(),
            access_policies: Vec::new(),
            access_policy_assignments: Vec::new(),
        }
        .seeded()
    }

    /// Completes a cache read from the fixture: built-in policies and default settings.
    pub fn seeded(mut self) -> Cache {
        let mut configuration = default_configuration();
        configuration.extend(std::mem::take(&mut self.redis_configuration));
        self.redis_configuration = configuration;
        let custom = std::mem::take(&mut self.access_policies);
        self.access_policies = BUILT_IN_POLICIES
            .iter()
            .map(|(name, permissions)| AccessPolicy {
                name: (*name).into(),
                permissions: (*permissions).into(),
                kind: PolicyKind::BuiltIn,
                provisioning_state: succeeded(),
            })
            .chain(custom.into_iter().map(|p| AccessPolicy { permissions: with_key_rule(&p.permissions), ..p }))
            .collect();
        self
    }

    pub fn host_name(&self) -> String {
        self.host_name.clone().unwrap_or_else(|| format!("{}.redis.cache.windows.net", self.name))
    }

    /// The id as Resource Manager returns it, with `Microsoft.Cache/Redis`.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Cache/Redis/{}",
            self.subscription_id, self.resource_group, self.name
        )
    }

    /// Anything but a settled state means an operation is running and writes are refused.
    pub fn is_busy(&self) -> bool {
        !matches!(self.provisioning_state.as_str(), "Succeeded" | "Failed" | "Canceled")
    }

    pub fn aad_enabled(&self) -> bool {
        self.redis_configuration.get("aad-enabled").and_then(Value::as_str).is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// Redis 4 has no ACL, so neither access policies nor Entra authentication.
    pub fn supports_acl(&self) -> bool {
        self.redis_version.split('.').next().and_then(|major| major.parse::<u32>().ok()).is_none_or(|major| major >= 6)
    }

    pub fn policy(&self, name: &str) -> Option<&AccessPolicy> {
        self.access_policies.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }

    pub fn assignment(&self, name: &str) -> Option<&Assignment> {
        self.access_policy_assignments.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

/// The service appends `allkeys` to permissions that name no key rule.
pub fn with_key_rule(permissions: &str) -> String {
    let names_keys = permissions
        .split_whitespace()
        .any(|rule| rule == "allkeys" || rule.starts_with('~') || rule.starts_with('%') || rule == "resetkeys");
    if names_keys { permissions.trim().to_owned() } else { format!("{} allkeys", permissions.trim()) }
}

/// All of Resource Manager's state.
#[derive(Debug, Clone)]
pub struct Resources {
    pub subscriptions: Vec<Subscription>,
    pub caches: Vec<Cache>,
    /// The strongest role per (principal, subscription), both lowercase: looked up on every call.
    roles: HashMap<(String, String), Role>,
}

impl Resources {
    pub fn new(subscriptions: Vec<Subscription>, role_assignments: &[RoleAssignment], caches: Vec<Cache>) -> Resources {
        let mut roles: HashMap<(String, String), Role> = HashMap::new();
        for r in role_assignments {
            let held = roles.entry((r.principal_id.to_ascii_lowercase(), r.subscription_id.to_ascii_lowercase())).or_insert(r.role);
            *held = (*held).max(r.role);
        }
        Resources { subscriptions, caches, roles }
    }

    /// The strongest role the principal holds on the subscription.
    pub fn role(&self, principal_id: &str, subscription_id: &str) -> Option<Role> {
        self.roles.get(&(principal_id.to_ascii_lowercase(), subscription_id.to_ascii_lowercase())).copied()
    }

    pub fn subscription(&self, subscription_id: &str) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| s.subscription_id.eq_ignore_ascii_case(subscription_id))
    }

    /// Subscriptions the principal holds any role on.
    pub fn readable_subscriptions<'a>(&'a self, principal_id: &'a str) -> impl Iterator<Item = &'a Subscription> + 'a {
        self.subscriptions.iter().filter(move |s| self.role(principal_id, &s.subscription_id).is_some())
    }

    pub fn cache_index(&self, subscription_id: &str, resource_group: &str, name: &str) -> Option<usize> {
        self.caches.iter().position(|c| {
            c.subscription_id.eq_ignore_ascii_case(subscription_id)
                && c.resource_group.eq_ignore_ascii_case(resource_group)
                && c.name.eq_ignore_ascii_case(name)
        })
    }

    pub fn has_resource_group(&self, subscription_id: &str, resource_group: &str) -> bool {
        self.caches
            .iter()
            .any(|c| c.subscription_id.eq_ignore_ascii_case(subscription_id) && c.resource_group.eq_ignore_ascii_case(resource_group))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allkeys_is_appended_only_without_a_key_rule() {
        assert_eq!(with_key_rule("+get +hget"), "+get +hget allkeys");
        assert_eq!(with_key_rule("+get ~orders:*"), "+get ~orders:*");
        assert_eq!(with_key_rule("+@all allkeys"), "+@all allkeys");
    }

    #[test]
    fn redis_4_has_no_acl() {
        let mut cache = Cache::new("s", "rg", "c", Sku { name: "Basic".into(), family: "C".into(), capacity: 0 });
        assert!(cache.supports_acl());
        cache.redis_version = "4.0.14".into();
        assert!(!cache.supports_acl());
    }
}
