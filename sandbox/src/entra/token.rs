//! `POST /token`: redeems codes (with PKCE), refresh tokens (rotated, with a hard lifetime from
//! sign-in) and client credentials, and mints the JWTs.

use super::grants::{RefreshGrant, SignIn, CODE_LIFETIME};
use super::scopes::{self, Requested, Resource};
use super::{check_tenant, EntraError};
use crate::state::Shared;
use crate::util::{base64url, unix_now};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

type Params = HashMap<String, String>;

pub async fn redeem(State(shared): State<Arc<Shared>>, Path(tenant): Path<String>, headers: HeaderMap, Form(params): Form<Params>) -> Response {
    match answer(&shared, &tenant, &headers, &params) {
        Ok(body) => Json(body).into_response(),
        Err(e) => e.into_response(),
    }
}

fn answer(shared: &Shared, tenant: &str, headers: &HeaderMap, params: &Params) -> Result<Value, EntraError> {
    check_tenant(shared, tenant)?;
    let param = |name: &str| params.get(name).filter(|v| !v.is_empty()).ok_or_else(|| EntraError::missing(name));
    let grant_type = param("grant_type")?;
    let client_id = param("client_id")?;
    let is_spa = shared.world().directory.spa.client_id.eq_ignore_ascii_case(client_id);
    if is_spa {
        if params.contains_key("client_secret") || params.contains_key("client_assertion") {
            return Err(EntraError::new("invalid_request", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented."));
        }
        if !headers.contains_key(header::ORIGIN) {
            return Err(EntraError::new("invalid_request", 9002327, "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests."));
        }
    }
    match (grant_type.as_str(), is_spa) {
        ("authorization_code", true) => redeem_code(shared, params, param("code")?),
        ("refresh_token", true) => redeem_refresh_token(shared, client_id, param("refresh_token")?, param("scope")?),
        ("client_credentials", false) => client_credentials(shared, client_id, param("client_secret")?, param("scope")?),
        (_, false) if shared.world().directory.service_principal_by_app_id(client_id).is_none() => Err(EntraError::new(
            "unauthorized_client",
            700016,
            format!("Application with identifier '{client_id}' was not found in the directory."),
        )),
        (other, _) => Err(EntraError::new("unsupported_grant_type", 70003, format!("The app requested an unsupported grant type '{other}'."))),
    }
}

fn redeem_code(shared: &Shared, params: &Params, code: &str) -> Result<Value, EntraError> {
    let mut grants = shared.grants();
    let Some(issued) = grants.codes.remove(code) else {
        return Err(if grants.redeemed.contains_key(code) {
            EntraError::new("invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
        } else {
            EntraError::new("invalid_grant", 9002313, "Invalid request. Request is malformed or invalid: the code is not valid.")
        });
    };
    grants.redeemed.insert(code.to_owned(), issued.object_id.clone());
    if issued.issued.elapsed() > CODE_LIFETIME {
        return Err(EntraError::new("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity."));
    }
    if !issued.client_id.eq_ignore_ascii_case(&params["client_id"]) {
        return Err(EntraError::new("invalid_grant", 70000, "The provided value for the 'code' parameter is not valid: it was issued to another client."));
    }
    if params.get("redirect_uri") != Some(&issued.redirect_uri) {
        return Err(EntraError::new("invalid_grant", 50011, "The redirect URI specified in the request does not match the one the authorization code was issued for."));
    }
    let verifier = params.get("code_verifier").filter(|v| !v.is_empty()).ok_or_else(|| EntraError::missing("code_verifier"))?;
    if base64url(&Sha256::digest(verifier.as_bytes())) != issued.code_challenge {
        return Err(EntraError::new("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request."));
    }
    if !grants.is_current(&issued.object_id, issued.signed_in) {
        return Err(revoked());
    }
    drop(grants);
    let scope = params.get("scope").cloned().unwrap_or_else(|| issued.scopes.join(" "));
    let requested = scopes::parse(&scope)?;
    let offline = requested.wants("offline_access");
    user_tokens(shared, &issued.client_id, &issued.object_id, &requested, issued.signed_in, issued.nonce.as_deref(), offline)
}

fn revoked() -> EntraError {
    EntraError::new("invalid_grant", 50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.")
}

fn redeem_refresh_token(shared: &Shared, client_id: &str, token: &str, scope: &str) -> Result<Value, EntraError> {
    let grant = shared.grants().refresh_tokens.get(token).cloned();
    let Some(grant) = grant else {
        return Err(EntraError::new("invalid_grant", 9002313, "Invalid request. Request is malformed or invalid: the refresh token is not valid."));
    };
    if !grant.client_id.eq_ignore_ascii_case(client_id) {
        return Err(EntraError::new("invalid_grant", 70000, "The refresh token was issued to another client."));
    }
    if !shared.grants().is_current(&grant.object_id, grant.signed_in) {
        return Err(revoked());
    }
    let lifetime = shared.options.refresh_token_lifetime;
    if grant.signed_in.at_instant.elapsed().as_secs() >= lifetime {
        return Err(EntraError::new(
            "invalid_grant",
            700084,
            format!("The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of {lifetime} seconds, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page."),
        ));
    }
    // A redeemed refresh token always comes back with its successor.
    user_tokens(shared, client_id, &grant.object_id, &scopes::parse(scope)?, grant.signed_in, None, true)
}

/// Access token, an id token when `openid` is asked, and a refresh token when `offline`.
fn user_tokens(shared: &Shared, client_id: &str, object_id: &str, requested: &Requested, signed_in: SignIn, nonce: Option<&str>, offline: bool) -> Result<Value, EntraError> {
    let world = shared.world();
    let granted = scopes::granted(&world.directory.spa, requested)?;
    let user = world.directory.user(object_id).cloned().ok_or_else(|| EntraError::new("invalid_grant", 50034, "The user account does not exist in the directory."))?;
    let tenant_id = world.directory.tenant.id.clone();
    drop(world);
    let now = unix_now();
    let lifetime = shared.options.access_token_lifetime;
    let subject = base64url(&Sha256::digest(format!("{object_id}/{client_id}").as_bytes()));
    let mut claims = base_claims(shared, requested.resource, &tenant_id, object_id, now);
    claims.extend(
        json!({
            "sub": subject, "name": user.display_name, "upn": user.user_principal_name, "unique_name": user.user_principal_name,
            "scp": granted.join(" "), "appid": client_id, "appidacr": "0", "idtyp": "user", "amr": ["pwd"],
        })
        .as_object()
        .expect("object")
        .clone(),
    );
    let mut body = json!({
        "token_type": "Bearer",
        "scope": granted.iter().map(|s| format!("{}/{s}", requested.resource.audience())).chain(requested.openid.iter().cloned()).collect::<Vec<_>>().join(" "),
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": mint(shared, claims, object_id),
        "client_info": client_info(shared, object_id),
    });
    if requested.wants("openid") {
        let mut id_claims = json!({
            "aud": client_id, "iss": format!("{}/{tenant_id}/v2.0", shared.origins.login), "iat": now, "nbf": now, "exp": now + lifetime,
            "tid": tenant_id, "oid": object_id, "sub": subject, "name": user.display_name, "preferred_username": user.user_principal_name,
            "auth_time": signed_in.at, "ver": "2.0",
        });
        if let Some(nonce) = nonce {
            id_claims["nonce"] = nonce.into();
        }
        body["id_token"] = crate::jwt::signer().sign(&id_claims).into();
    }
    if offline {
        let token = format!("1.{}", crate::util::random_token(96));
        let grant = RefreshGrant { client_id: client_id.to_owned(), object_id: object_id.to_owned(), signed_in };
        shared.grants().refresh_tokens.insert(token.clone(), grant);
        body["refresh_token"] = token.into();
        let left = shared.options.refresh_token_lifetime.saturating_sub(signed_in.at_instant.elapsed().as_secs());
        body["refresh_token_expires_in"] = left.into();
    }
    Ok(body)
}

fn client_credentials(shared: &Shared, client_id: &str, secret: &str, scope: &str) -> Result<Value, EntraError> {
    let world = shared.world();
    let principal = world.directory.service_principal_by_app_id(client_id).cloned().expect("checked by the caller");
    let tenant_id = world.directory.tenant.id.clone();
    drop(world);
    if principal.secret.as_deref() != Some(secret) {
        return Err(EntraError::new("invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."));
    }
    let requested = scopes::parse(scope)?;
    if requested.names != [".default"] {
        return Err(EntraError::new("invalid_scope", 1002012, format!("The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")));
    }
    let now = unix_now();
    let mut claims = base_claims(shared, requested.resource, &tenant_id, &principal.id, now);
    claims.extend(
        json!({ "sub": principal.id, "appid": principal.app_id, "app_displayname": principal.display_name, "appidacr": "1", "idtyp": "app", "roles": [] })
            .as_object()
            .expect("object")
            .clone(),
    );
    let lifetime = shared.options.access_token_lifetime;
    Ok(json!({ "token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": mint(shared, claims, &principal.id) }))
}

/// Claims every access token carries, shaped like Entra's v1.0 tokens for Azure resources.
pub(crate) fn base_claims(shared: &Shared, resource: Resource, tenant_id: &str, object_id: &str, now: u64) -> Map<String, Value> {
    let claims = json!({
        "aud": resource.audience(),
        "iss": format!("https://sts.windows.net/{tenant_id}/"),
        "iat": now, "nbf": now, "exp": now + shared.options.access_token_lifetime,
        "tid": tenant_id, "oid": object_id, "ver": "1.0",
        "uti": crate::util::random_token(16),
    });
    claims.as_object().expect("object").clone()
}

/// Signs an access token and remembers it so a revocation can void it; a token for Redis
/// becomes a password on the caches where its principal is a user.
pub(crate) fn mint(shared: &Shared, claims: Map<String, Value>, object_id: &str) -> String {
    let uti = claims["uti"].as_str().expect("uti").to_owned();
    shared.grants().record_access_token(uti, object_id);
    let token = crate::jwt::signer().sign(&Value::Object(claims.clone()));
    if let Some(data_plane) = shared.data_plane.get().filter(|_| claims["aud"] == Resource::Redis.audience()) {
        data_plane.token_issued(object_id, &token, claims["exp"].as_u64().unwrap_or_default());
    }
    token
}

/// MSAL's account key material: base64url of `{uid, utid}` (home tenant for guests).
pub fn client_info(shared: &Shared, object_id: &str) -> String {
    let world = shared.world();
    let home = world.directory.user(object_id).and_then(|u| u.home_tenant_id.clone()).unwrap_or_else(|| world.directory.tenant.id.clone());
    base64url(json!({ "uid": object_id, "utid": home }).to_string().as_bytes())
}

