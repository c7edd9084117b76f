//! The `/snippets` page's query string, so documentation can link to or embed a ready snippet:
//! `host`, `port`, `lib`, `identity`, `cloud`, `client_id`, `object_id`, `tenant_id`,
//! `authority`, `parent_origin`.
//!
//! A bad value never blanks the page: it becomes a problem to show, and the default is used.

use super::{Cloud, IdentityKind, Library, SnippetError, SnippetRequest};

/// What the query string asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetQuery {
    pub request: SnippetRequest,
    /// The origin that framed the page, the only one its height is posted to.
    pub parent_origin: Option<String>,
    /// Values that were refused, to show to the reader.
    pub problems: Vec<SnippetError>,
}

/// The library shown when the query names none.
pub const DEFAULT_LIBRARY: Library = Library::RedisPy;

/// Reads the query through `get`, which returns a parameter's value when present.
pub fn parse_query(get: impl Fn(&str) -> Option<String>) -> SnippetQuery {
    let mut problems = Vec::new();
    let library = read(get("lib"), str::parse, &mut problems).unwrap_or(DEFAULT_LIBRARY);
    let identity =
        read(get("identity"), str::parse, &mut problems).unwrap_or(IdentityKind::SystemAssigned);
    let cloud = read(get("cloud"), str::parse, &mut problems).unwrap_or(Cloud::Public);
    let port = read(get("port"), parse_port, &mut problems).flatten();
    let parent_origin = read(get("parent_origin"), parse_origin, &mut problems);
    let request = SnippetRequest {
        port,
        cloud,
        custom_authority: get("authority"),
        client_id: get("client_id"),
        object_id: get("object_id"),
        tenant_id: get("tenant_id"),
        ..SnippetRequest::new(library, identity, get("host").unwrap_or_default())
    };
    SnippetQuery {
        request,
        parent_origin,
        problems,
    }
}

/// The parsed value, or `None` with the problem recorded.
fn read<T>(
    value: Option<String>,
    parse: impl Fn(&str) -> Result<T, SnippetError>,
    problems: &mut Vec<SnippetError>,
) -> Option<T> {
    value.and_then(|value| parse(&value).map_err(|e| problems.push(e)).ok())
}

/// A port typed as text: empty means the default.
pub fn parse_port(text: &str) -> Result<Option<u16>, SnippetError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u16>() {
        Ok(port) if port > 0 => Ok(Some(port)),
        _ => Err(SnippetError::InvalidPort {
            port: text.to_string(),
        }),
    }
}

/// An origin to post messages to: `https://host[:port]`, or `http://localhost[:port]` for local
/// documentation previews. Never `*`: the height would go to whoever framed the page.
pub fn parse_origin(text: &str) -> Result<String, SnippetError> {
    let refuse = |reason| {
        Err(SnippetError::InvalidOrigin {
            origin: text.to_string(),
            reason,
        })
    };
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme @ ("https" | "http"), rest)) => (scheme, rest),
        _ => return refuse("it must start with https://"),
    };
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', '*', ' ']) {
        return refuse("give the scheme, host and port only, like https://docs.example.com");
    }
    let (host, port) = rest
        .split_once(':')
        .map_or((rest, None), |(h, p)| (h, Some(p)));
    if port.is_some_and(|p| p.parse::<u16>().map_or(true, |p| p == 0)) {
        return refuse("its port is not a number from 1 to 65535");
    }
    let host_ok = !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if !host_ok {
        return refuse("its host is not a host name");
    }
    if scheme == "http" && host != "localhost" && host != "127.0.0.1" {
        return refuse("only localhost may use http://");
    }
    Ok(text.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn query(pairs: &[(&str, &str)]) -> SnippetQuery {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        parse_query(|key| map.get(key).cloned())
    }

    #[test]
    fn reads_every_parameter() {
        let q = query(&[
            ("lib", "go-redis"),
            ("identity", "user-assigned"),
            ("cloud", "usgov"),
            ("host", "contoso.redis.cache.usgovcloudapi.net"),
            ("port", "6390"),
            ("object_id", "o"),
            ("client_id", "c"),
            ("tenant_id", "t"),
            ("authority", "https://login.example.net"),
            ("parent_origin", "https://docs.example.com"),
        ]);
        assert!(q.problems.is_empty(), "{:?}", q.problems);
        let r = &q.request;
        assert_eq!(
            (r.library, r.identity, r.cloud, r.port),
            (
                Library::GoRedis,
                IdentityKind::UserAssigned,
                Cloud::UsGov,
                Some(6390)
            )
        );
        assert_eq!(r.host, "contoso.redis.cache.usgovcloudapi.net");
        assert_eq!(
            (
                r.client_id.as_deref(),
                r.object_id.as_deref(),
                r.tenant_id.as_deref()
            ),
            (Some("c"), Some("o"), Some("t"))
        );
        assert_eq!(
            r.custom_authority.as_deref(),
            Some("https://login.example.net")
        );
        assert_eq!(q.parent_origin.as_deref(), Some("https://docs.example.com"));
    }

    #[test]
    fn bad_values_become_problems_and_defaults_are_kept() {
        let q = query(&[
            ("lib", "perl"),
            ("identity", "root"),
            ("cloud", "mars"),
            ("port", "http"),
            ("parent_origin", "*"),
        ]);
        assert_eq!(q.problems.len(), 5);
        assert_eq!(q.request.library, DEFAULT_LIBRARY);
        assert_eq!(q.request.port, None);
        assert_eq!(q.parent_origin, None);
        assert!(q.problems[0].to_string().contains("perl"));
    }

    #[test]
    fn an_empty_query_asks_for_nothing() {
        let q = query(&[]);
        assert!(q.problems.is_empty() && q.parent_origin.is_none() && q.request.host.is_empty());
    }

    #[test]
    fn only_explicit_origins_are_accepted() {
        for good in [
            "https://docs.example.com",
            "https://docs.example.com:8443",
            "http://localhost:3000",
        ] {
            assert_eq!(parse_origin(good).as_deref(), Ok(good), "{good}");
        }
        for bad in [
            "*",
            "null",
            "https://docs.example.com/page",
            "http://docs.example.com",
            "https://",
            "https://a b",
            "https://h:0",
            "javascript:alert(1)",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ports_must_be_between_1_and_65535() {
        assert_eq!(parse_port(" "), Ok(None));
        assert_eq!(parse_port("6380"), Ok(Some(6380)));
        for bad in ["0", "65536", "-1", "63 80"] {
            assert!(parse_port(bad).is_err(), "{bad}");
        }
    }
}
