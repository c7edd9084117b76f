//! Resource Manager paths, matched case-insensitively on their literal segments as ARM does,
//! with names checked as they are read.

use super::error::ArmError;
use super::names::{AssignmentName, CacheName, PolicyName};
use crate::util::decode_segment;

#[derive(Debug, Clone)]
pub struct CacheRef {
    pub subscription_id: String,
    pub resource_group: String,
    pub name: CacheName,
}

#[derive(Debug, Clone)]
pub enum Route {
    Subscriptions,
    Subscription(String),
    Caches { subscription_id: String, resource_group: Option<String> },
    Cache(CacheRef),
    Policies(CacheRef),
    Policy(CacheRef, PolicyName),
    Assignments(CacheRef),
    Assignment(CacheRef, AssignmentName),
    /// `asyncOperations` (the Azure-AsyncOperation URL) or `operationResults` (Location).
    Operation { subscription_id: String, id: String, results: bool },
    ResourceGraph,
}

/// The API versions each family of routes accepts.
pub const CACHE_VERSIONS: &[&str] = &["2024-11-01"];
pub const SUBSCRIPTION_VERSIONS: &[&str] = &["2022-12-01", "2021-01-01", "2020-01-01", "2016-06-01"];
pub const RESOURCE_GRAPH_VERSIONS: &[&str] = &["2024-04-01", "2022-10-01", "2021-03-01"];

/// The API versions a path accepts, read from its shape alone: Resource Manager checks the
/// api-version at its front door, before the token and before the provider reads any name.
pub fn api_versions(path: &str) -> &'static [&'static str] {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [first, ..] if first.eq_ignore_ascii_case("providers") => RESOURCE_GRAPH_VERSIONS,
        [first] | [first, _] if first.eq_ignore_ascii_case("subscriptions") => SUBSCRIPTION_VERSIONS,
        _ => CACHE_VERSIONS,
    }
}

impl Route {
    pub fn parse(path: &str) -> Result<Route, ArmError> {
        let segments: Vec<String> = path.trim_matches('/').split('/').map(decode_segment).collect();
        let s: Vec<&str> = segments.iter().map(String::as_str).collect();
        let is = |i: usize, literal: &str| s.get(i).is_some_and(|seg| seg.eq_ignore_ascii_case(literal));
        let unknown = || ArmError::not_found("InvalidResourceType", format!("The resource type could not be found for the path '{path}'."));

        if is(0, "providers") && is(1, "Microsoft.ResourceGraph") && is(2, "resources") && s.len() == 3 {
            return Ok(Route::ResourceGraph);
        }
        if !is(0, "subscriptions") {
            return Err(unknown());
        }
        let Some(subscription_id) = s.get(1).map(|id| id.to_string()) else { return Ok(Route::Subscriptions) };
        if s.len() == 2 {
            return Ok(Route::Subscription(subscription_id));
        }
        let rest = &s[2..];
        let at = |i: usize, literal: &str| rest.get(i).is_some_and(|seg| seg.eq_ignore_ascii_case(literal));
        // /subscriptions/{s}/providers/Microsoft.Cache/{redis | locations/{l}/asyncOperations/{id}}
        if at(0, "providers") && at(1, "Microsoft.Cache") {
            if rest.len() == 3 && at(2, "redis") {
                return Ok(Route::Caches { subscription_id, resource_group: None });
            }
            if rest.len() == 6 && at(2, "locations") && (at(4, "asyncOperations") || at(4, "operationResults")) {
                return Ok(Route::Operation { subscription_id, id: rest[5].to_owned(), results: at(4, "operationResults") });
            }
            return Err(unknown());
        }
        // /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Cache/redis[/{name}[/...]]
        if !(at(0, "resourceGroups") && at(2, "providers") && at(3, "Microsoft.Cache") && at(4, "redis") && rest.len() >= 5) {
            return Err(unknown());
        }
        let resource_group = rest[1].to_owned();
        let Some(name) = rest.get(5) else { return Ok(Route::Caches { subscription_id, resource_group: Some(resource_group) }) };
        let cache = CacheRef { subscription_id, resource_group, name: CacheName::parse(name)? };
        match (rest.get(6), rest.get(7), rest.len()) {
            (None, _, _) => Ok(Route::Cache(cache)),
            (Some(kind), None, 7) if kind.eq_ignore_ascii_case("accessPolicies") => Ok(Route::Policies(cache)),
            (Some(kind), Some(name), 8) if kind.eq_ignore_ascii_case("accessPolicies") => Ok(Route::Policy(cache, PolicyName::parse(name)?)),
            (Some(kind), None, 7) if kind.eq_ignore_ascii_case("accessPolicyAssignments") => Ok(Route::Assignments(cache)),
            (Some(kind), Some(name), 8) if kind.eq_ignore_ascii_case("accessPolicyAssignments") => {
                Ok(Route::Assignment(cache, AssignmentName::parse(name)?))
            }
            _ => Err(unknown()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_match_in_any_case_and_names_are_decoded() {
        let route = Route::parse("/subscriptions/s/resourcegroups/rg/providers/microsoft.cache/Redis/c1/accessPolicies/Data%20Owner").unwrap();
        let Route::Policy(cache, policy) = route else { panic!("not a policy route") };
        assert_eq!(cache.name.0, "c1");
        assert_eq!(policy.0, "Data Owner");
        assert!(matches!(Route::parse("/subscriptions").unwrap(), Route::Subscriptions));
        assert!(matches!(
            Route::parse("/subscriptions/s/providers/Microsoft.Cache/locations/West%20Europe/asyncOperations/x").unwrap(),
            Route::Operation { results: false, .. }
        ));
        assert!(Route::parse("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cache/redis/c1/listKeys").is_err());
        assert_eq!(Route::parse("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cache/redis/-bad").unwrap_err().status, 400);
    }

    #[test]
    fn api_versions_follow_the_path_family() {
        assert_eq!(api_versions("/subscriptions"), SUBSCRIPTION_VERSIONS);
        assert_eq!(api_versions("/subscriptions/s"), SUBSCRIPTION_VERSIONS);
        assert_eq!(api_versions("/providers/Microsoft.ResourceGraph/resources"), RESOURCE_GRAPH_VERSIONS);
        assert_eq!(api_versions("/subscriptions/s/providers/Microsoft.Cache/redis"), CACHE_VERSIONS);
    }
}
