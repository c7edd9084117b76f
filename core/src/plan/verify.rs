//! Checking, after enabling Entra, that no other Redis setting moved.
//!
//! The enable PATCH sends `aad-enabled` alone. Whether the service keeps the rest of
//! `redisConfiguration` untouched is not documented, so the app compares the cache read before
//! the write with the one read after it and shows any difference to the admin.

use crate::arm::{AAD_ENABLED, Cache};
use serde_json::Value;
use std::fmt;

/// One setting that differs between two reads of the cache.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingChange {
    Changed {
        key: String,
        before: Value,
        after: Value,
    },
    Removed {
        key: String,
        before: Value,
    },
    Added {
        key: String,
        after: Value,
    },
}

impl fmt::Display for SettingChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        match self {
            Self::Changed { key, before, after } => {
                write!(
                    f,
                    "Redis setting {key} changed from {} to {}.",
                    shown(before),
                    shown(after)
                )
            }
            Self::Removed { key, before } => {
                write!(f, "Redis setting {key} (was {}) is gone.", shown(before))
            }
            Self::Added { key, after } => write!(
                f,
                "Redis setting {key} appeared with value {}.",
                shown(after)
            ),
        }
    }
}

/// The `redisConfiguration` settings other than `aad-enabled` that differ between `before` and
/// `after`, in key order.
pub fn settings_changed(before: &Cache, after: &Cache) -> Vec<SettingChange> {
    let (b, a) = (
        &before.properties.redis_configuration.0,
        &after.properties.redis_configuration.0,
    );
    let mut keys: Vec<&String> = b
        .keys()
        .chain(a.keys())
        .filter(|k| k.as_str() != AAD_ENABLED)
        .collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let key = k.clone();
            match (b.get(k).cloned(), a.get(k).cloned()) {
                (Some(before), Some(after)) if before != after => {
                    Some(SettingChange::Changed { key, before, after })
                }
                (Some(before), None) => Some(SettingChange::Removed { key, before }),
                (None, Some(after)) => Some(SettingChange::Added { key, after }),
                _ => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cache(config: Value) -> Cache {
        serde_json::from_value(
            json!({"id": "x", "name": "c", "properties": {"redisConfiguration": config}}),
        )
        .unwrap()
    }

    #[test]
    fn only_settings_other_than_aad_enabled_count() {
        let before = cache(
            json!({"aad-enabled": "false", "maxmemory-policy": "allkeys-lru", "maxclients": "1000"}),
        );
        let after = cache(
            json!({"aad-enabled": "true", "maxmemory-policy": "allkeys-lru", "maxclients": "1000"}),
        );
        assert_eq!(settings_changed(&before, &after), []);
    }

    #[test]
    fn changed_lost_and_new_settings_are_reported() {
        let before =
            cache(json!({"maxmemory-policy": "allkeys-lru", "notify-keyspace-events": "Ex"}));
        let after = cache(
            json!({"aad-enabled": "true", "maxmemory-policy": "volatile-lru", "maxmemory-reserved": "50"}),
        );
        let shown: Vec<String> = settings_changed(&before, &after)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            [
                "Redis setting maxmemory-policy changed from allkeys-lru to volatile-lru.",
                "Redis setting maxmemory-reserved appeared with value 50.",
                "Redis setting notify-keyspace-events (was Ex) is gone.",
            ]
        );
    }
}
