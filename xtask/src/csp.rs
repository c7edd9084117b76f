//! The production Content-Security-Policy, finished after the build: Trunk's inline loader is
//! allowed by its sha256 (known only once built) and `connect-src` names exactly the login,
//! ARM and Graph origins of the shipped `config.json`. Everything else in the committed
//! `staticwebapp.config.json` (frame-ancestors per route, other directives) is kept.

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use sha2::{Digest, Sha256};

const CSP_HEADER: &str = "content-security-policy";
/// Sources no Keyless policy may ever contain.
const FORBIDDEN: [&str; 2] = ["'unsafe-inline'", "'unsafe-eval'"];
/// The `config.json` fields naming origins the app calls.
const CALLED_ORIGINS: [&str; 3] = ["login", "arm", "graph"];

/// CSP hash sources (`'sha256-…'`) of every inline `<script>` in an HTML page, in order.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = find_ignore_case(rest, "<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(close) = find_ignore_case(body, "</script") else {
            break;
        };
        if !has_src_attribute(tag) {
            let digest = Sha256::digest(&body.as_bytes()[..close]);
            hashes.push(format!("'sha256-{}'", STANDARD.encode(digest)));
        }
        rest = &body[close..];
    }
    hashes
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

fn has_src_attribute(tag: &str) -> bool {
    tag.split(|c: char| c.is_ascii_whitespace())
        .any(|attribute| attribute.to_ascii_lowercase().starts_with("src="))
}

/// The origins (`scheme://host[:port]`) of the login, ARM and Graph base URLs in `config.json`.
pub fn called_origins(config: &Value) -> Result<Vec<String>> {
    CALLED_ORIGINS
        .iter()
        .map(|field| {
            let url = config[field]
                .as_str()
                .with_context(|| format!("config.json has no \"{field}\" URL"))?;
            origin_of(url)
                .with_context(|| format!("config.json \"{field}\": {url:?} is not an http(s) URL"))
        })
        .collect()
}

fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let valid = matches!(scheme, "http" | "https") && !host.is_empty() && !host.contains('@');
    valid.then(|| format!("{scheme}://{host}"))
}

/// Rewrites every Content-Security-Policy header of a `staticwebapp.config.json` document.
pub fn finish_site_config(
    site: &mut Value,
    script_hashes: &[String],
    origins: &[String],
) -> Result<()> {
    let script_src: Vec<String> = ["'self'", "'wasm-unsafe-eval'"]
        .into_iter()
        .map(String::from)
        .chain(script_hashes.iter().cloned())
        .collect();
    let connect_src: Vec<String> = std::iter::once("'self'".to_owned())
        .chain(origins.iter().cloned())
        .collect();
    if site["globalHeaders"]
        .get("Content-Security-Policy")
        .is_none()
    {
        bail!("staticwebapp.config.json must set Content-Security-Policy in globalHeaders");
    }
    for headers in header_maps(site) {
        for (name, value) in headers.iter_mut() {
            if !name.eq_ignore_ascii_case(CSP_HEADER) {
                continue;
            }
            let policy = value
                .as_str()
                .context("a Content-Security-Policy that is not a string")?;
            let mut policy = Policy::parse(policy);
            policy.set("script-src", &script_src);
            policy.set("connect-src", &connect_src);
            policy.check()?;
            *value = Value::String(policy.to_string());
        }
    }
    Ok(())
}

/// `globalHeaders` and each route's `headers`.
fn header_maps(site: &mut Value) -> Vec<&mut serde_json::Map<String, Value>> {
    let Value::Object(site) = site else {
        return Vec::new();
    };
    let mut maps = Vec::new();
    for (key, value) in site.iter_mut() {
        match (key.as_str(), value) {
            ("globalHeaders", Value::Object(headers)) => maps.push(headers),
            ("routes", Value::Array(routes)) => maps.extend(
                routes
                    .iter_mut()
                    .filter_map(|route| route.get_mut("headers").and_then(Value::as_object_mut)),
            ),
            _ => {}
        }
    }
    maps
}

/// A policy as an ordered list of directives, each a name and its sources.
#[derive(Debug, PartialEq)]
struct Policy(Vec<(String, Vec<String>)>);

impl Policy {
    fn parse(text: &str) -> Self {
        let directives = text
            .split(';')
            .filter_map(|directive| {
                let mut words = directive.split_whitespace().map(str::to_owned);
                let name = words.next()?.to_ascii_lowercase();
                Some((name, words.collect()))
            })
            .collect();
        Self(directives)
    }

    /// Replaces a directive's sources, or appends the directive.
    fn set(&mut self, name: &str, sources: &[String]) {
        match self.0.iter_mut().find(|(existing, _)| existing == name) {
            Some((_, existing)) => *existing = sources.to_vec(),
            None => self.0.push((name.to_owned(), sources.to_vec())),
        }
    }

    fn check(&self) -> Result<()> {
        for (name, sources) in &self.0 {
            if let Some(bad) = sources
                .iter()
                .find(|source| FORBIDDEN.contains(&source.as_str()))
            {
                bail!("Content-Security-Policy {name} allows {bad}");
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let directives: Vec<String> = self
            .0
            .iter()
            .map(|(name, sources)| {
                std::iter::once(name.clone())
                    .chain(sources.iter().cloned())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        f.write_str(&directives.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What a browser computes for an inline script: sha256 over its exact text, base64.
    fn expected_hash(script: &str) -> String {
        format!(
            "'sha256-{}'",
            STANDARD.encode(Sha256::digest(script.as_bytes()))
        )
    }

    #[test]
    fn only_inline_scripts_are_hashed_over_their_exact_text() {
        let loader = "\nimport init from '/keyless-1a.js';\nawait init();\n";
        let html = format!(
            "<head><script src=\"/other.js\"></script><SCRIPT type=\"module\">{loader}</SCRIPT></head>"
        );
        assert_eq!(inline_script_hashes(&html), vec![expected_hash(loader)]);
    }

    #[test]
    fn a_known_digest() {
        // sha256("") is e3b0c442…b855, whose base64 is 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=.
        assert_eq!(
            inline_script_hashes("<script></script>"),
            vec!["'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='".to_owned()]
        );
    }

    #[test]
    fn origins_drop_paths_and_keep_ports() {
        let config = json!({
            "login": "http://127.0.0.1:8401", "arm": "https://management.azure.com/",
            "graph": "https://graph.microsoft.com/v1.0", "redirect_uri": "http://127.0.0.1:8400/"
        });
        assert_eq!(
            called_origins(&config).unwrap(),
            [
                "http://127.0.0.1:8401",
                "https://management.azure.com",
                "https://graph.microsoft.com"
            ]
        );
    }

    #[test]
    fn origins_must_be_http_urls() {
        let config =
            json!({ "login": "javascript:alert(1)", "arm": "https://a", "graph": "https://b" });
        assert!(called_origins(&config).is_err());
        assert!(called_origins(&json!({ "login": "https://a" })).is_err());
    }

    #[test]
    fn every_policy_gets_the_hashes_and_origins_and_keeps_its_frame_ancestors() {
        let mut site = json!({
            "globalHeaders": {
                "Content-Security-Policy": "default-src 'self'; script-src 'self' 'sha256-OLD'; connect-src 'self' https://x; frame-ancestors 'none'",
                "X-Content-Type-Options": "nosniff"
            },
            "routes": [{ "route": "/snippets", "headers": {
                "content-security-policy": "default-src 'self'; frame-ancestors https:"
            }}]
        });
        let hashes = ["'sha256-NEW'".to_owned()];
        let origins = ["http://127.0.0.1:8401".to_owned()];
        finish_site_config(&mut site, &hashes, &origins).unwrap();
        assert_eq!(
            site["globalHeaders"]["Content-Security-Policy"],
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-NEW'; \
             connect-src 'self' http://127.0.0.1:8401; frame-ancestors 'none'"
        );
        assert_eq!(
            site["routes"][0]["headers"]["content-security-policy"],
            "default-src 'self'; frame-ancestors https:; \
             script-src 'self' 'wasm-unsafe-eval' 'sha256-NEW'; connect-src 'self' http://127.0.0.1:8401"
        );
        assert_eq!(site["globalHeaders"]["X-Content-Type-Options"], "nosniff");
    }

    #[test]
    fn unsafe_inline_anywhere_fails_the_build() {
        let mut site = json!({ "globalHeaders": {
            "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'"
        }});
        let err = finish_site_config(&mut site, &[], &[]).unwrap_err();
        assert!(err.to_string().contains("'unsafe-inline'"), "{err}");
    }

    #[test]
    fn a_site_without_a_global_policy_is_refused() {
        let mut site = json!({ "globalHeaders": {} });
        assert!(finish_site_config(&mut site, &[], &[]).is_err());
    }

    #[test]
    fn the_committed_production_file_is_finished_cleanly() {
        let path = crate::process::repo_root().join("public/staticwebapp.config.json");
        let mut site: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        finish_site_config(
            &mut site,
            &["'sha256-X'".to_owned()],
            &["https://o".to_owned()],
        )
        .unwrap();
        let text = site.to_string();
        assert!(!text.contains("REPLACED"), "{text}");
        assert!(text.contains("frame-ancestors 'none'"));
    }
}
