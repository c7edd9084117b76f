//! Bearer tokens as Resource Manager and Graph check them: signature, audience, lifetime and
//! revocation. Each service renders the failure in its own error shape.

use crate::state::Shared;
use crate::util::unix_now;
use axum::http::{header, HeaderMap};
use serde_json::Value;

/// Who is calling, from a valid access token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub object_id: String,
    /// The user principal name, or the application's name for app tokens.
    pub name: String,
    pub scopes: Vec<String>,
    pub roles: Vec<String>,
    pub is_app: bool,
}

impl Caller {
    pub fn has_any_scope(&self, wanted: &[&str]) -> bool {
        self.scopes.iter().chain(&self.roles).any(|s| wanted.contains(&s.as_str()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BearerError {
    Missing,
    Malformed,
    WrongAudience(String),
    Expired,
    Revoked,
}

/// The token of an `Authorization: Bearer` header, if any.
pub fn token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Checks the request's bearer token against the audiences the service accepts.
pub fn authenticate(shared: &Shared, headers: &HeaderMap, audiences: &[&str]) -> Result<Caller, BearerError> {
    let token = token(headers).ok_or(BearerError::Missing)?;
    let claims = crate::jwt::signer().verify(token).ok_or(BearerError::Malformed)?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
    let audience = text("aud");
    if !audiences.contains(&audience.as_str()) {
        return Err(BearerError::WrongAudience(audience));
    }
    let now = unix_now();
    let expires = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
    let not_before = claims.get("nbf").and_then(Value::as_u64).unwrap_or(0);
    if now >= expires {
        return Err(BearerError::Expired);
    }
    if now + 300 < not_before {
        return Err(BearerError::Malformed);
    }
    if !shared.grants().access_token_current(&text("uti")) {
        return Err(BearerError::Revoked);
    }
    let list = |name: &str| -> Vec<String> {
        match claims.get(name) {
            Some(Value::String(s)) => s.split_whitespace().map(str::to_owned).collect(),
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => Vec::new(),
        }
    };
    let is_app = text("idtyp") == "app";
    Ok(Caller {
        object_id: text("oid"),
        name: if is_app { text("app_displayname") } else { text("upn") },
        scopes: list("scp"),
        roles: list("roles"),
        is_app,
    })
}
