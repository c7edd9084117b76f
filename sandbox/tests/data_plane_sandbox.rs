//! The whole sandbox with `--data-plane`: tokens from its Entra (client credentials over HTTPS,
//! the managed-identity endpoint) log in to real Redis servers as its ARM state says.

mod common;
mod data_plane_client;

use std::time::Duration;

use common::{API, Env, MI_ID, PROD, assignment_body, cache_path, claims, header};
use data_plane_client::{call, closed_within, https, is_error_starting, ok, redis};
use reqwest::{Method, StatusCode};
use sandbox::data_plane::{launch::DataPlaneInfo, resp::Reply};
use serde_json::{Value, json};

const MI_CLIENT_ID: &str = "1b0c9d8e-7f6a-4b5c-8d2e-3f4a5b6c7d17";
const DEPLOYER: &str = "orders-deployer";

async fn start() -> Env {
    Env::with_args(&["--data-plane", "--login-https-port=0", "--identity-port=0"]).await
}

fn data_plane(env: &Env) -> &DataPlaneInfo {
    env.sandbox
        .ready
        .data_plane
        .as_ref()
        .expect("the data plane is announced")
}

fn ca(env: &Env) -> String {
    std::fs::read_to_string(&data_plane(env).ca_file).unwrap()
}

fn port_of(env: &Env, name: &str) -> u16 {
    let suffix = format!("/{name}");
    data_plane(env)
        .caches
        .iter()
        .find(|c| c.id.ends_with(&suffix))
        .unwrap()
        .ssl_port
}

fn identity_cache() -> String {
    format!(
        "{}?{API}",
        cache_path(PROD, "platform-rg", "contoso-identity")
    )
}

/// A managed-identity token as App Service's endpoint hands it out.
async fn identity_token(env: &Env, query: &str, secret: Option<&str>) -> (StatusCode, Value) {
    let mut request = env
        .http
        .get(format!("{}?{query}", data_plane(env).identity_endpoint))
        .header("Metadata", "true");
    if let Some(secret) = secret {
        request = request.header("X-IDENTITY-HEADER", secret);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

/// The deployer service principal's client-credentials form for a scope.
fn deployer_form(env: &Env, scope: &str) -> String {
    let deployer = env
        .sandbox
        .ready
        .principals
        .iter()
        .find(|p| p.name == DEPLOYER)
        .unwrap();
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", deployer.client_id.as_deref().unwrap())
        .append_pair("client_secret", deployer.secret.as_deref().unwrap())
        .append_pair("grant_type", "client_credentials")
        .append_pair("scope", scope)
        .finish()
}

/// A token from the HTTPS authority, as MSAL asks for it.
async fn deployer_token(env: &Env, scope: &str) -> String {
    let port: u16 = data_plane(env)
        .login_https
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let path = format!("/{}/oauth2/v2.0/token", env.tenant());
    let (status, body) = https(
        &ca(env),
        port,
        "localhost",
        "POST",
        &path,
        Some(&deployer_form(env, scope)),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str::<Value>(&body).unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn arm_points_each_acl_cache_at_its_local_server() {
    let env = start().await;
    let token = deployer_token(&env, "https://management.azure.com/.default").await;
    let (status, cache) = env.arm_get(&identity_cache(), &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cache["properties"]["hostName"], "localhost");
    assert_eq!(
        cache["properties"]["sslPort"],
        port_of(&env, "contoso-identity")
    );
    let legacy = cache_path(PROD, "orders-rg", "contoso-catalog-legacy");
    assert!(
        data_plane(&env)
            .caches
            .iter()
            .all(|c| !c.id.eq_ignore_ascii_case(&legacy)),
        "Redis 4 has no ACL, so no server"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn discovery_over_https_names_the_https_origin() {
    let env = start().await;
    let port: u16 = data_plane(&env)
        .login_https
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let path = format!("/{}/v2.0/.well-known/openid-configuration", env.tenant());
    let (status, body) = https(&ca(&env), port, "localhost", "GET", &path, None).await;
    assert_eq!(status, 200);
    let document: Value = serde_json::from_str(&body).unwrap();
    let expected = format!(
        "https://localhost:{port}/{}/oauth2/v2.0/token",
        env.tenant()
    );
    assert_eq!(document["token_endpoint"], expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn instance_discovery_over_https_vouches_for_the_host_asked_by() {
    let env = start().await;
    let port: u16 = data_plane(&env)
        .login_https
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let authorize = format!(
        "https%3A%2F%2Flocalhost%3A{port}%2F{}%2Foauth2%2Fv2.0%2Fauthorize",
        env.tenant()
    );
    let path =
        format!("/common/discovery/instance?api-version=1.1&authorization_endpoint={authorize}");
    let (status, body) = https(&ca(&env), port, "localhost", "GET", &path, None).await;
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    let origin = format!("https://localhost:{port}");
    assert_eq!(
        answer["tenant_discovery_endpoint"],
        format!(
            "{origin}/{}/v2.0/.well-known/openid-configuration",
            env.tenant()
        )
    );
    assert_eq!(
        answer["metadata"][0]["aliases"],
        json!([format!("localhost:{port}")])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_managed_identity_logs_in_with_its_policy_rules() {
    let env = start().await;
    let secret = data_plane(&env).identity_header.clone();
    let (status, body) = identity_token(
        &env,
        &format!(
            "api-version=2019-08-01&resource=https://redis.azure.com&client_id={MI_CLIENT_ID}"
        ),
        Some(&secret),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(claims(token)["oid"], MI_ID);
    assert_eq!(claims(token)["aud"], "https://redis.azure.com");
    let expires_on: u64 = body["expires_on"].as_str().unwrap().parse().unwrap();
    assert_eq!(Some(expires_on), claims(token)["exp"].as_u64());

    let mut client = redis(&ca(&env), port_of(&env, "contoso-identity"), "localhost").await;
    assert_eq!(call(&mut client, &["AUTH", MI_ID, token]).await, ok());
    // The fixture's "Orders Reader" policy: +@read +@connection ~orders:*
    assert_eq!(
        call(&mut client, &["GET", "orders:1"]).await,
        Reply::Bulk(None)
    );
    assert!(is_error_starting(
        &call(&mut client, &["GET", "customers:1"]).await,
        "NOPERM"
    ));
    assert!(is_error_starting(
        &call(&mut client, &["SET", "orders:1", "x"]).await,
        "NOPERM"
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_identity_endpoint_checks_its_secret_and_the_identity_named() {
    let env = start().await;
    let secret = data_plane(&env).identity_header.clone();
    let query = "api-version=2019-08-01&resource=https://redis.azure.com";
    assert_eq!(
        identity_token(&env, query, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        identity_token(&env, query, Some("wrong")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = identity_token(&env, query, Some(&secret)).await;
    assert_eq!(status, StatusCode::OK);
    let system_assigned = data_plane(&env).system_assigned_object_id.clone().unwrap();
    assert_eq!(
        claims(body["access_token"].as_str().unwrap())["oid"],
        system_assigned
    );
    let (status, body) = identity_token(
        &env,
        &format!("{query}&principal_id={MI_ID}"),
        Some(&secret),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(claims(body["access_token"].as_str().unwrap())["oid"], MI_ID);
    let (status, body) =
        identity_token(&env, &format!("{query}&client_id={MI_ID}"), Some(&secret)).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an object id is not a client id: {body}"
    );
    let deployer = env
        .sandbox
        .ready
        .principals
        .iter()
        .find(|p| p.name == DEPLOYER)
        .unwrap();
    let app = format!(
        "{query}&client_id={}",
        deployer.client_id.as_deref().unwrap()
    );
    assert_eq!(
        identity_token(&env, &app, Some(&secret)).await.0,
        StatusCode::BAD_REQUEST,
        "an application is no managed identity"
    );
    assert_eq!(
        identity_token(
            &env,
            "api-version=2017-09-01&resource=https://redis.azure.com",
            Some(&secret)
        )
        .await
        .0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_principal_logs_in_once_assigned_and_is_disconnected_when_unassigned() {
    let env = start().await;
    let arm = deployer_token(&env, "https://management.azure.com/.default").await;
    let deployer = claims(&arm)["oid"].as_str().unwrap().to_owned();
    let redis_token = deployer_token(&env, "https://redis.azure.com/.default").await;
    let port = port_of(&env, "contoso-identity");
    let mut client = redis(&ca(&env), port, "localhost").await;
    assert!(
        is_error_starting(
            &call(&mut client, &["AUTH", &deployer, &redis_token]).await,
            "WRONGPASS"
        ),
        "not assigned yet"
    );

    let assignment = format!(
        "{}/accessPolicyAssignments/{deployer}?{API}",
        cache_path(PROD, "platform-rg", "contoso-identity")
    );
    let (status, headers, _) = env
        .arm_call(
            Method::PUT,
            &assignment,
            &arm,
            Some(assignment_body("Data Owner", &deployer, DEPLOYER)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    env.wait_for(&header(&headers, "azure-asyncoperation"), &arm)
        .await;
    assert_eq!(
        call(&mut client, &["AUTH", &deployer, &redis_token]).await,
        ok(),
        "a token issued before the assignment works after it"
    );
    assert_eq!(call(&mut client, &["SET", "k", "v"]).await, ok());
    assert_eq!(
        call(&mut client, &["GET", "k"]).await.text().as_deref(),
        Some("v")
    );

    let (status, _, _) = env.arm_call(Method::DELETE, &assignment, &arm, None).await;
    assert!(status.is_success(), "{status}");
    assert!(
        closed_within(&mut client, Duration::from_secs(5)).await,
        "removing the assignment ends the connection"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn disabling_access_keys_through_arm_ends_key_connections() {
    let env = start().await;
    let arm = deployer_token(&env, "https://management.azure.com/.default").await;
    let served = data_plane(&env)
        .caches
        .iter()
        .find(|c| c.id.ends_with("/contoso-identity"))
        .unwrap()
        .clone();
    let mut client = redis(&ca(&env), served.ssl_port, "localhost").await;
    assert_eq!(
        call(&mut client, &["AUTH", &served.primary_key]).await,
        ok()
    );
    let keys_off = json!({ "properties": { "disableAccessKeyAuthentication": true } });
    let (status, headers, _) = env
        .arm_call(Method::PATCH, &identity_cache(), &arm, Some(keys_off))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    env.wait_for(&header(&headers, "azure-asyncoperation"), &arm)
        .await;
    assert!(closed_within(&mut client, Duration::from_secs(5)).await);
    let mut again = redis(&ca(&env), served.ssl_port, "localhost").await;
    assert!(is_error_starting(
        &call(&mut again, &["AUTH", &served.primary_key]).await,
        "WRONGPASS"
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_generated_benchmark_tenant_is_not_served() {
    use clap::Parser;
    let args = [
        "sandbox",
        "--data-plane",
        "--seed-large=10x10",
        "--login-port=0",
        "--arm-port=0",
        "--graph-port=0",
    ];
    let options = sandbox::Options::parse_from(args.into_iter().chain([
        "--control-port=0",
        "--login-https-port=0",
        "--identity-port=0",
    ]));
    let refused = sandbox::start(options)
        .await
        .err()
        .expect("too many caches to serve");
    assert!(refused.to_string().contains("at most 64"), "{refused}");
}
