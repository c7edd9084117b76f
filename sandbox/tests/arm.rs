//! Resource Manager over HTTP: every behaviour the app depends on, and every refusal.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn aad(value: &str) -> Value {
    json!({ "properties": { "redisConfiguration": { "aad-enabled": value } } })
}

async fn admin(env: &Env) -> String {
    env.sign_in(ADMIN).await.access_token
}

#[tokio::test(flavor = "multi_thread")]
async fn api_version_is_required_and_checked() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let (status, body) = env.arm_get(&orders(), &token).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("MissingApiVersionParameter")));
    let (status, body) = env.arm_get(&format!("{}?api-version=2023-08-01", orders()), &token).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("InvalidApiVersionParameter")));
    let (status, _) = env.arm_get(&format!("{}?{API}", orders()), &token).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn bearer_tokens_are_checked() {
    let env = Env::with_args(&["--access-token-lifetime", "1"]).await;
    let tokens = env.sign_in(ADMIN).await;
    let url = format!("{}?{API}", orders());
    let code = |body: Value| body["error"]["code"].as_str().unwrap().to_owned();

    let (status, headers, body) = env.arm_call(Method::GET, &url, "", None).await;
    assert_eq!((status, code(body)), (StatusCode::UNAUTHORIZED, "AuthenticationFailed".into()));
    assert!(header(&headers, "www-authenticate").starts_with("Bearer authorization_uri="));

    let graph = env.graph_token(&tokens).await;
    let (status, body) = env.arm_get(&url, &graph).await;
    assert_eq!((status, code(body)), (StatusCode::UNAUTHORIZED, "InvalidAuthenticationTokenAudience".into()));

    let mut forged = tokens.access_token.clone();
    forged.replace_range(forged.len() - 4.., "AAAA");
    let (status, body) = env.arm_get(&url, &forged).await;
    assert_eq!((status, code(body)), (StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken".into()));

    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, body) = env.arm_get(&url, &tokens.access_token).await;
    assert_eq!((status, code(body)), (StatusCode::UNAUTHORIZED, "ExpiredAuthenticationToken".into()));
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_decide_what_exists_and_what_may_be_written() {
    let env = Env::start().await;
    let reader = env.sign_in(READER).await.access_token;
    let (_, subscriptions) = env.arm_get("/subscriptions?api-version=2022-12-01", &reader).await;
    let ids: Vec<&str> = subscriptions["value"].as_array().unwrap().iter().map(|s| s["subscriptionId"].as_str().unwrap()).collect();
    assert_eq!(ids, [PROD]);

    let dev_cache = format!("{}?{API}", cache_path(DEV, "dev-rg", "contoso-dev-basic"));
    let (status, body) = env.arm_get(&dev_cache, &reader).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("SubscriptionNotFound")));

    let (status, _) = env.arm_get(&format!("{}?{API}", orders()), &reader).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, body) = env.arm_call(Method::PATCH, &format!("{}?{API}", orders()), &reader, Some(aad("true"))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("AuthorizationFailed")));
    assert!(body["error"]["message"].as_str().unwrap().contains("Microsoft.Cache/redis/write"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_disabled_subscription_is_read_only() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let archive = format!("{}?{API}", cache_path(LEGACY, "legacy-rg", "contoso-archive"));
    assert_eq!(env.arm_get(&archive, &token).await.0, StatusCode::OK);
    let (status, _, body) = env.arm_call(Method::PATCH, &archive, &token, Some(aad("true"))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("ReadOnlyDisabledSubscription")));
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_groups_and_caches_are_404s() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let (status, body) = env.arm_get(&format!("{}?{API}", cache_path(PROD, "nowhere-rg", "contoso-orders")), &token).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("ResourceGroupNotFound")));
    let (status, body) = env.arm_get(&format!("{}?{API}", cache_path(PROD, "orders-rg", "nothing-here")), &token).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("ResourceNotFound")));
}

#[tokio::test(flavor = "multi_thread")]
async fn ids_say_capital_redis_and_paths_match_in_any_case() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let shouting = format!("/SUBSCRIPTIONS/{PROD}/RESOURCEGROUPS/ORDERS-RG/PROVIDERS/MICROSOFT.CACHE/REDIS/CONTOSO-ORDERS?{API}");
    let (status, body) = env.arm_get(&shouting, &token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["id"], format!("/subscriptions/{PROD}/resourceGroups/orders-rg/providers/Microsoft.Cache/Redis/contoso-orders"));
    assert_eq!(body["type"], "Microsoft.Cache/Redis");
}

#[tokio::test(flavor = "multi_thread")]
async fn enabling_entra_is_a_long_running_operation_with_both_headers() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let url = format!("{}?{API}", orders());
    let (status, headers, body) = env.arm_call(Method::PATCH, &url, &token, Some(aad("tRuE"))).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(body["properties"]["provisioningState"], "ConfiguringAAD");
    assert!(body["properties"]["redisConfiguration"].get("aad-enabled").is_none());
    let async_operation = header(&headers, "azure-asyncoperation");
    let location = header(&headers, "location");
    for link in [&async_operation, &location] {
        assert!(link.starts_with(env.arm()), "{link}");
        assert!(link.contains("/locations/West%20Europe/"), "{link}");
        assert!(link.len() > 2000, "{} chars", link.len());
    }
    assert!(!header(&headers, "retry-after").is_empty());

    let (_, _, second) = env.arm_call(Method::PATCH, &url, &token, Some(json!({"properties": {"enableNonSslPort": true}}))).await;
    assert_eq!(second["error"]["code"], "Conflict", "a write while busy is refused");

    let (status, _, first_poll) = env.call(Method::GET, async_operation.clone(), &token, None).await;
    assert_eq!((status, first_poll["status"].as_str()), (StatusCode::OK, Some("InProgress")));
    let (status, _, _) = env.call(Method::GET, location.clone(), &token, None).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let done = env.wait_for(&async_operation, &token).await;
    assert_eq!(done["status"], "Succeeded");
    assert!(done["endTime"].is_string());
    let (status, _, final_body) = env.call(Method::GET, location, &token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(final_body["properties"]["redisConfiguration"]["aad-enabled"], "tRuE", "echoed in the caller's casing");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_provisioning_state_walks_through_its_phases() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let url = format!("{}?{API}", orders());
    env.arm_call(Method::PATCH, &url, &token, Some(aad("true"))).await;
    let mut seen = Vec::new();
    for _ in 0..60 {
        let state = env.arm_get(&url, &token).await.1["properties"]["provisioningState"].as_str().unwrap().to_owned();
        if seen.last() != Some(&state) {
            seen.push(state.clone());
        }
        if state == "Succeeded" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(seen, ["ConfiguringAAD", "Updating", "Succeeded"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_toggle_must_travel_alone_and_needs_redis_6() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let combined = json!({ "properties": { "redisConfiguration": { "aad-enabled": "true" }, "sku": { "name": "Premium", "family": "P", "capacity": 2 } } });
    let (status, _, body) = env.arm_call(Method::PATCH, &format!("{}?{API}", orders()), &token, Some(combined)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]["message"].as_str().unwrap().contains("one single request"));
    let unchanged = json!({ "properties": { "redisConfiguration": { "aad-enabled": "true", "maxclients": "1000" }, "sku": { "name": "Premium", "family": "P", "capacity": 1 } } });
    let (status, _, _) = env.arm_call(Method::PATCH, &format!("{}?{API}", orders()), &token, Some(unchanged)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "re-sending unchanged settings is no other change");

    let legacy = format!("{}?{API}", cache_path(PROD, "orders-rg", "contoso-catalog-legacy"));
    let (status, _, _) = env.arm_call(Method::PATCH, &legacy, &token, Some(aad("true"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread")]
async fn access_keys_go_only_after_entra_and_without_geo_replication() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let keys_off = json!({ "properties": { "disableAccessKeyAuthentication": true } });
    let (status, _, _) = env.arm_call(Method::PATCH, &format!("{}?{API}", orders()), &token, Some(keys_off.clone())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let identity = format!("{}?{API}", cache_path(PROD, "platform-rg", "contoso-identity"));
    let (status, headers, _) = env.arm_call(Method::PATCH, &identity, &token, Some(keys_off)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    env.wait_for(&header(&headers, "azure-asyncoperation"), &token).await;
    assert_eq!(env.arm_get(&identity, &token).await.1["properties"]["disableAccessKeyAuthentication"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_busy_cache_refuses_every_write() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let busy = cache_path(PROD, "platform-rg", "contoso-busy");
    let (status, _, body) = env.arm_call(Method::PATCH, &format!("{busy}?{API}"), &token, Some(aad("true"))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("Conflict")));
    let put = format!("{busy}/accessPolicyAssignments/{DANA_ID}?{API}");
    let (status, _, _) = env.arm_call(Method::PUT, &put, &token, Some(assignment_body("Data Owner", DANA_ID, "dana"))).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread")]
async fn assignment_puts_answer_201_with_updating_even_on_update() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let url = format!("{}/accessPolicyAssignments/{DANA_ID}?{API}", orders());
    for policy in ["Data Reader", "Data Contributor"] {
        let (status, headers, body) = env.arm_call(Method::PUT, &url, &token, Some(assignment_body(policy, DANA_ID, "dana"))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["properties"]["provisioningState"], "Updating");
        assert_eq!(body["properties"]["accessPolicyName"], policy);
        env.wait_for(&header(&headers, "azure-asyncoperation"), &token).await;
    }
    let (_, listed) = env.arm_get(&format!("{}/accessPolicyAssignments?{API}", orders()), &token).await;
    assert_eq!(listed["value"].as_array().unwrap().len(), 1);
    assert_eq!(listed["value"][0]["properties"]["accessPolicyName"], "Data Contributor");
    assert_eq!(listed["value"][0]["properties"]["provisioningState"], "Succeeded");

    let (status, headers, _) = env.arm_call(Method::DELETE, &url, &token, None).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    env.wait_for(&header(&headers, "azure-asyncoperation"), &token).await;
    assert_eq!(env.arm_get(&url, &token).await.0, StatusCode::NOT_FOUND);
    assert_eq!(env.arm_call(Method::DELETE, &url, &token, None).await.0, StatusCode::NO_CONTENT);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_assignments_are_400s() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let identity = cache_path(PROD, "platform-rg", "contoso-identity");
    let admin_id = "1f0e2d3c-4b5a-4697-8a1b-0c9d8e7f6a01";
    let cases = [
        (format!("{identity}/accessPolicyAssignments/second-name"), assignment_body("Data Reader", admin_id, "admin"), "InvalidAccessPolicyAssignment"),
        (format!("{}/accessPolicyAssignments/{GROUP_ID}", orders()), assignment_body("Data Owner", GROUP_ID, "operators"), "InvalidAccessPolicyAssignment"),
        (format!("{}/accessPolicyAssignments/ghost-user", orders()), assignment_body("Data Owner", "00000000-1111-2222-3333-444444444444", "ghost"), "InvalidAccessPolicyAssignment"),
        (format!("{}/accessPolicyAssignments/no-policy", orders()), assignment_body("Nope", DANA_ID, "dana"), "InvalidAccessPolicyAssignment"),
        (format!("{}/accessPolicyAssignments/ab", orders()), assignment_body("Data Owner", DANA_ID, "dana"), "InvalidResourceName"),
        (format!("{}/accessPolicyAssignments/has_underscore", orders()), assignment_body("Data Owner", DANA_ID, "dana"), "InvalidResourceName"),
        (format!("{}/accessPolicyAssignments/no-alias", orders()), json!({"properties": {"accessPolicyName": "Data Owner", "objectId": DANA_ID}}), "InvalidRequestContent"),
        (cache_path(PROD, "orders-rg", "bad_name") + "/accessPolicyAssignments/abc", assignment_body("Data Owner", DANA_ID, "dana"), "InvalidResourceName"),
    ];
    for (path, body, code) in cases {
        let (status, _, answer) = env.arm_call(Method::PUT, &format!("{path}?{API}"), &token, Some(body)).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some(code)), "{path}: {answer}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn custom_policies_get_allkeys_when_they_name_no_keys() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let url = format!("{}/accessPolicies/Orders%20Writer?{API}", orders());
    let (status, headers, body) = env.arm_call(Method::PUT, &url, &token, Some(json!({"properties": {"permissions": "+get +set"}}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["properties"]["permissions"], "+get +set allkeys");
    assert_eq!(body["properties"]["type"], "Custom");
    env.wait_for(&header(&headers, "azure-asyncoperation"), &token).await;
    let (_, listed) = env.arm_get(&format!("{}/accessPolicies?{API}", orders()), &token).await;
    let names: Vec<&str> = listed["value"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Data Owner", "Data Contributor", "Data Reader", "Orders Writer"]);
    let builtin = format!("{}/accessPolicies/Data%20Owner?{API}", orders());
    assert_eq!(env.arm_call(Method::PUT, &builtin, &token, Some(json!({"properties": {"permissions": "+get"}}))).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(env.arm_call(Method::DELETE, &builtin, &token, None).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_page_with_next_links() {
    let env = Env::with_args(&["--page-size", "2"]).await;
    let token = admin(&env).await;
    let mut next = Some(format!("{}/subscriptions/{PROD}/providers/Microsoft.Cache/redis?{API}", env.arm()));
    let mut names = Vec::new();
    let mut pages = 0;
    while let Some(url) = next {
        let (status, _, page) = env.call(Method::GET, url, &token, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page["value"].as_array().unwrap().len() <= 2);
        names.extend(page["value"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()));
        next = page["nextLink"].as_str().map(str::to_owned);
        pages += 1;
    }
    assert_eq!(names.len(), 7);
    assert_eq!(pages, 4);
    let (_, group) = env.arm_get(&format!("/subscriptions/{PROD}/resourceGroups/platform-rg/providers/Microsoft.Cache/redis?{API}"), &token).await;
    assert_eq!(group["value"].as_array().unwrap().len(), 2);
    assert!(group.get("nextLink").is_none());
}

async fn graph_query(env: &Env, token: &str, body: Value) -> (StatusCode, Value) {
    let (status, _, answer) = env.arm_call(Method::POST, "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01", token, Some(body)).await;
    (status, answer)
}

const APP_QUERY: &str = "Resources | where type =~ 'microsoft.cache/redis' | project id, name, type, resourceGroup, subscriptionId, location, properties | order by id asc";

#[tokio::test(flavor = "multi_thread")]
async fn resource_graph_answers_the_app_query_for_readable_subscriptions_only() {
    let env = Env::start().await;
    let reader = env.sign_in(READER).await.access_token;
    let (status, answer) = graph_query(&env, &reader, json!({ "query": APP_QUERY })).await;
    assert_eq!(status, StatusCode::OK);
    let rows = answer["data"].as_array().unwrap();
    assert_eq!(rows.len(), 7);
    assert!(rows.iter().all(|r| r["subscriptionId"] == PROD));
    assert_eq!(rows[0].as_object().unwrap().len(), 7);
    assert_eq!(rows[0]["type"], "microsoft.cache/redis");

    let admin = admin(&env).await;
    let (_, first) = graph_query(&env, &admin, json!({ "query": APP_QUERY, "options": { "$top": 4 } })).await;
    assert_eq!((first["count"].as_u64(), first["totalRecords"].as_u64()), (Some(4), Some(11)));
    let token = first["$skipToken"].as_str().unwrap();
    let (_, second) = graph_query(&env, &admin, json!({ "query": APP_QUERY, "options": { "$top": 4, "$skipToken": token } })).await;
    assert!(first["data"][3]["id"].as_str().unwrap() < second["data"][0]["id"].as_str().unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn resource_graph_refuses_what_it_does_not_understand() {
    let env = Env::start().await;
    let token = admin(&env).await;
    for query in ["Resources | summarize count() by type", "Resources | where name contains 'orders'", "securityresources | project id"] {
        let (status, answer) = graph_query(&env, &token, json!({ "query": query })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(answer["error"]["details"][0]["code"], "InvalidQuery");
    }
}
