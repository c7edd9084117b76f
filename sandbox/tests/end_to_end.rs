//! The path the wizard walks: sign in, find the cache, add a Redis user, enable Entra.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn the_wizard_path_works_over_http() {
    let env = Env::start().await;
    let tokens = env.sign_in(ADMIN).await;
    let arm = &tokens.access_token;

    let (status, subscriptions) = env.arm_get("/subscriptions?api-version=2022-12-01", arm).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = subscriptions["value"].as_array().unwrap().iter().map(|s| s["displayName"].as_str().unwrap()).collect();
    assert_eq!(names, ["Contoso Production", "Contoso Development", "Contoso Legacy"]);

    let query = json!({
        "subscriptions": [PROD, DEV],
        "query": "Resources\n| where type =~ 'Microsoft.Cache/Redis'\n| project id, name, type, resourceGroup, subscriptionId, location, properties\n| order by id asc",
        "options": { "$top": 100, "resultFormat": "objectArray" }
    });
    let (status, _, found) = env.arm_call(Method::POST, "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01", arm, Some(query)).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let ids: Vec<&str> = found["data"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    assert_eq!(found["totalRecords"], 10);
    assert!(ids.iter().any(|id| id.ends_with("/Microsoft.Cache/Redis/contoso-orders")));

    let graph = env.graph_token(&tokens).await;
    let (status, _, users) = env.call(Method::GET, format!("{}/v1.0/users?$filter=startswith(displayName,'dana')", env.graph()), &graph, None).await;
    assert_eq!(status, StatusCode::OK, "{users}");
    assert_eq!(users["value"][0]["id"], DANA_ID);

    let assignment = format!("{}/accessPolicyAssignments/{DANA_ID}?{API}", orders());
    let (status, headers, body) = env.arm_call(Method::PUT, &assignment, arm, Some(assignment_body("Data Owner", DANA_ID, "dana"))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["properties"]["provisioningState"], "Updating");
    let done = env.wait_for(&header(&headers, "azure-asyncoperation"), arm).await;
    assert_eq!(done["status"], "Succeeded");

    let patch = json!({ "properties": { "redisConfiguration": { "aad-enabled": "True" } } });
    let (status, headers, body) = env.arm_call(Method::PATCH, &format!("{}?{API}", orders()), arm, Some(patch)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["properties"]["provisioningState"], "ConfiguringAAD");
    assert!(body["properties"]["redisConfiguration"].get("aad-enabled").is_none(), "the answer still shows the old value");
    let done = env.wait_for(&header(&headers, "azure-asyncoperation"), arm).await;
    assert_eq!(done["status"], "Succeeded");

    let state = env.cache_state("contoso-orders").await;
    assert_eq!(state["cache"]["properties"]["redisConfiguration"]["aad-enabled"], "True");
    assert_eq!(state["cache"]["properties"]["provisioningState"], "Succeeded");
    assert_eq!(state["accessPolicyAssignments"][0]["properties"]["objectId"], DANA_ID);
}
