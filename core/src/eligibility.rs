//! Whether a cache can switch to Microsoft Entra authentication, and why not.
//!
//! Run on the cache as just re-read through Resource Manager (Resource Graph can lag). Blockers
//! stop the wizard; warnings are shown and the admin may go on; notes are facts worth knowing.

use crate::arm::{Cache, ProvisioningState, Subscription};
use std::fmt;

/// One finding about a cache, with the sentence that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Redis older than 6 has no ACLs, which Entra users rely on.
    RedisTooOld { version: String },
    /// Enterprise, Enterprise Flash and Azure Managed Redis are another resource type.
    EnterpriseTier { tier: String },
    /// The last operation failed; the cache must be repaired first.
    Failed,
    /// Tokens would be usable on the unencrypted port.
    NonTlsPortOpen,
    /// Clients may connect with TLS older than 1.2, which Entra does not support.
    OldTls { version: String },
    /// An operation is running; writes would be refused with 409 until it ends.
    Busy { state: ProvisioningState },
    /// Geo-replicated caches must be unlinked before access keys can be disabled.
    GeoReplicated,
    /// Entra authentication is already on: only users are left to add.
    EntraAlreadyEnabled,
    /// Access keys are already disabled.
    AccessKeysAlreadyDisabled,
    /// The subscription is Disabled, PastDue or Deleted: Azure refuses changes to its resources.
    SubscriptionReadOnly { name: String, state: String },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RedisTooOld { version } => write!(
                f,
                "This cache runs Redis {version}. Microsoft Entra authentication needs Redis 6 or later: \
                 upgrade the Redis version in the portal (Advanced settings), then come back."
            ),
            Self::EnterpriseTier { tier } => write!(
                f,
                "This is an {tier} cache. The Enterprise tiers and Azure Managed Redis configure Microsoft Entra \
                 authentication through their own database access policies, which Keyless does not handle."
            ),
            Self::Failed => f.write_str(
                "The cache's last operation failed. Repair it first (retry the failed change or contact Azure \
                 support), then come back.",
            ),
            Self::NonTlsPortOpen => f.write_str(
                "The non-TLS port 6379 is open. Entra tokens only work over TLS on port 6380; close port 6379 \
                 so no client sends credentials unencrypted.",
            ),
            Self::OldTls { version } => write!(
                f,
                "The minimum TLS version is {version}. Entra authentication needs TLS 1.2: raise the minimum \
                 to 1.2 once every client supports it."
            ),
            Self::Busy { state } => write!(
                f,
                "The cache is busy ({state}). Changes will wait until it is back to Succeeded, which can take a while."
            ),
            Self::GeoReplicated => f.write_str(
                "The cache is geo-replicated. Access keys cannot be disabled on a linked cache: unlink it first, \
                 or keep access keys enabled.",
            ),
            Self::EntraAlreadyEnabled => f.write_str(
                "Microsoft Entra authentication is already enabled on this cache: only Redis users remain to add.",
            ),
            Self::AccessKeysAlreadyDisabled => f.write_str("Access keys are already disabled on this cache."),
            Self::SubscriptionReadOnly { name, state } => write!(
                f,
                "The subscription \u{201c}{name}\u{201d} is {state}: Azure accepts no change to its resources \
                 until it is enabled again."
            ),
        }
    }
}

/// The outcome: blocked with the reasons, ready with warnings, or ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Blocked(Vec<Reason>),
    Warnings(Vec<Reason>),
    Ready,
}

/// A verdict plus notes that neither block nor warn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub verdict: Verdict,
    pub notes: Vec<Reason>,
}

impl Assessment {
    /// Whether the wizard may go on to the Redis users step.
    pub fn can_proceed(&self) -> bool {
        !matches!(self.verdict, Verdict::Blocked(_))
    }

    /// Adds what the cache's subscription allows: none of the writes can succeed in one that
    /// is not enabled.
    pub fn in_subscription(mut self, subscription: &Subscription) -> Self {
        if !subscription.is_enabled() {
            let reason = Reason::SubscriptionReadOnly {
                name: subscription.display_name.clone(),
                state: subscription.state.clone(),
            };
            match &mut self.verdict {
                Verdict::Blocked(reasons) => reasons.push(reason),
                _ => self.verdict = Verdict::Blocked(vec![reason]),
            }
        }
        self
    }
}

/// Judges `cache`. `disable_access_keys` says whether the admin wants keys disabled, which only
/// then makes geo-replication matter.
pub fn assess(cache: &Cache, disable_access_keys: bool) -> Assessment {
    let p = &cache.properties;
    let mut blockers = Vec::new();
    let mut warnings = Vec::new();
    let mut notes = Vec::new();

    let sku_name = p.sku.as_ref().map_or("", |s| s.name.as_str());
    if cache
        .resource_type
        .to_ascii_lowercase()
        .contains("redisenterprise")
        || sku_name.to_ascii_lowercase().starts_with("enterprise")
    {
        let tier = if sku_name.is_empty() {
            "Enterprise"
        } else {
            sku_name
        };
        blockers.push(Reason::EnterpriseTier {
            tier: tier.to_owned(),
        });
    }
    if let Some(version) = p
        .redis_version
        .as_deref()
        .filter(|v| major_version(v).is_some_and(|m| m < 6))
    {
        blockers.push(Reason::RedisTooOld {
            version: version.to_owned(),
        });
    }
    match &p.provisioning_state {
        Some(state) if state.is_failed() => blockers.push(Reason::Failed),
        Some(state) if state.is_busy() => warnings.push(Reason::Busy {
            state: state.clone(),
        }),
        _ => {}
    }
    if p.enable_non_ssl_port {
        warnings.push(Reason::NonTlsPortOpen);
    }
    if let Some(version) = p
        .minimum_tls_version
        .as_deref()
        .filter(|v| tls_below_1_2(v))
    {
        warnings.push(Reason::OldTls {
            version: version.to_owned(),
        });
    }
    if disable_access_keys && cache.geo_replicated() && !p.disable_access_key_authentication {
        warnings.push(Reason::GeoReplicated);
    }
    if cache.entra_enabled() {
        notes.push(Reason::EntraAlreadyEnabled);
    }
    if p.disable_access_key_authentication {
        notes.push(Reason::AccessKeysAlreadyDisabled);
    }

    let verdict = match (blockers.is_empty(), warnings.is_empty()) {
        (false, _) => Verdict::Blocked(blockers),
        (true, false) => Verdict::Warnings(warnings),
        (true, true) => Verdict::Ready,
    };
    Assessment { verdict, notes }
}

/// The major version of "4.0", "6", "6.0.14"; `None` for "latest" and anything unreadable.
fn major_version(version: &str) -> Option<u32> {
    version.trim().split('.').next()?.parse().ok()
}

fn tls_below_1_2(version: &str) -> bool {
    matches!(version.trim(), "1" | "1.0" | "1.1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A healthy Standard cache on Redis 6 with `overrides` merged into its properties.
    fn cache(overrides: serde_json::Value) -> Cache {
        let mut v = json!({
            "id": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Cache/Redis/c1",
            "name": "c1",
            "type": "Microsoft.Cache/Redis",
            "properties": {
                "sku": {"name": "Standard", "family": "C", "capacity": 1},
                "redisVersion": "6.0", "provisioningState": "Succeeded", "enableNonSslPort": false,
                "minimumTlsVersion": "1.2", "redisConfiguration": {}
            }
        });
        for (k, val) in overrides.as_object().unwrap() {
            if k == "type" {
                v["type"] = val.clone();
            } else {
                v["properties"][k] = val.clone();
            }
        }
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_healthy_redis_6_cache_is_ready() {
        assert_eq!(
            assess(&cache(json!({})), true),
            Assessment {
                verdict: Verdict::Ready,
                notes: vec![]
            }
        );
        assert_eq!(
            assess(&cache(json!({"redisVersion": "latest"})), true).verdict,
            Verdict::Ready
        );
    }

    #[test]
    fn redis_4_enterprise_and_failed_caches_are_blocked() {
        let blocked = |o| match assess(&cache(o), false).verdict {
            Verdict::Blocked(reasons) => reasons,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            blocked(json!({"redisVersion": "4.0.14"})),
            [Reason::RedisTooOld {
                version: "4.0.14".into()
            }]
        );
        assert_eq!(
            blocked(
                json!({"type": "Microsoft.Cache/redisEnterprise", "sku": {"name": "EnterpriseFlash_F300"}})
            ),
            [Reason::EnterpriseTier {
                tier: "EnterpriseFlash_F300".into()
            }]
        );
        assert_eq!(
            blocked(json!({"provisioningState": "Failed", "enableNonSslPort": true})),
            [Reason::Failed]
        );
        assert!(
            Reason::RedisTooOld {
                version: "4.0".into()
            }
            .to_string()
            .contains("Redis 6 or later")
        );
    }

    #[test]
    fn open_ports_old_tls_busy_and_geo_replication_warn() {
        let c = cache(json!({
            "enableNonSslPort": true, "minimumTlsVersion": "1.0", "provisioningState": "Scaling",
            "linkedServers": [{"id": "/subscriptions/x/resourceGroups/rg1/providers/Microsoft.Cache/Redis/c1/linkedServers/c2"}]
        }));
        let Verdict::Warnings(w) = assess(&c, true).verdict else {
            panic!()
        };
        assert_eq!(
            w,
            [
                Reason::Busy {
                    state: ProvisioningState("Scaling".into())
                },
                Reason::NonTlsPortOpen,
                Reason::OldTls {
                    version: "1.0".into()
                },
                Reason::GeoReplicated,
            ]
        );
        let Verdict::Warnings(w) = assess(&c, false).verdict else {
            panic!()
        };
        assert!(
            !w.contains(&Reason::GeoReplicated),
            "geo-replication only matters when keys are to be disabled"
        );
    }

    #[test]
    fn entra_already_enabled_is_a_note_not_a_blocker() {
        let a = assess(
            &cache(
                json!({"redisConfiguration": {"aad-enabled": "True"}, "disableAccessKeyAuthentication": true}),
            ),
            true,
        );
        assert_eq!(a.verdict, Verdict::Ready);
        assert_eq!(
            a.notes,
            [
                Reason::EntraAlreadyEnabled,
                Reason::AccessKeysAlreadyDisabled
            ]
        );
        assert!(a.can_proceed());
    }

    #[test]
    fn a_subscription_that_is_not_enabled_blocks_every_cache_in_it() {
        let in_state = |state: &str| -> Subscription {
            serde_json::from_value(json!({
                "subscriptionId": "00000000-0000-0000-0000-000000000001",
                "displayName": "Contoso Legacy", "state": state
            }))
            .unwrap()
        };
        let ready = || assess(&cache(json!({})), false);
        for state in ["Disabled", "PastDue", "Deleted"] {
            let assessment = ready().in_subscription(&in_state(state));
            let Verdict::Blocked(reasons) = &assessment.verdict else {
                panic!("{state}: {:?}", assessment.verdict)
            };
            assert!(
                reasons[0]
                    .to_string()
                    .contains(&format!("Contoso Legacy\u{201d} is {state}"))
            );
        }
        for state in ["Enabled", "Warned"] {
            assert_eq!(
                ready().in_subscription(&in_state(state)),
                ready(),
                "{state}"
            );
        }
        let redis4 = assess(&cache(json!({"redisVersion": "4.0"})), false);
        let both = redis4.clone().in_subscription(&in_state("Disabled"));
        let Verdict::Blocked(reasons) = both.verdict else {
            unreachable!()
        };
        assert_eq!(reasons.len(), 2, "both reasons are given");
    }
}
