//! A request checked into what the code generators need: nothing here can hold a quote, a
//! backslash or a space, so generators write values into string literals as they are.

use super::choice::AMR_SUFFIX;
use super::{Cloud, IdField, IdKind, IdentityKind, SnippetError, SnippetRequest};

/// A checked request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Target {
    pub host: String,
    pub port: u16,
    pub authority: Authority,
    pub identity: Identity,
}

/// Who signs the tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Authority {
    Cloud(Cloud),
    /// `https://host[:port]`, without a trailing slash.
    Custom(String),
}

impl Authority {
    /// The authority host URL, without a trailing slash.
    pub fn host(&self) -> &str {
        match self {
            Authority::Cloud(cloud) => cloud.authority_host(),
            Authority::Custom(url) => url,
        }
    }

    /// The public cloud is every library's default: its code needs no authority at all.
    pub fn is_default(&self) -> bool {
        *self == Authority::Cloud(Cloud::Public)
    }

    /// A custom authority is unknown to the libraries' instance discovery, which must be skipped.
    pub fn is_custom(&self) -> bool {
        matches!(self, Authority::Custom(_))
    }

    /// `<authority host>/<tenant>`, the form MSAL-based helpers take.
    pub fn with_tenant(&self, tenant: &Guid) -> String {
        format!("{}/{}", self.host(), tenant)
    }
}

/// The identity, holding exactly the ids the library needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Identity {
    SystemAssigned,
    /// The id the library selects the identity by (see `Library::user_assigned_id`).
    UserAssigned(Guid),
    ServicePrincipal {
        client_id: Guid,
        tenant_id: Guid,
    },
    DefaultCredential,
}

/// A lower-case GUID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Guid(String);

impl Guid {
    fn parse(field: IdField, value: &str) -> Result<Self, SnippetError> {
        let value = value.trim();
        let groups: Vec<&str> = value.split('-').collect();
        let shaped = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
            && groups
                .iter()
                .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()));
        if shaped {
            Ok(Guid(value.to_ascii_lowercase()))
        } else {
            Err(SnippetError::InvalidId {
                field,
                value: value.to_string(),
            })
        }
    }
}

impl std::fmt::Display for Guid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Target {
    pub fn check(request: &SnippetRequest) -> Result<Self, SnippetError> {
        let authority = match non_empty(&request.custom_authority) {
            Some(url) => Authority::Custom(check_authority(url)?),
            None => Authority::Cloud(request.cloud),
        };
        let host = check_host(&request.host)?;
        if !authority.is_custom()
            && !request
                .cloud
                .host_suffixes()
                .iter()
                .any(|s| host.ends_with(s))
        {
            return Err(SnippetError::HostNotInCloud {
                host,
                cloud: request.cloud,
            });
        }
        let port = match request.port {
            Some(0) => return Err(SnippetError::InvalidPort { port: "0".into() }),
            Some(port) => port,
            None if host.ends_with(AMR_SUFFIX) => 10000,
            None => 6380,
        };
        let identity = check_identity(request)?;
        Ok(Target {
            host,
            port,
            authority,
            identity,
        })
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn check_identity(request: &SnippetRequest) -> Result<Identity, SnippetError> {
    // An id that was given must be well formed even where this identity does not use it.
    let client_id = optional_guid(IdField::ClientId, &request.client_id)?;
    let object_id = optional_guid(IdField::ObjectId, &request.object_id)?;
    let tenant_id = optional_guid(IdField::TenantId, &request.tenant_id)?;
    let required = |field: IdField, id: Option<Guid>| {
        id.ok_or(SnippetError::MissingId {
            field,
            library: request.library,
            identity: request.identity,
        })
    };
    Ok(match request.identity {
        IdentityKind::SystemAssigned => Identity::SystemAssigned,
        IdentityKind::UserAssigned => {
            Identity::UserAssigned(match request.library.user_assigned_id() {
                IdKind::ClientId => required(IdField::ClientId, client_id)?,
                IdKind::ObjectId => required(IdField::ObjectId, object_id)?,
            })
        }
        IdentityKind::ServicePrincipal => Identity::ServicePrincipal {
            client_id: required(IdField::ClientId, client_id)?,
            tenant_id: required(IdField::TenantId, tenant_id)?,
        },
        IdentityKind::DefaultCredential => Identity::DefaultCredential,
    })
}

fn optional_guid(field: IdField, value: &Option<String>) -> Result<Option<Guid>, SnippetError> {
    non_empty(value).map(|v| Guid::parse(field, v)).transpose()
}

/// A DNS name (or IPv4 address), lower-cased; anything else is refused with the reason.
fn check_host(raw: &str) -> Result<String, SnippetError> {
    let host = raw.trim().trim_end_matches('.').to_ascii_lowercase();
    let refuse = |reason| {
        Err(SnippetError::InvalidHost {
            host: raw.trim().to_string(),
            reason,
        })
    };
    if host.is_empty() {
        return refuse("it is empty");
    }
    if host.contains("://") {
        return refuse("give the host name alone, without a scheme such as rediss://");
    }
    if host.contains(':') {
        return refuse("give the port in its own field, not after the host");
    }
    if host.contains('/') {
        return refuse("give the host name alone, without a path");
    }
    if host.len() > 253 {
        return refuse("it is longer than 253 characters");
    }
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if !host.split('.').all(label_ok) {
        return refuse("use only letters, digits, hyphens and dots between non-empty labels");
    }
    Ok(host)
}

/// `https://host[:port]` with an optional trailing slash; returned without it.
fn check_authority(raw: &str) -> Result<String, SnippetError> {
    let refuse = |reason| {
        Err(SnippetError::InvalidAuthority {
            authority: raw.to_string(),
            reason,
        })
    };
    let Some(rest) = raw.strip_prefix("https://") else {
        return refuse("it must start with https:// (the client libraries refuse plain http)");
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#', '@']) {
        return refuse("give the authority host only, without a tenant, path or query");
    }
    let (host, port) = match rest.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    if port.is_some_and(|p| p.parse::<u16>().map_or(true, |p| p == 0)) {
        return refuse("its port is not a number from 1 to 65535");
    }
    check_host(host).or_else(|_| refuse("its host is not a host name"))?;
    Ok(format!("https://{}", rest.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snippets::Library;

    const GUID: &str = "11111111-2222-3333-4444-555555555555";

    fn request(host: &str) -> SnippetRequest {
        SnippetRequest::new(Library::RedisPy, IdentityKind::SystemAssigned, host)
    }

    #[test]
    fn port_defaults_by_host_kind_and_an_explicit_port_wins() {
        let port = |host: &str, port| {
            Target::check(&SnippetRequest {
                port,
                ..request(host)
            })
            .unwrap()
            .port
        };
        assert_eq!(port("contoso.redis.cache.windows.net", None), 6380);
        assert_eq!(port("contoso.westeurope.redis.azure.net", None), 10000);
        assert_eq!(port("contoso.redis.cache.windows.net", Some(7000)), 7000);
        assert!(matches!(
            Target::check(&SnippetRequest {
                port: Some(0),
                ..request("contoso.redis.cache.windows.net")
            }),
            Err(SnippetError::InvalidPort { .. })
        ));
    }

    #[test]
    fn host_is_normalised_and_malformed_hosts_are_refused_with_a_reason() {
        let host = Target::check(&request(" Contoso.Redis.Cache.Windows.Net. "))
            .unwrap()
            .host;
        assert_eq!(host, "contoso.redis.cache.windows.net");
        for bad in [
            "",
            "rediss://contoso.redis.cache.windows.net",
            "contoso.redis.cache.windows.net:6380",
            "contoso.redis.cache.windows.net/db",
            "con\"toso.redis.cache.windows.net",
            "-contoso.redis.cache.windows.net",
            "contoso..redis.cache.windows.net",
        ] {
            assert!(
                matches!(
                    Target::check(&request(bad)),
                    Err(SnippetError::InvalidHost { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_host_of_another_cloud_is_refused_unless_the_authority_is_custom() {
        let china = SnippetRequest {
            cloud: Cloud::China,
            ..request("contoso.redis.cache.windows.net")
        };
        assert!(matches!(
            Target::check(&china),
            Err(SnippetError::HostNotInCloud {
                cloud: Cloud::China,
                ..
            })
        ));
        let custom = SnippetRequest {
            custom_authority: Some("https://127.0.0.1:8443/".into()),
            ..request("localhost")
        };
        let target = Target::check(&custom).unwrap();
        assert_eq!(
            target.authority,
            Authority::Custom("https://127.0.0.1:8443".into())
        );
    }

    #[test]
    fn custom_authority_must_be_an_https_host_without_path() {
        for bad in [
            "http://127.0.0.1:8443",
            "https://login.example.net/tenant",
            "https://a b",
            "https://h:0",
            "https://h:x",
        ] {
            let req = SnippetRequest {
                custom_authority: Some(bad.into()),
                ..request("localhost")
            };
            assert!(
                matches!(
                    Target::check(&req),
                    Err(SnippetError::InvalidAuthority { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn user_assigned_asks_for_the_id_its_library_wants() {
        let with = |library, client_id: Option<&str>, object_id: Option<&str>| {
            Target::check(&SnippetRequest {
                library,
                identity: IdentityKind::UserAssigned,
                client_id: client_id.map(Into::into),
                object_id: object_id.map(Into::into),
                ..request("contoso.redis.cache.windows.net")
            })
        };
        assert!(matches!(
            with(Library::GoRedis, Some(GUID), None),
            Err(SnippetError::MissingId {
                field: IdField::ObjectId,
                ..
            })
        ));
        assert!(matches!(
            with(Library::RedisPy, None, Some(GUID)),
            Err(SnippetError::MissingId {
                field: IdField::ClientId,
                ..
            })
        ));
        let upper = GUID.to_uppercase();
        assert_eq!(
            with(Library::GoRedis, None, Some(&upper)).unwrap().identity,
            Identity::UserAssigned(Guid(GUID.into()))
        );
    }

    #[test]
    fn service_principal_needs_client_and_tenant_and_ids_must_be_guids() {
        let sp = |client_id: &str, tenant_id: Option<&str>| {
            Target::check(&SnippetRequest {
                identity: IdentityKind::ServicePrincipal,
                client_id: Some(client_id.into()),
                tenant_id: tenant_id.map(Into::into),
                ..request("contoso.redis.cache.windows.net")
            })
        };
        assert!(matches!(
            sp(GUID, None),
            Err(SnippetError::MissingId {
                field: IdField::TenantId,
                ..
            })
        ));
        assert!(matches!(
            sp("not-a-guid", Some(GUID)),
            Err(SnippetError::InvalidId {
                field: IdField::ClientId,
                ..
            })
        ));
        assert!(sp(GUID, Some(GUID)).is_ok());
    }

    #[test]
    fn errors_say_what_to_do() {
        let missing = SnippetError::MissingId {
            field: IdField::ObjectId,
            library: Library::GoRedis,
            identity: IdentityKind::UserAssigned,
        };
        let text = missing.to_string();
        assert!(
            text.contains("object id") && text.contains("Object (principal) ID"),
            "{text}"
        );
        let unknown = "perl".parse::<Library>().unwrap_err().to_string();
        assert!(
            unknown.contains("perl") && unknown.contains("redis-py"),
            "{unknown}"
        );
    }
}
