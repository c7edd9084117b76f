//! The control API: each fault kind, revocation, the request log and reset.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn fault(env: &Env, rule: Value) {
    assert_eq!(env.control_post("/faults", rule).await, StatusCode::NO_CONTENT);
}

fn assignment_url() -> String {
    format!("{}/accessPolicyAssignments/{DANA_ID}?{API}", orders())
}

#[tokio::test(flavor = "multi_thread")]
async fn status_faults_hit_the_next_matching_requests_only() {
    let env = Env::start().await;
    let token = env.sign_in(ADMIN).await.access_token;
    for status in [429, 409, 500, 503] {
        fault(&env, json!({"service": "arm", "method": "PUT", "path_contains": "accessPolicyAssignments", "count": 1, "fault": {"kind": "status", "status": status, "retry_after": 7}})).await;
        assert_eq!(env.arm_get(&format!("{}?{API}", orders()), &token).await.0, StatusCode::OK, "other requests pass");
        let (got, headers, body) = env.arm_call(Method::PUT, &assignment_url(), &token, Some(assignment_body("Data Owner", DANA_ID, "dana"))).await;
        assert_eq!(got.as_u16(), status);
        assert_eq!(header(&headers, "retry-after"), "7");
        assert!(body["error"]["code"].is_string(), "{body}");
        assert_eq!(header(&headers, "access-control-allow-origin"), "", "no Origin was sent");
    }
    let (got, headers, _) = env.arm_call(Method::PUT, &assignment_url(), &token, Some(assignment_body("Data Owner", DANA_ID, "dana"))).await;
    assert_eq!(got, StatusCode::CREATED);
    env.wait_for(&header(&headers, "azure-asyncoperation"), &token).await;
    assert_eq!(env.control_post("/faults", json!({"service": "arm", "count": 1, "fault": {"kind": "status", "status": 418}})).await, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread")]
async fn faults_answer_in_each_service_shape_with_cors() {
    let env = Env::start().await;
    fault(&env, json!({"service": "login", "path_contains": "/token", "count": 1, "fault": {"kind": "status", "status": 503, "retry_after": 3}})).await;
    let response = env.token(&[("client_id", env.client_id()), ("grant_type", "refresh_token"), ("refresh_token", "x"), ("scope", ARM_SCOPE)]).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["access-control-allow-origin"], APP_ORIGIN);
    assert_eq!(response.json::<Value>().await.unwrap()["error"], "temporarily_unavailable");

    fault(&env, json!({"service": "graph", "count": 1, "fault": {"kind": "status", "status": 429}})).await;
    let response = env.http.get(format!("{}/v1.0/users", env.graph())).header("Origin", APP_ORIGIN).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert_eq!(response.json::<Value>().await.unwrap()["error"]["code"], "TooManyRequests");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_connection_gets_no_answer() {
    let env = Env::start().await;
    let token = env.sign_in(ADMIN).await.access_token;
    fault(&env, json!({"service": "arm", "method": "GET", "count": 1, "fault": {"kind": "drop"}})).await;
    let dropped = env.http.get(format!("{}/subscriptions?api-version=2022-12-01", env.arm())).bearer_auth(&token).send().await;
    assert!(dropped.is_err(), "{dropped:?}");
    assert_eq!(env.arm_get("/subscriptions?api-version=2022-12-01", &token).await.0, StatusCode::OK);
    let log = env.control_get("/requests").await;
    let arm: Vec<&Value> = log.as_array().unwrap().iter().filter(|r| r["service"] == "arm").collect();
    assert_eq!(arm[0]["status"], Value::Null);
    assert_eq!(arm[1]["status"], 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operation_can_be_made_to_fail_and_rolls_back() {
    let env = Env::start().await;
    let token = env.sign_in(ADMIN).await.access_token;
    fault(&env, json!({"service": "arm", "method": "PUT", "path_contains": "accessPolicyAssignments", "count": 1, "fault": {"kind": "lro_failed"}})).await;
    let (status, headers, _) = env.arm_call(Method::PUT, &assignment_url(), &token, Some(assignment_body("Data Owner", DANA_ID, "dana"))).await;
    assert_eq!(status, StatusCode::CREATED);
    let location = header(&headers, "location");
    let done = env.wait_for(&header(&headers, "azure-asyncoperation"), &token).await;
    assert_eq!(done["status"], "Failed");
    let (status, _, body) = env.call(Method::GET, location, &token, None).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::INTERNAL_SERVER_ERROR, Some("ResourceOperationFailure")));
    assert!(done["error"]["code"].is_string());
    let state = env.cache_state("contoso-orders").await;
    assert_eq!(state["accessPolicyAssignments"], json!([]));
    assert_eq!(state["cache"]["properties"]["provisioningState"], "Succeeded");
}

#[tokio::test(flavor = "multi_thread")]
async fn revocation_kills_access_and_refresh_tokens() {
    let env = Env::start().await;
    let tokens = env.sign_in(ADMIN).await;
    let url = format!("{}?{API}", orders());
    fault(&env, json!({"service": "arm", "method": "GET", "path_contains": "contoso-orders", "count": 1, "fault": {"kind": "revoke_tokens"}})).await;
    let (status, body) = env.arm_get(&url, &tokens.access_token).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("InvalidAuthenticationToken")));
    let refreshed = env.refresh(&tokens.refresh_token, ARM_SCOPE).await;
    assert_eq!(refreshed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(refreshed.json::<Value>().await.unwrap()["error"], "invalid_grant");

    let fresh = env.sign_in(ADMIN).await;
    assert_eq!(env.arm_get(&url, &fresh.access_token).await.0, StatusCode::OK);
    assert_eq!(env.control_post("/revoke", json!({"upn": ADMIN})).await, StatusCode::NO_CONTENT);
    assert_eq!(env.arm_get(&url, &fresh.access_token).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(env.control_post("/revoke", json!({"upn": "nobody@contoso.onmicrosoft.com"})).await, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revocation_fault_on_the_token_endpoint_names_the_refresh_token_owner() {
    let env = Env::start().await;
    let admin = env.sign_in(ADMIN).await;
    let reader = env.sign_in(READER).await;
    fault(&env, json!({"service": "login", "path_contains": "/token", "count": 1, "fault": {"kind": "revoke_tokens"}})).await;
    let refused = env.refresh(&admin.refresh_token, ARM_SCOPE).await;
    let body: Value = refused.json().await.unwrap();
    assert_eq!((body["error"].as_str(), body["error_codes"][0].as_u64()), (Some("invalid_grant"), Some(50173)));
    assert_eq!(env.arm_get(&format!("{}?{API}", orders()), &admin.access_token).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(env.refresh(&reader.refresh_token, ARM_SCOPE).await.status(), StatusCode::OK, "only the caller is revoked");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_log_keeps_order_and_masks_secrets() {
    let env = Env::start().await;
    let tokens = env.sign_in(ADMIN).await;
    env.refresh(&tokens.refresh_token, GRAPH_SCOPE).await;
    env.arm_get("/subscriptions?api-version=2022-12-01", &tokens.access_token).await;
    let log = env.control_get("/requests").await;
    let text = log.to_string();
    assert!(!text.contains(&tokens.access_token) && !text.contains(&tokens.refresh_token));
    let entries = log.as_array().unwrap();
    let services: Vec<&str> = entries.iter().map(|e| e["service"].as_str().unwrap()).collect();
    assert_eq!(services, ["login", "login", "login", "login", "arm"]);
    let refresh = &entries[3];
    assert_eq!(refresh["body"]["grant_type"], "refresh_token");
    assert_eq!(refresh["body"]["refresh_token"], "***");
    assert_eq!(entries[4]["headers"]["authorization"], "Bearer ***");
    assert_eq!(entries[4]["query"], "api-version=2022-12-01");
    let cleared = env.http.delete(format!("{}/requests", env.control())).send().await.unwrap();
    assert_eq!(cleared.status(), StatusCode::NO_CONTENT);
    assert_eq!(env.control_get("/requests").await, json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_restores_the_fixture_and_keeps_sign_ins() {
    let env = Env::start().await;
    let token = env.sign_in(ADMIN).await.access_token;
    let (_, headers, _) = env.arm_call(Method::PATCH, &format!("{}?{API}", orders()), &token, Some(json!({"properties": {"redisConfiguration": {"aad-enabled": "true"}}}))).await;
    env.wait_for(&header(&headers, "azure-asyncoperation"), &token).await;
    fault(&env, json!({"service": "graph", "count": 5, "fault": {"kind": "drop"}})).await;
    assert_eq!(env.cache_state("contoso-orders").await["cache"]["properties"]["redisConfiguration"]["aad-enabled"], "true");
    assert_eq!(env.control_post("/reset", json!({})).await, StatusCode::NO_CONTENT);
    assert!(env.cache_state("contoso-orders").await["cache"]["properties"]["redisConfiguration"].get("aad-enabled").is_none());
    assert_eq!(env.control_get("/faults").await, json!([]));
    assert_eq!(env.arm_get(&format!("{}?{API}", orders()), &token).await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn state_lists_every_subscription_with_its_caches() {
    let env = Env::start().await;
    let state = env.control_get("/state").await;
    let subscriptions = state["subscriptions"].as_array().unwrap();
    assert_eq!(subscriptions.len(), 3);
    let total: usize = subscriptions.iter().map(|s| s["caches"].as_array().unwrap().len()).sum();
    assert_eq!(total, 11);
    let identity = env.cache_state("contoso-identity").await;
    assert_eq!(identity["accessPolicyAssignments"].as_array().unwrap().len(), 2);
    assert_eq!(identity["accessPolicies"].as_array().unwrap().len(), 4);
    assert_eq!(identity["accessPolicies"][3]["properties"]["permissions"], "+@read +@connection ~orders:*");
}
