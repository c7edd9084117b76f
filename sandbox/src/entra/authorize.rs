//! The sign-in page. `GET /authorize` checks the request and lists the seeded users as plain
//! form buttons (no script, so it works under any CSP); `POST /authorize` signs the chosen user
//! in, sets a session cookie and redirects back with a code and the state.

use super::grants::AuthCode;
use super::{check_tenant, scopes, EntraError};
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

const SESSION_COOKIE: &str = "sandbox_session";

type Params = HashMap<String, String>;

/// A request that passed the checks that need no redirect: the client and redirect URI are
/// known, so what is still wrong can be told to the app.
struct Checked {
    redirect_uri: String,
    state: String,
    code_challenge: String,
    requested: scopes::Requested,
    fragment: bool,
}

/// Checks an authorization request; an error here is shown as a page, never redirected.
fn check(shared: &Shared, tenant: &str, params: &Params) -> Result<Checked, EntraError> {
    check_tenant(shared, tenant)?;
    let param = |name: &str| params.get(name).filter(|v| !v.is_empty());
    let world = shared.world();
    let spa = &world.directory.spa;
    let client_id = param("client_id").ok_or_else(|| EntraError::missing("client_id"))?;
    if !client_id.eq_ignore_ascii_case(&spa.client_id) {
        return Err(EntraError::new("unauthorized_client", 700016, format!("Application with identifier '{client_id}' was not found in the directory '{}'.", world.directory.tenant.display_name)));
    }
    let redirect_uri = param("redirect_uri").ok_or_else(|| EntraError::missing("redirect_uri"))?;
    if !spa.redirect_uris.iter().any(|r| r == redirect_uri) {
        return Err(EntraError::new("invalid_request", 50011, format!("The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'.")));
    }
    let response_type = param("response_type").ok_or_else(|| EntraError::missing("response_type"))?;
    if response_type != "code" {
        return Err(EntraError::new("unsupported_response_type", 700054, format!("response_type '{response_type}' is not enabled for the application.")));
    }
    let state = param("state").ok_or_else(|| EntraError::missing("state"))?;
    let code_challenge = param("code_challenge")
        .ok_or_else(|| EntraError::new("invalid_request", 9002325, "Proof Key for Code Exchange is required for cross-origin authorization code redemption."))?;
    if param("code_challenge_method").map(String::as_str) != Some("S256") {
        return Err(EntraError::new("invalid_request", 5000, "The code_challenge_method must be 'S256'; 'plain' and absent methods are refused."));
    }
    let fragment = match param("response_mode").map(String::as_str) {
        None | Some("query") => false,
        Some("fragment") => true,
        Some(other) => return Err(EntraError::new("invalid_request", 900144, format!("The response_mode '{other}' is not supported."))),
    };
    let requested = scopes::parse(param("scope").ok_or_else(|| EntraError::missing("scope"))?)?;
    Ok(Checked { redirect_uri: redirect_uri.clone(), state: state.clone(), code_challenge: code_challenge.clone(), requested, fragment })
}

/// Sends the browser back to the app with these parameters, the way it asked.
fn back_to_app(checked: &Checked, mut pairs: Vec<(&str, String)>) -> Response {
    pairs.push(("state", checked.state.clone()));
    let mut url = url::Url::parse(&checked.redirect_uri).expect("registered redirect URIs are URLs");
    if checked.fragment {
        let encoded = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        url.set_fragment(Some(&encoded));
    } else {
        url.query_pairs_mut().extend_pairs(pairs);
    }
    found(url.as_str())
}

/// Entra redirects with 302 Found.
fn found(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, HeaderValue::from_str(location).expect("a URL"))]).into_response()
}

fn error_back(checked: &Checked, error: &EntraError) -> Response {
    back_to_app(checked, vec![("error", error.suberror.unwrap_or(error.error).to_owned()), ("error_description", error.headline())])
}

fn session_id(headers: &HeaderMap) -> Option<String> {
    let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
    cookies.split(';').find_map(|c| c.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('=')).map(str::to_owned)
}

pub async fn show(State(shared): State<Arc<Shared>>, Path(tenant): Path<String>, Query(params): Query<Params>, headers: HeaderMap) -> Response {
    let checked = match check(&shared, &tenant, &params) {
        Ok(checked) => checked,
        Err(e) => return error_page(&e),
    };
    if let Err(e) = scopes::granted(&shared.world().directory.spa, &checked.requested) {
        return error_back(&checked, &e);
    }
    let prompt = params.get("prompt").map(String::as_str);
    let hint = params.get("login_hint").filter(|h| !h.is_empty());
    let session_user = session_id(&headers).and_then(|id| shared.grants().session(&id).map(|s| s.object_id.clone()));
    let signed_in = session_user.and_then(|id| shared.world().directory.user(&id).cloned());
    let hint_matches = |upn: &str| hint.is_none_or(|h| h.eq_ignore_ascii_case(upn));
    match (signed_in, prompt) {
        (Some(user), None | Some("none")) if hint_matches(&user.user_principal_name) => issue_code(&shared, &checked, &params, &user.id, None),
        (_, Some("none")) => error_back(&checked, &EntraError::new("login_required", 50058, "A silent sign-in request was sent but no user is signed in.")),
        _ => sign_in_page(&shared, &tenant, &params, hint.map(String::as_str)),
    }
}

pub async fn choose(State(shared): State<Arc<Shared>>, Path(tenant): Path<String>, Form(params): Form<Params>) -> Response {
    let checked = match check(&shared, &tenant, &params) {
        Ok(checked) => checked,
        Err(e) => return error_page(&e),
    };
    let chosen = params.get("account").and_then(|upn| shared.world().directory.user_by_upn(upn).map(|u| u.id.clone()));
    let Some(object_id) = chosen else {
        return error_page(&EntraError::new("invalid_request", 50034, "The user account does not exist in the directory."));
    };
    let session = crate::util::random_token(32);
    let mut grants = shared.grants();
    let signed_in = grants.sign_in(&object_id);
    grants.sessions.insert(session.clone(), super::grants::Session { object_id: object_id.clone(), signed_in });
    drop(grants);
    issue_code(&shared, &checked, &params, &object_id, Some(session))
}

/// Redirects back with a fresh single-use code for the user (and sets the session cookie).
fn issue_code(shared: &Shared, checked: &Checked, params: &Params, object_id: &str, new_session: Option<String>) -> Response {
    let code = crate::util::random_token(48);
    let mut grants = shared.grants();
    let signed_in = grants.sign_in(object_id);
    grants.codes.insert(
        code.clone(),
        AuthCode {
            client_id: params["client_id"].clone(),
            redirect_uri: checked.redirect_uri.clone(),
            code_challenge: checked.code_challenge.clone(),
            object_id: object_id.to_owned(),
            scopes: params["scope"].split_whitespace().map(str::to_owned).collect(),
            nonce: params.get("nonce").cloned(),
            issued: signed_in.at_instant,
            signed_in,
        },
    );
    drop(grants);
    let mut pairs = vec![("code", code)];
    if params.get("client_info").is_some_and(|v| v == "1") {
        pairs.push(("client_info", super::token::client_info(shared, object_id)));
    }
    let mut response = back_to_app(checked, pairs);
    if let Some(session) = new_session {
        let cookie = format!("{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Lax");
        response.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("cookie text"));
    }
    response
}

pub async fn logout(State(shared): State<Arc<Shared>>, Query(params): Query<Params>, headers: HeaderMap) -> Response {
    if let Some(id) = session_id(&headers) {
        shared.grants().sessions.remove(&id);
    }
    let expired = format!("{SESSION_COOKIE}=; Path=/; Max-Age=0");
    let registered = |uri: &str| shared.world().directory.spa.redirect_uris.iter().any(|r| uri.starts_with(r.as_str()));
    let mut response = match params.get("post_logout_redirect_uri").filter(|u| registered(u)) {
        Some(uri) => found(uri),
        None => Html(page("Signed out", "<p>You have signed out of the Keyless sandbox.</p>")).into_response(),
    };
    response.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&expired).expect("cookie text"));
    response
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title><style>body{{font-family:sans-serif;max-width:32rem;margin:3rem auto}}button{{display:block;width:100%;margin:.5rem 0;padding:.75rem;text-align:left;font-size:1rem}}button.hinted{{border:2px solid #0067b8}}</style></head><body><h1>{title}</h1>{body}</body></html>"
    )
}

fn error_page(error: &EntraError) -> Response {
    let body = format!("<p id=\"error\" data-code=\"AADSTS{}\">{}</p>", error.code, escape(&error.headline()));
    (StatusCode::BAD_REQUEST, Html(page("Sorry, but we're having trouble signing you in.", &body))).into_response()
}

fn sign_in_page(shared: &Shared, tenant: &str, params: &Params, hint: Option<&str>) -> Response {
    let world = shared.world();
    let mut form = format!("<form method=\"post\" action=\"/{}/oauth2/v2.0/authorize\">", escape(tenant));
    for (name, value) in params.iter().filter(|(name, _)| name.as_str() != "account") {
        let _ = write!(form, "<input type=\"hidden\" name=\"{}\" value=\"{}\">", escape(name), escape(value));
    }
    let mut users: Vec<_> = world.directory.users.iter().collect();
    users.sort_by_key(|u| !hint.is_some_and(|h| h.eq_ignore_ascii_case(&u.user_principal_name)));
    for user in users {
        let hinted = hint.is_some_and(|h| h.eq_ignore_ascii_case(&user.user_principal_name));
        let _ = write!(
            form,
            "<button type=\"submit\" name=\"account\" value=\"{upn}\"{class}>{name}<br><small>{upn}</small></button>",
            upn = escape(&user.user_principal_name),
            name = escape(&user.display_name),
            class = if hinted { " class=\"hinted\" autofocus" } else { "" },
        );
    }
    form.push_str("</form>");
    let title = format!("Sign in to {}", world.directory.tenant.display_name);
    Html(page(&title, &format!("<p>Pick an account</p>{form}"))).into_response()
}
