//! Request paths, relative to the configured Resource Manager base URL, for every call Keyless
//! makes, each with its `api-version`. Names are percent-encoded (a policy named "Data Owner").
//! Paging `nextLink`s and long-running operation URLs are absolute and used verbatim instead.

use super::{REDIS_API_VERSION, RESOURCE_GRAPH_API_VERSION, SUBSCRIPTIONS_API_VERSION};
use crate::ids::{AssignmentName, PolicyName, ResourceId, SubscriptionId, percent_encode};

fn versioned(path: &str, api_version: &str) -> String {
    format!("{path}?api-version={api_version}")
}

/// `GET`: the subscriptions the user can see.
pub fn subscriptions() -> String {
    versioned("/subscriptions", SUBSCRIPTIONS_API_VERSION)
}

/// `GET`: one subscription, for its state.
pub fn subscription(subscription: &SubscriptionId) -> String {
    versioned(
        &format!("/subscriptions/{subscription}"),
        SUBSCRIPTIONS_API_VERSION,
    )
}

/// `POST` a [`QueryRequest`](super::QueryRequest): caches across subscriptions.
pub fn resource_graph() -> String {
    versioned(
        "/providers/Microsoft.ResourceGraph/resources",
        RESOURCE_GRAPH_API_VERSION,
    )
}

/// `GET`: the caches of one subscription, the fallback when Resource Graph is unavailable.
pub fn caches_in_subscription(subscription: &SubscriptionId) -> String {
    versioned(
        &format!("/subscriptions/{subscription}/providers/Microsoft.Cache/redis"),
        REDIS_API_VERSION,
    )
}

/// `GET` to read the cache, `PATCH` to enable Entra or disable access keys.
pub fn cache(id: &ResourceId) -> String {
    versioned(&id.path(), REDIS_API_VERSION)
}

/// `GET`: the cache's access policies, built-in and custom.
pub fn access_policies(id: &ResourceId) -> String {
    versioned(&format!("{}/accessPolicies", id.path()), REDIS_API_VERSION)
}

/// `PUT`: create or update a custom access policy.
pub fn access_policy(id: &ResourceId, name: &PolicyName) -> String {
    versioned(
        &format!(
            "{}/accessPolicies/{}",
            id.path(),
            percent_encode(name.as_str())
        ),
        REDIS_API_VERSION,
    )
}

/// `GET`: the cache's access policy assignments (its Redis users).
pub fn assignments(id: &ResourceId) -> String {
    versioned(
        &format!("{}/accessPolicyAssignments", id.path()),
        REDIS_API_VERSION,
    )
}

/// `PUT` to create or update, `DELETE` to remove one assignment.
pub fn assignment(id: &ResourceId, name: &AssignmentName) -> String {
    versioned(
        &format!(
            "{}/accessPolicyAssignments/{}",
            id.path(),
            percent_encode(name.as_str())
        ),
        REDIS_API_VERSION,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache_id() -> ResourceId {
        ResourceId::parse("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Cache/Redis/cache1").unwrap()
    }

    #[test]
    fn cache_paths_use_lower_case_redis_and_the_2024_11_01_version() {
        let base = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Cache/redis/cache1";
        assert_eq!(cache(&cache_id()), format!("{base}?api-version=2024-11-01"));
        assert_eq!(
            assignments(&cache_id()),
            format!("{base}/accessPolicyAssignments?api-version=2024-11-01")
        );
        assert_eq!(
            access_policies(&cache_id()),
            format!("{base}/accessPolicies?api-version=2024-11-01")
        );
    }

    #[test]
    fn policy_names_with_spaces_are_encoded() {
        let path = access_policy(&cache_id(), &PolicyName::parse("Read Only").unwrap());
        assert!(
            path.ends_with("/accessPolicies/Read%20Only?api-version=2024-11-01"),
            "{path}"
        );
        let oid = crate::ids::ObjectId::parse("6497c918-11ad-41e7-1b0f-7c518a87d0b0").unwrap();
        let path = assignment(&cache_id(), &AssignmentName::for_principal(&oid));
        assert!(path.ends_with(
            "/accessPolicyAssignments/6497c918-11ad-41e7-1b0f-7c518a87d0b0?api-version=2024-11-01"
        ));
    }

    #[test]
    fn listing_paths_carry_their_own_versions() {
        assert_eq!(subscriptions(), "/subscriptions?api-version=2022-12-01");
        assert_eq!(
            resource_graph(),
            "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01"
        );
        let sub = SubscriptionId::parse("00000000-0000-0000-0000-000000000001").unwrap();
        assert_eq!(
            caches_in_subscription(&sub),
            "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Cache/redis?api-version=2024-11-01"
        );
    }
}
