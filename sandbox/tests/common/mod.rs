//! Drives a sandbox started in this process over real HTTP, as the app and its tests do.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use clap::Parser;
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::Duration;

pub const APP_ORIGIN: &str = "http://127.0.0.1:8400";
pub const REDIRECT_URI: &str = "http://127.0.0.1:8400/";
pub const ARM_SCOPE: &str = "openid profile offline_access https://management.azure.com/user_impersonation";
pub const GRAPH_SCOPE: &str = "https://graph.microsoft.com/User.ReadBasic.All";
pub const API: &str = "api-version=2024-11-01";

pub const ADMIN: &str = "admin@contoso.onmicrosoft.com";
pub const READER: &str = "reader@contoso.onmicrosoft.com";
pub const PROD: &str = "3c9e8d2a-1f4b-4a6c-8e7d-5b2a9c0f1e34";
pub const DEV: &str = "a7d4b1e9-6c3f-4d2a-b8e5-0f9c7a6d3b21";
pub const LEGACY: &str = "e2b5c8f1-3a6d-4e9b-a1c4-7d0e3f6a9b58";
pub const DANA_ID: &str = "3b2c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d03";
pub const GROUP_ID: &str = "9b8c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d09";
pub const MI_ID: &str = "7f6a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b07";

pub fn cache_path(subscription: &str, group: &str, name: &str) -> String {
    format!("/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Cache/redis/{name}")
}

pub fn orders() -> String {
    cache_path(PROD, "orders-rg", "contoso-orders")
}

pub struct Env {
    pub sandbox: sandbox::Sandbox,
    pub http: Client,
}

pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    pub id_token: String,
    pub body: Value,
}

impl Env {
    pub async fn start() -> Env {
        Env::with_args(&[]).await
    }

    /// A sandbox on free ports with test timing and these extra options.
    pub async fn with_args(extra: &[&str]) -> Env {
        let mut args = vec!["sandbox", "--login-port=0", "--arm-port=0", "--graph-port=0", "--control-port=0", "--timing=test"];
        args.extend_from_slice(extra);
        let sandbox = sandbox::start(sandbox::Options::parse_from(args)).await.expect("sandbox starts");
        let http = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Env { sandbox, http }
    }

    pub fn login(&self) -> &str {
        &self.sandbox.ready.origins.login
    }
    pub fn arm(&self) -> &str {
        &self.sandbox.ready.origins.arm
    }
    pub fn graph(&self) -> &str {
        &self.sandbox.ready.origins.graph
    }
    pub fn control(&self) -> &str {
        &self.sandbox.ready.origins.control
    }
    pub fn tenant(&self) -> &str {
        &self.sandbox.ready.tenant_id
    }
    pub fn client_id(&self) -> &str {
        &self.sandbox.ready.spa_client_id
    }

    pub fn authorize_url(&self, pairs: &[(&str, &str)]) -> String {
        let query = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        format!("{}/{}/oauth2/v2.0/authorize?{query}", self.login(), self.tenant())
    }

    /// The parameters of a good authorization request, with this verifier's challenge.
    pub fn authorize_params(&self, verifier: &str) -> Vec<(String, String)> {
        vec![
            ("client_id".into(), self.client_id().into()),
            ("redirect_uri".into(), REDIRECT_URI.into()),
            ("response_type".into(), "code".into()),
            ("scope".into(), ARM_SCOPE.into()),
            ("state".into(), "state-123".into()),
            ("nonce".into(), "nonce-456".into()),
            ("code_challenge".into(), challenge(verifier)),
            ("code_challenge_method".into(), "S256".into()),
            ("response_mode".into(), "fragment".into()),
        ]
    }

    /// Clicks the user's button on the sign-in page and returns the redirect's parameters.
    pub async fn authorize(&self, upn: &str, params: &[(String, String)]) -> Vec<(String, String)> {
        let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = self.http.get(self.authorize_url(&pairs)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains(&format!("<button type=\"submit\" name=\"account\" value=\"{upn}\"")), "{html}");
        let mut form = params.to_vec();
        form.push(("account".into(), upn.into()));
        let response = self.http.post(format!("{}/{}/oauth2/v2.0/authorize", self.login(), self.tenant())).form(&form).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FOUND, "{:?}", response.text().await);
        redirect_params(&response)
    }

    pub async fn token(&self, form: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}/{}/oauth2/v2.0/token", self.login(), self.tenant()))
            .header("Origin", APP_ORIGIN)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Signs the user in through the page and redeems the code for ARM tokens.
    pub async fn sign_in(&self, upn: &str) -> Tokens {
        let verifier = "a-verifier-that-is-long-enough-to-be-valid-0123456789";
        let back = self.authorize(upn, &self.authorize_params(verifier)).await;
        let code = param(&back, "code").expect("a code");
        let response = self
            .token(&[
                ("client_id", self.client_id()),
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT_URI),
                ("code_verifier", verifier),
                ("scope", ARM_SCOPE),
            ])
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        tokens(response.json().await.unwrap())
    }

    pub async fn refresh(&self, refresh_token: &str, scope: &str) -> Response {
        self.token(&[("client_id", self.client_id()), ("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("scope", scope)]).await
    }

    pub async fn graph_token(&self, tokens: &Tokens) -> String {
        let response = self.refresh(&tokens.refresh_token, GRAPH_SCOPE).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn call(&self, method: Method, url: String, token: &str, body: Option<Value>) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut request = self.http.request(method, url).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        (status, headers, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// An ARM call to a path (query added as given).
    pub async fn arm_call(&self, method: Method, path_and_query: &str, token: &str, body: Option<Value>) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        self.call(method, format!("{}{path_and_query}", self.arm()), token, body).await
    }

    pub async fn arm_get(&self, path_and_query: &str, token: &str) -> (StatusCode, Value) {
        let (status, _, body) = self.arm_call(Method::GET, path_and_query, token, None).await;
        (status, body)
    }

    pub async fn control_post(&self, path: &str, body: Value) -> StatusCode {
        self.http.post(format!("{}{path}", self.control())).json(&body).send().await.unwrap().status()
    }

    pub async fn control_get(&self, path: &str) -> Value {
        self.http.get(format!("{}{path}", self.control())).send().await.unwrap().json().await.unwrap()
    }

    /// Polls an Azure-AsyncOperation URL until the operation leaves InProgress.
    pub async fn wait_for(&self, status_url: &str, token: &str) -> Value {
        for _ in 0..100 {
            let (status, _, body) = self.call(Method::GET, status_url.to_owned(), token, None).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            if body["status"] != "InProgress" {
                return body;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the operation never ended");
    }

    /// The cache's entry in the control API's state.
    pub async fn cache_state(&self, name: &str) -> Value {
        let state = self.control_get("/state").await;
        state["subscriptions"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["caches"].as_array().unwrap().clone())
            .find(|c| c["cache"]["name"] == name)
            .expect("cache in state")
    }
}

pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// The parameters a redirect carries, from its fragment or its query.
pub fn redirect_params(response: &Response) -> Vec<(String, String)> {
    let location = response.headers().get("location").expect("a redirect").to_str().unwrap();
    let url = url::Url::parse(location).unwrap();
    let text = url.fragment().map(str::to_owned).unwrap_or_else(|| url.query().unwrap_or_default().to_owned());
    url::form_urlencoded::parse(text.as_bytes()).into_owned().collect()
}

pub fn param(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

pub fn tokens(body: Value) -> Tokens {
    let text = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
    Tokens { access_token: text("access_token"), refresh_token: text("refresh_token"), id_token: text("id_token"), body }
}

/// The claims of a JWT, unverified.
pub fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

pub fn assignment_body(policy: &str, object_id: &str, alias: &str) -> Value {
    json!({ "properties": { "accessPolicyName": policy, "objectId": object_id, "objectIdAlias": alias } })
}

pub fn header(headers: &reqwest::header::HeaderMap, name: &str) -> String {
    headers.get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}
