//! The `Microsoft.Cache/redis` resource, reduced to what Keyless reads.

use crate::ids::{IdError, ResourceId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A cache as Resource Manager's GET or Resource Graph's `project ... properties` returns it.
/// Unknown fields are ignored; every property tolerates absence, because Resource Graph rows
/// can lag behind or be partial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cache {
    /// The id exactly as returned; see [`Cache::resource_id`].
    pub id: String,
    pub name: String,
    /// `Microsoft.Cache/Redis` (any casing), or `Microsoft.Cache/redisEnterprise` for tiers
    /// Keyless cannot switch.
    #[serde(rename = "type", default)]
    pub resource_type: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub properties: CacheProperties,
}

impl Cache {
    /// The parsed id, refused for resource types other than `Microsoft.Cache/redis`.
    pub fn resource_id(&self) -> Result<ResourceId, IdError> {
        ResourceId::parse(&self.id)
    }

    /// Whether Microsoft Entra authentication is on (`redisConfiguration["aad-enabled"]`).
    pub fn entra_enabled(&self) -> bool {
        self.properties.redis_configuration.aad_enabled()
    }

    /// Whether the cache takes part in geo-replication (has linked servers).
    pub fn geo_replicated(&self) -> bool {
        !self.properties.linked_servers.is_empty()
    }

    /// The tier as shown to people: "Premium P1", "Standard C0", or "unknown tier".
    pub fn tier(&self) -> String {
        match &self.properties.sku {
            Some(sku) => format!("{} {}{}", sku.name, sku.family, sku.capacity),
            None => "unknown tier".to_owned(),
        }
    }
}

/// `properties` of a cache.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CacheProperties {
    pub sku: Option<Sku>,
    /// "4.0", "6.0", "6", "latest", ...
    pub redis_version: Option<String>,
    /// `<name>.redis.cache.windows.net`.
    pub host_name: Option<String>,
    /// The non-TLS port (6379).
    pub port: Option<u16>,
    /// The TLS port (6380): the only one Entra tokens may be used on.
    pub ssl_port: Option<u16>,
    pub enable_non_ssl_port: bool,
    /// "1.0", "1.1" or "1.2"; absent means the service default (1.2).
    pub minimum_tls_version: Option<String>,
    pub provisioning_state: Option<ProvisioningState>,
    pub public_network_access: Option<String>,
    pub redis_configuration: RedisConfiguration,
    pub disable_access_key_authentication: bool,
    pub linked_servers: Vec<LinkedServer>,
}

/// `properties.sku`. `name` is an open set on the wire (Basic, Standard, Premium, and Enterprise
/// tiers in Resource Graph rows of other resource types).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sku {
    pub name: String,
    #[serde(default)]
    pub family: String,
    #[serde(default)]
    pub capacity: u32,
}

/// One geo-replication link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedServer {
    pub id: String,
}

/// A cache's provisioning state. The set is open (Azure adds states such as
/// `UpgradingRedisServerVersion` that the spec lacks), so any value is kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProvisioningState(pub String);

impl ProvisioningState {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_succeeded(&self) -> bool {
        self.0.eq_ignore_ascii_case("Succeeded")
    }

    pub fn is_failed(&self) -> bool {
        self.0.eq_ignore_ascii_case("Failed")
    }

    /// The cache is in the middle of an operation: anything but Succeeded, Failed or Canceled.
    /// A write sent now would be answered 409 Conflict.
    pub fn is_busy(&self) -> bool {
        !(self.is_succeeded() || self.is_failed() || self.0.eq_ignore_ascii_case("Canceled"))
    }

    /// Entra authentication is being switched on (nodes are rebooting).
    pub fn is_configuring_entra(&self) -> bool {
        self.0.eq_ignore_ascii_case("ConfiguringAAD")
    }
}

impl fmt::Display for ProvisioningState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `properties.redisConfiguration`: string settings keyed by name. Kept whole so nothing read is
/// lost, with typed access to the one setting Keyless changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RedisConfiguration(pub BTreeMap<String, serde_json::Value>);

/// The setting that switches Microsoft Entra authentication on.
pub const AAD_ENABLED: &str = "aad-enabled";

impl RedisConfiguration {
    /// `aad-enabled`, which the service echoes in whatever casing was sent ("true", "False"):
    /// compared case-insensitively; a missing or non-string value means off.
    pub fn aad_enabled(&self) -> bool {
        self.0
            .get(AAD_ENABLED)
            .and_then(|v| v.as_str())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The spec's `RedisCacheGet` example answer, trimmed of what Keyless ignores.
    fn spec_get_example() -> serde_json::Value {
        json!({
            "name": "cache1",
            "type": "Microsoft.Cache/Redis",
            "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Cache/Redis/cache1",
            "location": "East US",
            "properties": {
                "enableNonSslPort": true,
                "hostName": "cache1.redis.cache.windows.net",
                "instances": [{"isMaster": true, "isPrimary": true, "nonSslPort": 13000, "sslPort": 15000}],
                "linkedServers": [{"id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Cache/Redis/cache1/linkedServers/cache2"}],
                "port": 6379,
                "provisioningState": "Creating",
                "publicNetworkAccess": "Enabled",
                "redisConfiguration": {},
                "redisVersion": "3.2",
                "replicasPerMaster": 2,
                "sku": {"name": "Premium", "capacity": 3, "family": "P"},
                "sslPort": 6380,
                "updateChannel": "Stable"
            },
            "tags": {}
        })
    }

    #[test]
    fn the_spec_get_example_is_read() {
        let cache: Cache = serde_json::from_value(spec_get_example()).unwrap();
        let p = &cache.properties;
        assert_eq!(cache.resource_id().unwrap().name().as_str(), "cache1");
        assert_eq!(p.sku.as_ref().unwrap().name, "Premium");
        assert_eq!(cache.tier(), "Premium P3");
        assert_eq!(
            (p.port, p.ssl_port, p.enable_non_ssl_port),
            (Some(6379), Some(6380), true)
        );
        assert_eq!(
            p.host_name.as_deref(),
            Some("cache1.redis.cache.windows.net")
        );
        assert_eq!(p.redis_version.as_deref(), Some("3.2"));
        assert!(p.provisioning_state.as_ref().unwrap().is_busy());
        assert!(cache.geo_replicated());
        assert!(!cache.entra_enabled());
        assert!(!p.disable_access_key_authentication);
    }

    #[test]
    fn aad_enabled_is_case_insensitive_and_missing_means_off() {
        let config =
            |v: serde_json::Value| serde_json::from_value::<RedisConfiguration>(v).unwrap();
        assert!(config(json!({"aad-enabled": "True"})).aad_enabled());
        assert!(config(json!({"aad-enabled": "true", "maxclients": "1000"})).aad_enabled());
        assert!(!config(json!({"aad-enabled": "False"})).aad_enabled());
        assert!(!config(json!({"maxclients": "1000"})).aad_enabled());
    }

    #[test]
    fn provisioning_states_outside_the_spec_are_kept_and_busy() {
        let cache: Cache = serde_json::from_value(json!({
            "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Cache/Redis/c",
            "name": "c",
            "properties": {"provisioningState": "UpgradingRedisServerVersion"}
        }))
        .unwrap();
        let state = cache.properties.provisioning_state.unwrap();
        assert_eq!(state.as_str(), "UpgradingRedisServerVersion");
        assert!(state.is_busy());
        for idle in ["Succeeded", "failed", "Canceled"] {
            assert!(!ProvisioningState(idle.into()).is_busy(), "{idle}");
        }
    }
}
