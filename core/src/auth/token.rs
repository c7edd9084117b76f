//! Token endpoint answers, and access tokens that know when to be renewed.

use serde::{Deserialize, Deserializer};

use super::entra_error::EntraError;
use super::error::AuthError;

/// Renew this long before expiry, so no call leaves with a token that dies in flight.
pub const REFRESH_MARGIN_MS: u64 = 5 * 60 * 1000;

/// A successful answer of `/oauth2/v2.0/token`. Its `Debug` shows no secret.
#[derive(Clone, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    #[serde(deserialize_with = "seconds")]
    pub expires_in: u64,
    /// Rotated on each use: always keep the newest.
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
    pub client_info: Option<String>,
}

impl TokenResponse {
    /// Reads the answer: the tokens when `ok` (HTTP 2xx), else Entra's error.
    pub fn from_answer(ok: bool, body: &str) -> Result<Self, AuthError> {
        if ok {
            return serde_json::from_str(body)
                .map_err(|e| AuthError::Malformed(format!("token answer: {e}")));
        }
        Err(EntraError::from_json(body).map_or_else(
            || AuthError::Malformed("an error answer not in Entra's shape".into()),
            AuthError::Entra,
        ))
    }

    /// The access token, stamped with its expiry as seen from `now_ms` (milliseconds).
    pub fn access_token(&self, now_ms: u64) -> AccessToken {
        AccessToken {
            secret: self.access_token.clone(),
            expires_at_ms: now_ms.saturating_add(self.expires_in.saturating_mul(1000)),
        }
    }
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &self.refresh_token.is_some())
            .field("id_token", &self.id_token.is_some())
            .finish_non_exhaustive()
    }
}

/// `expires_in` is a number in v2.0 answers but a string in older ones.
fn seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(u64),
        Text(String),
    }
    match Seconds::deserialize(deserializer)? {
        Seconds::Number(n) => Ok(n),
        Seconds::Text(text) => text.parse().map_err(serde::de::Error::custom),
    }
}

/// A bearer token for one resource, kept in memory only.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    secret: String,
    expires_at_ms: u64,
}

impl AccessToken {
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// Whether it can still be used at `now_ms`, with the renewal margin to spare.
    pub fn is_fresh(&self, now_ms: u64) -> bool {
        now_ms.saturating_add(REFRESH_MARGIN_MS) < self.expires_at_ms
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AccessToken(expires_at_ms: {})", self.expires_at_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = r#"{"token_type":"Bearer","scope":"https://management.azure.com/user_impersonation",
        "expires_in":3599,"ext_expires_in":3599,"access_token":"at-secret","refresh_token":"rt-secret",
        "id_token":"a.b.c","client_info":"eyJ1aWQiOiJ1IiwidXRpZCI6InQifQ"}"#;

    #[test]
    fn reads_a_successful_answer_and_hides_its_secrets_from_debug() {
        let answer = TokenResponse::from_answer(true, ANSWER).unwrap();
        assert_eq!(answer.expires_in, 3599);
        assert_eq!(answer.refresh_token.as_deref(), Some("rt-secret"));
        let debug = format!("{answer:?} {:?}", answer.access_token(0));
        assert!(!debug.contains("secret"), "{debug}");
    }

    #[test]
    fn accepts_expires_in_as_text() {
        let answer = TokenResponse::from_answer(true, r#"{"access_token":"a","expires_in":"60"}"#);
        assert_eq!(answer.unwrap().expires_in, 60);
    }

    #[test]
    fn an_error_answer_becomes_entras_error() {
        let body = r#"{"error":"consent_required","error_description":"AADSTS65001: The user has not consented.","error_codes":[65001]}"#;
        let Err(AuthError::Entra(error)) = TokenResponse::from_answer(false, body) else {
            panic!("Entra's error was expected");
        };
        assert_eq!(error.remedy(), crate::auth::Remedy::GrantConsent);
        assert!(matches!(
            TokenResponse::from_answer(false, "Bad Gateway"),
            Err(AuthError::Malformed(_))
        ));
        assert!(matches!(
            TokenResponse::from_answer(true, "{}"),
            Err(AuthError::Malformed(_))
        ));
    }

    #[test]
    fn a_token_is_renewed_five_minutes_before_it_expires() {
        let answer = TokenResponse::from_answer(true, ANSWER).unwrap();
        let issued_at = 1_000_000;
        let token = answer.access_token(issued_at);
        let expires_at = issued_at + 3599 * 1000;
        assert!(token.is_fresh(issued_at));
        assert!(token.is_fresh(expires_at - REFRESH_MARGIN_MS - 1));
        assert!(!token.is_fresh(expires_at - REFRESH_MARGIN_MS));
        assert!(!token.is_fresh(expires_at + 1));
    }
}
