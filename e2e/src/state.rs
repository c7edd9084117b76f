//! The sandbox's state (`GET /state`) read as the tests ask about it: one cache at a time.
use serde_json::Value;

use crate::error::{Error, Result};

/// One cache as the sandbox holds it: its ARM representation, policies and assignments.
#[derive(Debug, Clone)]
pub struct CacheState(Value);

/// One access policy assignment: who (object id) holds which policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub object_id: String,
    pub policy: String,
}

impl CacheState {
    /// The cache called `name` in the state the control API returned.
    pub fn find(state: &Value, name: &str) -> Result<Self> {
        state["subscriptions"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|s| s["caches"].as_array().into_iter().flatten())
            .find(|c| {
                c["cache"]["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .map(|c| Self(c.clone()))
            .ok_or_else(|| Error::new(format!("the sandbox state has no cache {name}")))
    }

    /// The cache's Resource Manager id.
    pub fn id(&self) -> String {
        self.0["cache"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn provisioning_state(&self) -> String {
        self.0["cache"]["properties"]["provisioningState"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// `redisConfiguration["aad-enabled"]`, read case-insensitively; missing means off.
    pub fn aad_enabled(&self) -> bool {
        self.0["cache"]["properties"]["redisConfiguration"]["aad-enabled"]
            .as_str()
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    pub fn assignments(&self) -> Vec<Assignment> {
        self.0["accessPolicyAssignments"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| Assignment {
                object_id: a["properties"]["objectId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_ascii_lowercase(),
                policy: a["properties"]["accessPolicyName"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            })
            .collect()
    }

    /// The policy `object_id` holds, if any.
    pub fn policy_of(&self, object_id: &str) -> Option<String> {
        self.assignments()
            .into_iter()
            .find(|a| a.object_id.eq_ignore_ascii_case(object_id))
            .map(|a| a.policy)
    }
}
