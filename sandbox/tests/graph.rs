//! Microsoft Graph over HTTP: finding principals by name, id, UPN or client id.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::Value;

async fn graph_get(env: &Env, token: &str, path: &str) -> (StatusCode, Value) {
    let (status, _, body) = env.call(Method::GET, format!("{}{path}", env.graph()), token, None).await;
    (status, body)
}

async fn token(env: &Env) -> String {
    let tokens = env.sign_in(ADMIN).await;
    env.graph_token(&tokens).await
}

fn ids(body: &Value) -> Vec<String> {
    body["value"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn users_are_found_by_name_prefix_and_selected() {
    let env = Env::start().await;
    let token = token(&env).await;
    let (status, body) = graph_get(&env, &token, "/v1.0/users?$filter=startswith(displayName,'da') or startswith(userPrincipalName,'da')&$select=id,displayName,userPrincipalName").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(ids(&body), [DANA_ID]);
    let user = body["value"][0].as_object().unwrap();
    assert_eq!(user.keys().collect::<Vec<_>>(), ["id", "displayName", "userPrincipalName"]);
    let (status, body) = graph_get(&env, &token, "/v1.0/users?$select=nonsense").await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("BadRequest")));
    let (status, _) = graph_get(&env, &token, "/v1.0/users?$filter=contains(displayName,'a')").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = graph_get(&env, &token, "/v1.0/users?$orderby=displayName").await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("Request_UnsupportedQuery")), "not silently unordered");
}

#[tokio::test(flavor = "multi_thread")]
async fn top_pages_with_next_links() {
    let env = Env::start().await;
    let token = token(&env).await;
    let mut next = Some(format!("{}/v1.0/users?$top=3&$select=id", env.graph()));
    let mut seen = Vec::new();
    while let Some(url) = next {
        let (status, _, page) = env.call(Method::GET, url, &token, None).await;
        assert_eq!(status, StatusCode::OK);
        seen.extend(ids(&page));
        next = page["@odata.nextLink"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 4);
    assert_eq!(graph_get(&env, &token, "/v1.0/users?$top=1000").await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread")]
async fn search_needs_eventual_consistency() {
    let env = Env::start().await;
    let token = token(&env).await;
    let url = format!("{}/v1.0/users?$search=\"displayName:developer\"", env.graph());
    let (status, _, body) = env.call(Method::GET, url.clone(), &token, None).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("Request_UnsupportedQuery")));
    let answer: Value = env.http.get(url).bearer_auth(&token).header("ConsistencyLevel", "eventual").send().await.unwrap().json().await.unwrap();
    assert_eq!(ids(&answer), [DANA_ID]);
    let counted = format!("{}/v1.0/servicePrincipals?$count=true&$top=1", env.graph());
    assert_eq!(env.call(Method::GET, counted.clone(), &token, None).await.0, StatusCode::BAD_REQUEST);
    let answer: Value = env.http.get(counted).bearer_auth(&token).header("ConsistencyLevel", "eventual").send().await.unwrap().json().await.unwrap();
    assert_eq!((answer["@odata.count"].as_u64(), ids(&answer).len()), (Some(3), 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn users_are_found_by_id_or_upn() {
    let env = Env::start().await;
    let token = token(&env).await;
    let (status, by_upn) = graph_get(&env, &token, "/v1.0/users/dana@contoso.onmicrosoft.com").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(by_upn["id"], DANA_ID);
    assert_eq!(graph_get(&env, &token, &format!("/v1.0/users/{DANA_ID}")).await.1["userPrincipalName"], "dana@contoso.onmicrosoft.com");
    let (status, missing) = graph_get(&env, &token, "/v1.0/users/nobody@contoso.onmicrosoft.com").await;
    assert_eq!((status, missing["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("Request_ResourceNotFound")));
    let (status, unknown) = graph_get(&env, &token, "/v1.0/applications").await;
    assert_eq!((status, unknown["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("BadRequest")));
    let (_, me) = graph_get(&env, &token, "/v1.0/me").await;
    assert_eq!(me["userPrincipalName"], ADMIN);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pasted_client_id_finds_its_service_principal() {
    let env = Env::start().await;
    let token = token(&env).await;
    let (status, found) = graph_get(&env, &token, "/v1.0/servicePrincipals?$filter=appId eq '1b0c9d8e-7f6a-4b5c-8d2e-3f4a5b6c7d17'&$select=id,appId,displayName,servicePrincipalType").await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(ids(&found), [MI_ID]);
    assert_eq!(found["value"][0]["servicePrincipalType"], "ManagedIdentity");
    let (_, identities) = graph_get(&env, &token, "/v1.0/servicePrincipals?$filter=servicePrincipalType eq 'ManagedIdentity'").await;
    assert_eq!(ids(&identities).len(), 2);
    let (_, one) = graph_get(&env, &token, &format!("/v1.0/servicePrincipals/{MI_ID}")).await;
    assert_eq!(one["appId"], "1b0c9d8e-7f6a-4b5c-8d2e-3f4a5b6c7d17");
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_exist_so_they_can_be_refused() {
    let env = Env::start().await;
    let token = token(&env).await;
    let (_, groups) = graph_get(&env, &token, "/v1.0/groups?$filter=startswith(displayName,'redis')").await;
    assert_eq!(ids(&groups), [GROUP_ID]);
    let (status, object) = graph_get(&env, &token, &format!("/v1.0/directoryObjects/{GROUP_ID}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(object["@odata.type"], "#microsoft.graph.group");
    assert_eq!(graph_get(&env, &token, &format!("/v1.0/directoryObjects/{MI_ID}")).await.1["@odata.type"], "#microsoft.graph.servicePrincipal");
    assert_eq!(graph_get(&env, &token, &format!("/v1.0/directoryObjects/{DANA_ID}")).await.1["@odata.type"], "#microsoft.graph.user");
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_need_the_graph_audience_and_permissions() {
    let env = Env::start().await;
    let tokens = env.sign_in(ADMIN).await;
    let (status, body) = graph_get(&env, &tokens.access_token, "/v1.0/users").await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("InvalidAuthenticationToken")));
    assert_eq!(graph_get(&env, "", "/v1.0/users").await.0, StatusCode::UNAUTHORIZED);

    let deployer = env.sandbox.ready.principals.iter().find(|p| p.name == "orders-deployer").unwrap();
    let form = [
        ("client_id", deployer.client_id.clone().unwrap()),
        ("client_secret", deployer.secret.clone().unwrap()),
        ("grant_type", "client_credentials".into()),
        ("scope", "https://graph.microsoft.com/.default".into()),
    ];
    let app: Value = env.http.post(format!("{}/{}/oauth2/v2.0/token", env.login(), env.tenant())).form(&form).send().await.unwrap().json().await.unwrap();
    let (status, body) = graph_get(&env, app["access_token"].as_str().unwrap(), "/v1.0/users").await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("Authorization_RequestDenied")));
}
