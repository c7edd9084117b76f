//! Entra ID over HTTP: discovery, the sign-in page and its refusals, code redemption with PKCE,
//! refresh tokens, client credentials, CORS.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::Value;

const VERIFIER: &str = "a-verifier-that-is-long-enough-to-be-valid-0123456789";

fn with(params: &[(String, String)], name: &str, value: Option<&str>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = params.iter().filter(|(k, _)| k != name).cloned().collect();
    if let Some(value) = value {
        out.push((name.into(), value.into()));
    }
    out
}

async fn get(env: &Env, params: &[(String, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.http.get(env.authorize_url(&pairs)).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn discovery_points_at_the_sandbox_and_keys_verify_tokens() {
    let env = Env::start().await;
    let config: Value = env.http.get(format!("{}/organizations/v2.0/.well-known/openid-configuration", env.login())).send().await.unwrap().json().await.unwrap();
    assert_eq!(config["token_endpoint"], format!("{}/organizations/oauth2/v2.0/token", env.login()));
    let keys: Value = env.http.get(config["jwks_uri"].as_str().unwrap()).send().await.unwrap().json().await.unwrap();
    let tokens = env.sign_in(ADMIN).await;
    let kid = {
        let header = tokens.access_token.split('.').next().unwrap();
        let header: Value = serde_json::from_slice(&base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, header).unwrap()).unwrap();
        header["kid"].clone()
    };
    assert_eq!(keys["keys"][0]["kid"], kid);
    assert_eq!(keys["keys"][0]["kty"], "RSA");
    let unknown = env.http.get(format!("{}/not-a-tenant/v2.0/.well-known/openid-configuration", env.login())).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert_eq!(unknown.json::<Value>().await.unwrap()["error_codes"][0], 90002);
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_carry_the_claims_the_app_needs() {
    let env = Env::start().await;
    let tokens = env.sign_in(ADMIN).await;
    let access = claims(&tokens.access_token);
    assert_eq!(access["aud"], "https://management.azure.com");
    assert_eq!(access["scp"], "user_impersonation");
    assert_eq!(access["upn"], ADMIN);
    assert_eq!(access["tid"], env.tenant());
    assert!(access["exp"].as_u64().unwrap() > access["iat"].as_u64().unwrap());
    let id = claims(&tokens.id_token);
    assert_eq!(id["nonce"], "nonce-456");
    assert_eq!(id["aud"], env.client_id());
    assert_eq!(id["oid"], access["oid"]);
    let info: Value = serde_json::from_slice(&base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, tokens.body["client_info"].as_str().unwrap()).unwrap()).unwrap();
    assert_eq!(info["uid"], access["oid"]);
    assert_eq!(info["utid"], env.tenant());
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_authorization_requests_get_an_error_page_and_no_code() {
    let env = Env::start().await;
    let good = env.authorize_params(VERIFIER);
    let cases = [
        (with(&good, "client_id", Some("00000000-0000-0000-0000-000000000000")), "AADSTS700016"),
        (with(&good, "redirect_uri", Some("http://127.0.0.1:8400/elsewhere")), "AADSTS50011"),
        (with(&good, "redirect_uri", Some("http://127.0.0.1:8400")), "AADSTS50011"),
        (with(&good, "state", None), "AADSTS900144"),
        (with(&good, "code_challenge", None), "AADSTS9002325"),
        (with(&good, "code_challenge_method", Some("plain")), "AADSTS5000"),
        (with(&good, "response_type", Some("token")), "AADSTS700054"),
    ];
    for (params, code) in cases {
        let response = get(&env, &params).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{code}");
        assert!(response.headers().get("location").is_none());
        let page = response.text().await.unwrap();
        assert!(page.contains(&format!("data-code=\"{code}\"")), "{code}: {page}");
        assert!(!page.contains("name=\"account\""));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_code_comes_back_by_query_or_fragment_with_the_state() {
    let env = Env::start().await;
    let by_query = with(&env.authorize_params(VERIFIER), "response_mode", Some("query"));
    let mut form = by_query.clone();
    form.push(("account".into(), ADMIN.into()));
    let response = env.http.post(format!("{}/{}/oauth2/v2.0/authorize", env.login(), env.tenant())).form(&form).send().await.unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("http://127.0.0.1:8400/?code="), "{location}");
    assert!(location.contains("state=state-123"));
    let back = env.authorize(ADMIN, &env.authorize_params(VERIFIER)).await;
    assert_eq!(param(&back, "state").as_deref(), Some("state-123"));
    assert!(param(&back, "code").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn login_hint_preselects_and_prompt_none_needs_a_session() {
    let env = Env::start().await;
    let hinted = with(&env.authorize_params(VERIFIER), "login_hint", Some(READER));
    let page = get(&env, &hinted).await.text().await.unwrap();
    let first_button = page.find("name=\"account\"").unwrap();
    assert!(page[first_button..].starts_with(&format!("name=\"account\" value=\"{READER}\" class=\"hinted\" autofocus")), "{page}");

    let silent = with(&env.authorize_params(VERIFIER), "prompt", Some("none"));
    let response = get(&env, &silent).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let back = redirect_params(&response);
    assert_eq!(param(&back, "error").as_deref(), Some("login_required"));
    assert_eq!(param(&back, "state").as_deref(), Some("state-123"));
    assert!(param(&back, "code").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_cookie_signs_in_silently() {
    let env = Env::start().await;
    let mut form = env.authorize_params(VERIFIER);
    form.push(("account".into(), ADMIN.into()));
    let response = env.http.post(format!("{}/{}/oauth2/v2.0/authorize", env.login(), env.tenant())).form(&form).send().await.unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let silent = with(&env.authorize_params(VERIFIER), "prompt", Some("none"));
    let pairs: Vec<(&str, &str)> = silent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let again = env.http.get(env.authorize_url(&pairs)).header("cookie", cookie).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::FOUND);
    assert!(param(&redirect_params(&again), "code").is_some());
}

async fn fresh_code(env: &Env) -> String {
    param(&env.authorize(ADMIN, &env.authorize_params(VERIFIER)).await, "code").unwrap()
}

async fn redeem(env: &Env, code: &str, verifier: &str, redirect_uri: &str) -> reqwest::Response {
    env.token(&[
        ("client_id", env.client_id()),
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
        ("scope", ARM_SCOPE),
    ])
    .await
}

async fn error_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    for field in ["error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id"] {
        assert!(body.get(field).is_some(), "{field} missing in {body}");
    }
    (status, body)
}

#[tokio::test(flavor = "multi_thread")]
async fn codes_are_single_use_and_bound_to_verifier_and_redirect() {
    let env = Env::start().await;
    let code = fresh_code(&env).await;
    assert_eq!(redeem(&env, &code, VERIFIER, REDIRECT_URI).await.status(), StatusCode::OK);
    let (_, replay) = error_of(redeem(&env, &code, VERIFIER, REDIRECT_URI).await).await;
    assert_eq!(replay["error"], "invalid_grant");
    assert_eq!(replay["error_codes"][0], 54005);

    let code = fresh_code(&env).await;
    let (_, wrong) = error_of(redeem(&env, &code, "another-verifier-another-verifier-another-verifier", REDIRECT_URI).await).await;
    assert_eq!(wrong["error_codes"][0], 501481);

    let code = fresh_code(&env).await;
    let (_, elsewhere) = error_of(redeem(&env, &code, VERIFIER, "http://localhost:8400/").await).await;
    assert_eq!(elsewhere["error"], "invalid_grant");
    assert!(elsewhere["error_description"].as_str().unwrap().starts_with("AADSTS50011"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_spa_must_redeem_cross_origin_and_without_a_secret() {
    let env = Env::start().await;
    let code = fresh_code(&env).await;
    let no_origin = env
        .http
        .post(format!("{}/{}/oauth2/v2.0/token", env.login(), env.tenant()))
        .form(&[("client_id", env.client_id()), ("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", REDIRECT_URI), ("code_verifier", VERIFIER), ("scope", ARM_SCOPE)])
        .send()
        .await
        .unwrap();
    let (_, body) = error_of(no_origin).await;
    assert_eq!(body["error_codes"][0], 9002327);
    let with_secret = env.token(&[("client_id", env.client_id()), ("grant_type", "authorization_code"), ("code", &code), ("client_secret", "x")]).await;
    assert_eq!(error_of(with_secret).await.1["error_codes"][0], 700025);
}

#[tokio::test(flavor = "multi_thread")]
async fn cors_is_answered_only_for_registered_origins() {
    let env = Env::start().await;
    let url = format!("{}/{}/oauth2/v2.0/token", env.login(), env.tenant());
    let preflight = |origin: &'static str| env.http.request(reqwest::Method::OPTIONS, &url).header("Origin", origin).header("Access-Control-Request-Method", "POST").send();
    let registered = preflight(APP_ORIGIN).await.unwrap();
    assert_eq!(registered.headers()["access-control-allow-origin"], APP_ORIGIN);
    let stranger = preflight("http://evil.example").await.unwrap();
    assert!(stranger.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn extra_redirect_uris_are_registered_with_their_origin() {
    let env = Env::with_args(&["--redirect-uri", "http://127.0.0.1:9999/app/"]).await;
    let params = with(&env.authorize_params(VERIFIER), "redirect_uri", Some("http://127.0.0.1:9999/app/"));
    assert_eq!(get(&env, &params).await.status(), StatusCode::OK);
    let preflight = env
        .http
        .request(reqwest::Method::OPTIONS, format!("{}/{}/oauth2/v2.0/token", env.login(), env.tenant()))
        .header("Origin", "http://127.0.0.1:9999")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.headers()["access-control-allow-origin"], "http://127.0.0.1:9999");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_refresh_token_serves_arm_and_graph_and_rotates() {
    let env = Env::start().await;
    let tokens = env.sign_in(ADMIN).await;
    let graph = env.refresh(&tokens.refresh_token, GRAPH_SCOPE).await;
    assert_eq!(graph.status(), StatusCode::OK);
    let graph: Value = graph.json().await.unwrap();
    assert_eq!(claims(graph["access_token"].as_str().unwrap())["aud"], "https://graph.microsoft.com");
    let rotated = graph["refresh_token"].as_str().unwrap();
    assert_ne!(rotated, tokens.refresh_token);
    let arm: Value = env.refresh(rotated, ARM_SCOPE).await.json().await.unwrap();
    assert_eq!(claims(arm["access_token"].as_str().unwrap())["aud"], "https://management.azure.com");
    let both = env.refresh(rotated, "https://management.azure.com/user_impersonation https://graph.microsoft.com/User.Read").await;
    assert_eq!(error_of(both).await.1["error_codes"][0], 28000);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unconsented_scope_answers_consent_required() {
    let env = Env::start().await;
    let tokens = env.sign_in(ADMIN).await;
    let (_, body) = error_of(env.refresh(&tokens.refresh_token, "https://graph.microsoft.com/Directory.ReadWrite.All").await).await;
    assert_eq!(body["suberror"], "consent_required");
    assert_eq!(body["error_codes"][0], 65001);
    let asking = with(&env.authorize_params(VERIFIER), "scope", Some("openid https://graph.microsoft.com/Mail.Read"));
    let response = get(&env, &asking).await;
    assert_eq!(param(&redirect_params(&response), "error").as_deref(), Some("consent_required"));
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_tokens_die_at_their_hard_lifetime() {
    let env = Env::with_args(&["--refresh-token-lifetime", "1"]).await;
    let tokens = env.sign_in(ADMIN).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, body) = error_of(env.refresh(&tokens.refresh_token, ARM_SCOPE).await).await;
    assert_eq!(body["error"], "invalid_grant");
    assert!(body["error_description"].as_str().unwrap().starts_with("AADSTS700084"));
}

#[tokio::test(flavor = "multi_thread")]
async fn service_principals_sign_in_with_client_credentials() {
    let env = Env::start().await;
    let deployer = env.sandbox.ready.principals.iter().find(|p| p.name == "orders-deployer").unwrap();
    let client_id = deployer.client_id.clone().unwrap();
    let secret = deployer.secret.clone().unwrap();
    let form = |secret: &str| {
        vec![
            ("client_id".to_owned(), client_id.clone()),
            ("grant_type".to_owned(), "client_credentials".to_owned()),
            ("client_secret".to_owned(), secret.to_owned()),
            ("scope".to_owned(), "https://management.azure.com/.default".to_owned()),
        ]
    };
    let url = format!("{}/{}/oauth2/v2.0/token", env.login(), env.tenant());
    let ok: Value = env.http.post(&url).form(&form(&secret)).send().await.unwrap().json().await.unwrap();
    let token = ok["access_token"].as_str().unwrap();
    assert_eq!(claims(token)["oid"], deployer.object_id);
    assert_eq!(claims(token)["idtyp"], "app");
    let (status, caches) = env.arm_get(&format!("/subscriptions/{PROD}/providers/Microsoft.Cache/redis?{API}"), token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!caches["value"].as_array().unwrap().is_empty());
    let bad = env.http.post(&url).form(&form("wrong")).send().await.unwrap();
    let (status, body) = error_of(bad).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error_codes"][0], 7000215);
}
