//! Subscriptions the signed-in user can see (`GET /subscriptions?api-version=2022-12-01`).

use crate::ids::{SubscriptionId, TenantId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub subscription_id: SubscriptionId,
    #[serde(default)]
    pub display_name: String,
    pub tenant_id: Option<TenantId>,
    /// Enabled, Warned, PastDue, Disabled or Deleted.
    #[serde(default)]
    pub state: String,
}

impl Subscription {
    /// Whether its caches can still be changed: Enabled, or Warned (a billing warning that does
    /// not yet restrict writes). PastDue, Disabled and Deleted subscriptions are read-only or gone.
    pub fn is_enabled(&self) -> bool {
        ["Enabled", "Warned"]
            .iter()
            .any(|s| self.state.eq_ignore_ascii_case(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arm::List;
    use serde_json::json;

    #[test]
    fn the_spec_example_page_is_read_with_its_next_link() {
        let page: List<Subscription> = serde_json::from_value(json!({
            "value": [
                {"id": "/subscriptions/291bba3f-e0a5-47bc-a099-3bdcb2a50a05", "subscriptionId": "291bba3f-e0a5-47bc-a099-3bdcb2a50a05",
                 "tenantId": "31c75423-32d6-4322-88b7-c478bdde4858", "displayName": "Example Subscription", "state": "Enabled",
                 "authorizationSource": "RoleBased", "managedByTenants": [{"tenantId": "8f70baf1-1f6e-46a2-a1ff-238dac1ebfb7"}]},
                {"subscriptionId": "72ac930a-f34e-42d8-b06d-dc2a9e12ed71", "displayName": "Old", "state": "Disabled"}
            ],
            "nextLink": "https://management.azure.com/subscriptions?api-version=2022-12-01&$skiptoken=abc"
        }))
        .unwrap();
        let enabled: Vec<&str> = page
            .value
            .iter()
            .filter(|s| s.is_enabled())
            .map(|s| s.display_name.as_str())
            .collect();
        assert_eq!(enabled, ["Example Subscription"]);
        assert!(page.next_link.unwrap().contains("$skiptoken=abc"));
    }
}
