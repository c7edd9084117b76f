//! Microsoft Entra ID's v2.0 endpoints: discovery, keys, the sign-in page (`/authorize`) and
//! `/token`, for the SPA (authorization code + PKCE, refresh) and confidential service
//! principals (client credentials).

mod authorize;
mod discovery;
mod error;
pub mod grants;
mod scopes;
mod token;

pub use error::EntraError;
pub(crate) use discovery::OverHttps;
pub(crate) use scopes::Resource;
pub(crate) use token::{base_claims, mint};

use crate::state::Shared;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/{tenant}/v2.0/.well-known/openid-configuration", get(discovery::openid_configuration))
        .route("/{tenant}/discovery/v2.0/keys", get(discovery::keys))
        .route("/{tenant}/discovery/instance", get(discovery::instance))
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize::show).post(authorize::choose))
        .route("/{tenant}/oauth2/v2.0/token", post(token::redeem))
        .route("/{tenant}/oauth2/v2.0/logout", get(authorize::logout))
}

/// Tenant names the endpoints accept besides the tenant id.
const TENANT_ALIASES: [&str; 2] = ["organizations", "common"];

/// Checks the `{tenant}` path segment.
fn check_tenant(shared: &Shared, tenant: &str) -> Result<(), EntraError> {
    let known = shared.world().directory.tenant.id.eq_ignore_ascii_case(tenant) || TENANT_ALIASES.contains(&tenant);
    if known {
        Ok(())
    } else {
        Err(EntraError::new("invalid_request", 90002, format!("Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")))
    }
}

/// A scripted fault in Entra's error shape.
pub fn fault_response(status: StatusCode, retry_after: Option<u64>) -> Response {
    let error = match status {
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => "temporarily_unavailable",
        _ => "server_error",
    };
    let mut response = EntraError::new(error, 90033, "A transient error has occurred. Please try again.").with_status(status).into_response();
    if let Some(seconds) = retry_after {
        response.headers_mut().insert("retry-after", seconds.into());
    }
    response
}

/// The principal a request acts for, so a revocation fault can name it: the bearer token's
/// subject, or the owner of the code, refresh token, account or client in a form body.
pub fn caller_object_id(shared: &Shared, headers: &HeaderMap, body: &[u8]) -> Option<String> {
    if let Some(token) = crate::bearer::token(headers) {
        let claims = crate::jwt::claims_unverified(token)?;
        return claims.get("oid").and_then(|v| v.as_str()).map(str::to_owned);
    }
    let form: std::collections::HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let grants = shared.grants();
    if let Some(grant) = form.get("refresh_token").and_then(|t| grants.refresh_tokens.get(t)) {
        return Some(grant.object_id.clone());
    }
    if let Some(code) = form.get("code").and_then(|c| grants.codes.get(c)) {
        return Some(code.object_id.clone());
    }
    drop(grants);
    let world = shared.world();
    if let Some(user) = form.get("account").and_then(|upn| world.directory.user_by_upn(upn)) {
        return Some(user.id.clone());
    }
    form.get("client_id").and_then(|id| world.directory.service_principal_by_app_id(id)).map(|sp| sp.id.clone())
}
