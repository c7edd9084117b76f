//! OpenID Connect discovery and the signing keys.

use super::check_tenant;
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::http::{header, HeaderMap};
use axum::{Extension, Json};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// Marks requests that reached the authority over HTTPS, where the client libraries meet it
/// under whatever name they were given: the document then names that origin.
#[derive(Debug, Clone, Copy)]
pub struct OverHttps;

pub async fn openid_configuration(State(shared): State<Arc<Shared>>, Path(tenant): Path<String>, https: Option<Extension<OverHttps>>, headers: HeaderMap) -> Response {
    if let Err(e) = check_tenant(&shared, &tenant) {
        return e.into_response();
    }
    let login = &public_origin(&shared, https, &headers);
    // As in Entra, the multi-tenant documents name the issuer with a placeholder.
    let issuer_tenant = if super::TENANT_ALIASES.contains(&tenant.as_str()) { "{tenantid}".to_owned() } else { shared.world().directory.tenant.id.clone() };
    Json(json!({
        "issuer": format!("{login}/{issuer_tenant}/v2.0"),
        "authorization_endpoint": format!("{login}/{tenant}/oauth2/v2.0/authorize"),
        "token_endpoint": format!("{login}/{tenant}/oauth2/v2.0/token"),
        "end_session_endpoint": format!("{login}/{tenant}/oauth2/v2.0/logout"),
        "jwks_uri": format!("{login}/{tenant}/discovery/v2.0/keys"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "preferred_username", "oid", "tid", "ver"],
        "tenant_region_scope": "EU",
        "request_uri_parameter_supported": false,
    }))
    .into_response()
}

/// The origin a client reached the authority at: the HTTPS one by the name it used, else the
/// plain login origin.
fn public_origin(shared: &Shared, https: Option<Extension<OverHttps>>, headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match (https, host) {
        (Some(_), Some(host)) => format!("https://{host}"),
        _ => shared.origins.login.clone(),
    }
}

/// Instance discovery, which MSAL asks of an authority host before trusting it: this host is
/// its own only alias, and the tenant is the one in the asked-about authorization endpoint.
pub async fn instance(State(shared): State<Arc<Shared>>, https: Option<Extension<OverHttps>>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let login = public_origin(&shared, https, &headers);
    let tenant = query
        .get("authorization_endpoint")
        .and_then(|endpoint| url::Url::parse(endpoint).ok())
        .and_then(|url| url.path_segments()?.next().map(str::to_owned))
        .unwrap_or_else(|| "common".to_owned());
    let host = login.split("://").nth(1).unwrap_or_default().to_owned();
    Json(json!({
        "tenant_discovery_endpoint": format!("{login}/{tenant}/v2.0/.well-known/openid-configuration"),
        "api-version": "1.1",
        "metadata": [{ "preferred_network": host, "preferred_cache": host, "aliases": [host] }],
    }))
    .into_response()
}

pub async fn keys(State(shared): State<Arc<Shared>>, Path(tenant): Path<String>) -> Response {
    match check_tenant(&shared, &tenant) {
        Ok(()) => Json(crate::jwt::signer().jwks()).into_response(),
        Err(e) => e.into_response(),
    }
}
