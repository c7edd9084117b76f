//! The parts of `staticwebapp.config.json` that shape static responses: headers, routes,
//! navigation fallback, MIME types and response overrides. Authentication, roles and
//! redirects are Azure features Keyless does not use, so they are not read.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::glob::Glob;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteConfig {
    /// Headers added to every response.
    #[serde(default)]
    pub global_headers: BTreeMap<String, String>,
    /// Evaluated in order; the first route whose pattern matches the request path wins.
    #[serde(default)]
    pub routes: Vec<Route>,
    pub navigation_fallback: Option<NavigationFallback>,
    /// Extension (with its dot) to Content-Type; wins over the built-in table.
    #[serde(default)]
    pub mime_types: BTreeMap<String, String>,
    /// Keyed by status code, e.g. `"404"`.
    #[serde(default)]
    pub response_overrides: BTreeMap<String, ResponseOverride>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Route {
    #[serde(rename = "route", deserialize_with = "glob")]
    pub pattern: Glob,
    /// Override global headers of the same name.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NavigationFallback {
    /// The file served, with status 200, for a path that matches no file.
    pub rewrite: String,
    /// Paths that get a 404 instead of the fallback (assets must never receive HTML).
    #[serde(default, deserialize_with = "globs")]
    pub exclude: Vec<Glob>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseOverride {
    pub rewrite: Option<String>,
    pub status_code: Option<u16>,
}

impl SiteConfig {
    /// The headers for a response to `path`: global ones, overridden by the first matching route's.
    pub fn headers_for(&self, path: &str) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = self
            .global_headers
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        if let Some(route) = self.routes.iter().find(|route| route.pattern.matches(path)) {
            for (name, value) in &route.headers {
                headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
                headers.push((name.clone(), value.clone()));
            }
        }
        headers
    }

    /// The fallback file for `path`, unless fallback is off or excludes it.
    pub fn fallback_for(&self, path: &str) -> Option<&str> {
        let fallback = self.navigation_fallback.as_ref()?;
        let excluded = fallback.exclude.iter().any(|glob| glob.matches(path));
        (!excluded).then_some(fallback.rewrite.as_str())
    }

    pub fn override_for(&self, status: u16) -> Option<&ResponseOverride> {
        self.response_overrides.get(&status.to_string())
    }

    /// The configured Content-Type for a file name, if its extension is listed.
    pub fn mime_type_for(&self, file_name: &str) -> Option<&str> {
        let lower = file_name.to_ascii_lowercase();
        self.mime_types
            .iter()
            .find(|(extension, _)| lower.ends_with(&extension.to_ascii_lowercase()))
            .map(|(_, mime)| mime.as_str())
    }
}

fn glob<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Glob, D::Error> {
    String::deserialize(deserializer).map(|pattern| Glob::new(&pattern))
}

fn globs<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<Glob>, D::Error> {
    let patterns = Vec::<String>::deserialize(deserializer)?;
    Ok(patterns.iter().map(|pattern| Glob::new(pattern)).collect())
}

#[cfg(test)]
mod tests {
    use super::SiteConfig;

    fn config() -> SiteConfig {
        serde_json::from_str(
            r#"{
                "globalHeaders": { "Content-Security-Policy": "frame-ancestors 'none'", "X-A": "1" },
                "routes": [
                    { "route": "/snippets", "headers": { "content-security-policy": "frame-ancestors https:" } },
                    { "route": "/snippets*", "headers": { "X-Never": "first match wins" } }
                ],
                "navigationFallback": { "rewrite": "/index.html", "exclude": ["/*.{wasm,js}"] },
                "mimeTypes": { ".wasm": "application/wasm" }
            }"#,
        )
        .unwrap()
    }

    #[test]
    fn route_headers_replace_global_ones_case_insensitively() {
        let headers = config().headers_for("/snippets");
        let csp: Vec<_> = headers
            .iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case("content-security-policy"))
            .collect();
        assert_eq!(csp.len(), 1);
        assert_eq!(csp[0].1, "frame-ancestors https:");
        assert!(
            headers
                .iter()
                .any(|(name, value)| name == "X-A" && value == "1")
        );
        assert!(!headers.iter().any(|(name, _)| name == "X-Never"));
    }

    #[test]
    fn other_paths_get_global_headers_only() {
        let headers = config().headers_for("/caches");
        assert!(headers.contains(&(
            "Content-Security-Policy".into(),
            "frame-ancestors 'none'".into()
        )));
    }

    #[test]
    fn fallback_skips_excluded_paths() {
        let config = config();
        assert_eq!(
            config.fallback_for("/cache/a/b/c/users"),
            Some("/index.html")
        );
        assert_eq!(config.fallback_for("/missing.wasm"), None);
    }

    #[test]
    fn configured_mime_types_match_by_extension() {
        let config = config();
        assert_eq!(
            config.mime_type_for("app_BG.WASM"),
            Some("application/wasm")
        );
        assert_eq!(config.mime_type_for("app.js"), None);
    }
}
