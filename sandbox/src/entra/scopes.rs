//! Reading a `scope` parameter: the OpenID scopes, the one resource asked for, and whether the
//! tenant consented to what is asked.

use super::EntraError;
use crate::directory::SpaClient;

/// The resources the sandbox issues tokens for, with the audience Azure puts in their tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Arm,
    Graph,
    /// Azure Cache for Redis's data plane: tokens are Redis passwords.
    Redis,
}

impl Resource {
    pub fn audience(self) -> &'static str {
        match self {
            Resource::Arm => "https://management.azure.com",
            Resource::Graph => "https://graph.microsoft.com",
            Resource::Redis => "https://redis.azure.com",
        }
    }

    /// The resource a managed-identity request names by its URI, with or without the final `/`.
    pub fn of_resource_uri(uri: &str) -> Option<Resource> {
        let uri = uri.trim_end_matches('/');
        Resource::ALL.into_iter().find(|r| r.prefixes().iter().any(|p| p.trim_end_matches('/').eq_ignore_ascii_case(uri)))
    }

    /// Scope prefixes naming the resource.
    fn prefixes(self) -> &'static [&'static str] {
        match self {
            Resource::Arm => &["https://management.azure.com/", "https://management.core.windows.net/"],
            Resource::Graph => &["https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000/"],
            Resource::Redis => &["https://redis.azure.com/", "acca5fbb-b7e4-4009-81f1-37e38fd66d78/"],
        }
    }

    const ALL: [Resource; 3] = [Resource::Arm, Resource::Graph, Resource::Redis];

    fn of_scope(scope: &str) -> Option<(Resource, &str)> {
        Resource::ALL.into_iter().find_map(|resource| {
            resource.prefixes().iter().find_map(|prefix| scope.strip_prefix(prefix)).map(|rest| (resource, rest))
        })
    }
}

/// Scopes of OpenID Connect itself, not of a resource.
pub const OPENID_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];

#[derive(Debug, Clone)]
pub struct Requested {
    pub openid: Vec<String>,
    pub resource: Resource,
    /// Scope names without the resource prefix (`user_impersonation`, `.default`).
    pub names: Vec<String>,
}

impl Requested {
    pub fn wants(&self, openid_scope: &str) -> bool {
        self.openid.iter().any(|s| s == openid_scope)
    }
}

/// Splits a scope parameter. Bare names are Graph scopes, as in Entra; two resources at once
/// are refused.
pub fn parse(scope: &str) -> Result<Requested, EntraError> {
    let mut openid = Vec::new();
    let mut resource = None;
    let mut names = Vec::new();
    for item in scope.split_whitespace() {
        if OPENID_SCOPES.contains(&item) {
            openid.push(item.to_owned());
            continue;
        }
        let (this, name) = match Resource::of_scope(item) {
            Some(found) => found,
            None if !item.contains("://") && !item.contains('/') => (Resource::Graph, item),
            None => {
                return Err(EntraError::new("invalid_resource", 500011, format!("The resource principal named {item} was not found in the tenant.")));
            }
        };
        if resource.is_some_and(|r| r != this) {
            return Err(EntraError::new(
                "invalid_scope",
                28000,
                format!("Provided value for the input parameter scope is not valid because it contains more than one resource. Scope {scope} is not valid."),
            ));
        }
        resource = Some(this);
        names.push(name.to_owned());
    }
    Ok(Requested { openid, resource: resource.unwrap_or(Resource::Graph), names })
}

/// The scopes a user token carries: everything consented for the resource, once every
/// requested scope is among them.
pub fn granted(spa: &SpaClient, requested: &Requested) -> Result<Vec<String>, EntraError> {
    let consented: Vec<&str> = spa
        .consented_scopes
        .iter()
        .filter_map(|s| Resource::of_scope(s).filter(|(r, _)| *r == requested.resource).map(|(_, name)| name))
        .collect();
    if let Some(missing) = requested.names.iter().find(|n| *n != ".default" && !consented.iter().any(|c| c.eq_ignore_ascii_case(n))) {
        return Err(EntraError::new(
            "invalid_grant",
            65001,
            format!("The user or administrator has not consented to use the application with ID '{}' named '{}'. Send an interactive authorization request for this user and resource. Missing scope: {missing}.", spa.client_id, spa.display_name),
        )
        .with_suberror("consent_required"));
    }
    Ok(consented.into_iter().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_name_one_resource() {
        let arm = parse("openid profile offline_access https://management.azure.com/user_impersonation").unwrap();
        assert_eq!(arm.resource, Resource::Arm);
        assert_eq!(arm.names, ["user_impersonation"]);
        assert!(arm.wants("offline_access"));
        assert_eq!(parse("User.Read").unwrap().resource, Resource::Graph);
        let both = parse("https://management.azure.com/user_impersonation https://graph.microsoft.com/User.Read");
        assert_eq!(both.unwrap_err().code, 28000);
    }

    #[test]
    fn redis_is_named_by_its_uri_or_its_app_id() {
        assert_eq!(parse("https://redis.azure.com/.default").unwrap().resource, Resource::Redis);
        assert_eq!(parse("acca5fbb-b7e4-4009-81f1-37e38fd66d78/.default").unwrap().resource, Resource::Redis);
        assert_eq!(Resource::of_resource_uri("https://redis.azure.com"), Some(Resource::Redis));
        assert_eq!(Resource::of_resource_uri("https://redis.azure.com/"), Some(Resource::Redis));
        assert_eq!(Resource::of_resource_uri("https://example.com"), None);
    }
}
