//! The Resource Manager id of an Azure Cache for Redis.

use super::{CacheName, IdError, ResourceGroupName, SubscriptionId, percent_encode};
use std::fmt;

/// `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Cache/redis/{name}`.
///
/// Resource Manager answers with `Microsoft.Cache/Redis` (capital R) and echoes other casings,
/// while requests use `redis`; ids are therefore parsed and compared case-insensitively (`==` and
/// `Hash` ignore case) and always rendered in the request form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceId {
    subscription: SubscriptionId,
    resource_group: ResourceGroupName,
    name: CacheName,
}

const WHAT: &str = "cache resource id";
const SHAPE: &str =
    "expected /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Cache/redis/{name}";

impl ResourceId {
    pub fn new(
        subscription: SubscriptionId,
        resource_group: ResourceGroupName,
        name: CacheName,
    ) -> Self {
        Self {
            subscription,
            resource_group,
            name,
        }
    }

    /// Parses a cache id as Resource Manager or Resource Graph returns it. Ids of other resource
    /// types (including `Microsoft.Cache/redisEnterprise`) and of sub-resources are refused.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let fail = |rule| IdError::new(WHAT, s, rule);
        let segments: Vec<&str> = s.trim().trim_end_matches('/').split('/').collect();
        let [
            empty,
            subscriptions,
            sub,
            groups,
            rg,
            providers,
            namespace,
            kind,
            name,
        ] = segments[..]
        else {
            return Err(fail(SHAPE));
        };
        let literals = [
            (empty, ""),
            (subscriptions, "subscriptions"),
            (groups, "resourceGroups"),
            (providers, "providers"),
        ];
        if !literals
            .iter()
            .all(|(got, want)| got.eq_ignore_ascii_case(want))
        {
            return Err(fail(SHAPE));
        }
        if !namespace.eq_ignore_ascii_case("Microsoft.Cache") || !kind.eq_ignore_ascii_case("redis")
        {
            return Err(fail(
                "not an Azure Cache for Redis (Microsoft.Cache/redis) resource",
            ));
        }
        Ok(Self {
            subscription: SubscriptionId::parse(sub).map_err(|e| fail(e.rule))?,
            resource_group: ResourceGroupName::parse(rg).map_err(|e| fail(e.rule))?,
            name: CacheName::parse(name).map_err(|e| fail(e.rule))?,
        })
    }

    pub fn subscription(&self) -> &SubscriptionId {
        &self.subscription
    }

    pub fn resource_group(&self) -> &ResourceGroupName {
        &self.resource_group
    }

    pub fn name(&self) -> &CacheName {
        &self.name
    }

    /// The request path of the cache (no api-version), each segment percent-encoded.
    pub fn path(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Cache/redis/{}",
            self.subscription,
            percent_encode(self.resource_group.as_str()),
            percent_encode(self.name.as_str()),
        )
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

super::parsed_from_text!(ResourceId, IdError);

#[cfg(test)]
mod tests {
    use super::*;

    const RETURNED: &str = "/subscriptions/00000000-0000-0000-0000-00000000000A/resourceGroups/RG1/providers/Microsoft.Cache/Redis/cache1";

    #[test]
    fn returned_ids_parse_and_render_in_request_form() {
        let id = ResourceId::parse(RETURNED).unwrap();
        assert_eq!(id.name().as_str(), "cache1");
        assert_eq!(id.resource_group().as_str(), "RG1");
        assert_eq!(
            id.path(),
            "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/RG1/providers/Microsoft.Cache/redis/cache1"
        );
    }

    #[test]
    fn ids_compare_case_insensitively() {
        let lower = RETURNED.to_ascii_lowercase();
        assert_eq!(
            ResourceId::parse(RETURNED).unwrap(),
            ResourceId::parse(&lower).unwrap()
        );
        let other = RETURNED.replace("cache1", "cache2");
        assert_ne!(
            ResourceId::parse(RETURNED).unwrap(),
            ResourceId::parse(&other).unwrap()
        );
    }

    #[test]
    fn other_resource_types_and_sub_resources_are_refused() {
        let enterprise = RETURNED.replace("Redis/", "redisEnterprise/");
        assert!(
            ResourceId::parse(&enterprise)
                .unwrap_err()
                .rule
                .contains("Microsoft.Cache/redis")
        );
        assert!(ResourceId::parse(&format!("{RETURNED}/accessPolicies/Data Owner")).is_err());
        assert!(ResourceId::parse(&RETURNED.replace("resourceGroups", "groups")).is_err());
        assert!(ResourceId::parse(&RETURNED.replace("0000000A", "zzzz")).is_err());
    }

    #[test]
    fn ids_travel_as_their_request_form_and_are_checked_when_read() {
        let id: ResourceId = serde_json::from_value(serde_json::json!(RETURNED)).unwrap();
        assert_eq!(
            serde_json::to_value(&id).unwrap(),
            serde_json::json!(id.path())
        );
        assert!(
            serde_json::from_value::<ResourceId>(serde_json::json!("/subscriptions/x")).is_err()
        );
    }

    #[test]
    fn path_segments_are_encoded() {
        let id = ResourceId::new(
            SubscriptionId::parse("00000000-0000-0000-0000-000000000001").unwrap(),
            ResourceGroupName::parse("rg(eu)").unwrap(),
            CacheName::parse("c1").unwrap(),
        );
        assert!(id.path().contains("/resourceGroups/rg%28eu%29/"));
    }
}
