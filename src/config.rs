//! Runtime configuration read from `/config.json`, so one build serves the sandbox and Azure.

use gloo_net::http::Request;
use keyless_core::auth::Client;
use leptos::prelude::*;
use serde::Deserialize;

/// Where Keyless signs in and which APIs it calls. Base URLs carry no trailing slash.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Config {
    /// The sign-in origin, e.g. `https://login.microsoftonline.com`.
    pub login: String,
    /// A tenant id, or `organizations` (personal accounts get no ARM tokens).
    pub tenant: String,
    /// The SPA app registration's client id.
    pub client_id: String,
    /// The redirect URI registered as type SPA, exactly as registered: the app's root (`/`),
    /// where the home page completes the sign-in.
    pub redirect_uri: String,
    /// Resource Manager, e.g. `https://management.azure.com`.
    pub arm: String,
    /// Microsoft Graph, e.g. `https://graph.microsoft.com`.
    pub graph: String,
}

/// Why the configuration is unusable; shown instead of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Keyless cannot start: its configuration /config.json {}. Whoever deployed Keyless \
             must provide it with login, tenant, client_id, redirect_uri, arm and graph.",
            self.0
        )
    }
}

impl Config {
    /// Reads and checks the configuration text.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let config: Config =
            serde_json::from_str(text).map_err(|e| ConfigError(format!("is not valid ({e})")))?;
        config.checked()
    }

    fn checked(mut self) -> Result<Self, ConfigError> {
        for (name, value) in [("tenant", &self.tenant), ("client_id", &self.client_id)] {
            if value.trim().is_empty() {
                return Err(ConfigError(format!("has an empty {name}")));
            }
        }
        for (name, url) in [
            ("login", &mut self.login),
            ("redirect_uri", &mut self.redirect_uri),
            ("arm", &mut self.arm),
            ("graph", &mut self.graph),
        ] {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(ConfigError(format!(
                    "has {name} {url:?}, which is not an http(s) URL"
                )));
            }
            // The redirect URI must stay byte for byte as registered.
            if name != "redirect_uri" {
                url.truncate(url.trim_end_matches('/').len());
            }
        }
        Ok(self)
    }

    /// The Entra client at `login/tenant`.
    pub fn client(&self) -> Client {
        Client::new(
            &self.login,
            &self.tenant,
            &self.client_id,
            &self.redirect_uri,
        )
    }
}

/// Fetches `/config.json` from the app's own origin.
pub async fn load() -> Result<Config, ConfigError> {
    let response = Request::get("/config.json")
        .send()
        .await
        .map_err(|e| ConfigError(format!("could not be fetched ({e})")))?;
    if !response.ok() {
        return Err(ConfigError(format!(
            "could not be fetched (HTTP {})",
            response.status()
        )));
    }
    let text = response
        .text()
        .await
        .map_err(|e| ConfigError(format!("could not be read ({e})")))?;
    Config::parse(&text)
}

/// The configuration, provided by the app shell once loaded.
pub fn use_config() -> Config {
    expect_context()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SANDBOX: &str = r#"{"login":"http://127.0.0.1:8401/","tenant":"t-1","client_id":"c-1",
        "redirect_uri":"http://127.0.0.1:8400/","arm":"http://127.0.0.1:8402/","graph":"http://127.0.0.1:8403"}"#;

    #[test]
    fn trims_base_urls_but_keeps_the_redirect_uri_as_registered() {
        let config = Config::parse(SANDBOX).unwrap();
        assert_eq!(config.login, "http://127.0.0.1:8401");
        assert_eq!(config.arm, "http://127.0.0.1:8402");
        assert_eq!(config.redirect_uri, "http://127.0.0.1:8400/");
        assert_eq!(
            config.client().token_url(),
            "http://127.0.0.1:8401/t-1/oauth2/v2.0/token"
        );
    }

    #[test]
    fn says_what_is_wrong() {
        let missing = Config::parse(r#"{"login":"http://x"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            missing.contains("is not valid") && missing.contains("tenant"),
            "{missing}"
        );
        let empty = Config::parse(&SANDBOX.replace(r#""c-1""#, r#""  ""#)).unwrap_err();
        assert!(empty.to_string().contains("empty client_id"), "{empty}");
        let not_url =
            Config::parse(&SANDBOX.replace("http://127.0.0.1:8402/", "127.0.0.1")).unwrap_err();
        assert!(
            not_url.to_string().contains("arm \"127.0.0.1\""),
            "{not_url}"
        );
    }

    #[test]
    fn the_embedded_default_points_at_the_sandbox_tenant() {
        let config = Config::parse(include_str!("../public/config.json")).unwrap();
        let fixture: serde_json::Value =
            serde_json::from_str(include_str!("../sandbox/fixtures/demo-tenant.json")).unwrap();
        assert_eq!(config.tenant, fixture["tenant"]["id"]);
        assert_eq!(config.client_id, fixture["spa"]["clientId"]);
        let registered = fixture["spa"]["redirectUris"].as_array().unwrap();
        assert!(registered.contains(&config.redirect_uri.as_str().into()));
    }
}
