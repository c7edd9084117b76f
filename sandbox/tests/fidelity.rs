//! Fidelity to the published specs in `../shared/specs` (read at test time, never copied):
//! sending each example's request yields a response with the example's shape (the same
//! property names and JSON types at every level), every property the sandbox returns is
//! declared by the spec's schema, and the spec's name patterns and required fields are enforced.

mod common;

use common::*;
use regex::Regex;
use reqwest::{Method, StatusCode};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const REDIS: &str = "redis/resource-manager/Microsoft.Cache/stable/2024-11-01";
const SUBSCRIPTIONS: &str = "resources/resource-manager/Microsoft.Resources/stable/2022-12-01";
const RESOURCE_GRAPH: &str = "resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/2024-04-01";

fn specs_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/specification")
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn example(folder: &str, name: &str) -> Value {
    read(&specs_root().join(folder).join("examples").join(name))
}

/// Maps the spec declares as free-form string dictionaries: the example's keys are sample data.
const FREE_FORM_MAPS: [&str; 1] = ["tags"];

/// Properties the sandbox leaves out on purpose, with the reason.
const DELIBERATELY_ABSENT: [(&str, &str); 1] = [("accessKeys", "the sandbox never hands out access keys")];

/// The example's property names and JSON types must be found in the answer. A null in the
/// example stands for any type; arrays compare their first elements when both have one.
fn same_shape(example: &Value, actual: &Value, at: &str, problems: &mut Vec<String>) {
    match (example, actual) {
        (Value::Null, _) => {}
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                match a.get(key) {
                    Some(found) if FREE_FORM_MAPS.contains(&key.as_str()) => {
                        if !found.is_object() {
                            problems.push(format!("{at}.{key} is not an object"));
                        }
                    }
                    Some(found) => same_shape(value, found, &format!("{at}.{key}"), problems),
                    None if DELIBERATELY_ABSENT.iter().any(|(k, _)| k == key) => {}
                    None => problems.push(format!("{at}.{key} is missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let (Some(e), Some(a)) = (e.first(), a.first()) {
                same_shape(e, a, &format!("{at}[0]"), problems);
            }
        }
        (Value::String(_), Value::String(_)) | (Value::Number(_), Value::Number(_)) | (Value::Bool(_), Value::Bool(_)) => {}
        (e, a) => problems.push(format!("{at}: the example has {e}, the answer {a}")),
    }
}

/// Walks the spec's schemas, following `$ref` across files and merging `allOf`.
struct Schemas {
    files: HashMap<PathBuf, Value>,
}

impl Schemas {
    fn new() -> Schemas {
        Schemas { files: HashMap::new() }
    }

    fn file(&mut self, path: &Path) -> Option<Value> {
        let path = path.canonicalize().ok()?;
        if !self.files.contains_key(&path) {
            self.files.insert(path.clone(), read(&path));
        }
        self.files.get(&path).cloned()
    }

    /// Follows `$ref`s; None when the referenced file is not among the published copies.
    fn resolve(&mut self, file: &Path, schema: &Value) -> Option<(PathBuf, Value)> {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else { return Some((file.to_owned(), schema.clone())) };
        let (target, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if target.is_empty() { file.to_owned() } else { file.parent().unwrap().join(target) };
        let document = self.file(&target)?;
        let resolved = document.pointer(pointer)?.clone();
        self.resolve(&target, &resolved)
    }

    /// Declared properties of an object schema (with allOf), or None if it declares none.
    fn properties(&mut self, file: &Path, schema: &Value) -> Option<Map<String, Value>> {
        let mut out = Map::new();
        let mut declares = false;
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            declares = true;
            for (name, sub) in props {
                out.insert(name.clone(), json!({ "file": file, "schema": sub }));
            }
        }
        for part in schema.get("allOf").and_then(Value::as_array).cloned().unwrap_or_default() {
            let (part_file, part) = self.resolve(file, &part)?;
            if let Some(more) = self.properties(&part_file, &part) {
                declares = true;
                out.extend(more);
            }
        }
        declares.then_some(out)
    }

    /// Every property of `value` must be declared by `schema`, at every level.
    fn check(&mut self, file: &Path, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
        let Some((file, schema)) = self.resolve(file, schema) else { return };
        match value {
            Value::Object(object) => {
                let additional = schema.get("additionalProperties").cloned();
                let declared = self.properties(&file, &schema);
                for (key, sub) in object {
                    let path = format!("{at}.{key}");
                    match (declared.as_ref().and_then(|d| d.get(key)), &additional) {
                        (Some(entry), _) => {
                            let entry_file = PathBuf::from(entry["file"].as_str().unwrap());
                            self.check(&entry_file, &entry["schema"].clone(), sub, &path, problems)
                        }
                        (None, Some(extra)) if extra.is_object() => self.check(&file, extra, sub, &path, problems),
                        (None, _) if declared.is_none() => {}
                        (None, _) => problems.push(format!("{path} is not declared by the spec")),
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check(&file, item_schema, item, &format!("{at}[{i}]"), problems);
                    }
                }
            }
            _ => {}
        }
    }

    /// The schema of an operation's answer with this status.
    fn response(&mut self, folder: &str, spec: &str, path: &str, method: &str, status: u16) -> (PathBuf, Value) {
        let file = specs_root().join(folder).join(spec);
        let document = self.file(&file).unwrap();
        let operation = &document["paths"][path][method];
        let response = operation["responses"].get(status.to_string()).unwrap_or(&operation["responses"]["default"]);
        (file, response["schema"].clone())
    }
}

/// Sends an answer through both checks against the example and the operation's schema.
fn conforms(answer: &Value, example_body: &Value, schema: (PathBuf, Value)) {
    let mut problems = Vec::new();
    same_shape(example_body, answer, "$", &mut problems);
    Schemas::new().check(&schema.0, &schema.1, answer, "$", &mut problems);
    assert!(problems.is_empty(), "{problems:#?}\nanswer: {answer:#}");
}

async fn admin(env: &Env) -> String {
    env.sign_in(ADMIN).await.access_token
}

const CACHE_PATH: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redis/{name}";
const POLICY_PATH: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redis/{cacheName}/accessPolicies/{accessPolicyName}";
const ASSIGNMENT_PATH: &str =
    "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redis/{cacheName}/accessPolicyAssignments/{accessPolicyAssignmentName}";

#[tokio::test(flavor = "multi_thread")]
async fn cache_get_list_and_update_match_their_examples() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let mut schemas = Schemas::new();

    let geo = cache_path(PROD, "orders-rg", "contoso-geo-primary");
    let (status, got) = env.arm_get(&format!("{geo}?{API}"), &token).await;
    assert_eq!(status, StatusCode::OK);
    conforms(&got, &example(REDIS, "RedisCacheGet.json")["responses"]["200"]["body"], schemas.response(REDIS, "redis.json", CACHE_PATH, "get", 200));

    let (_, listed) = env.arm_get(&format!("/subscriptions/{PROD}/providers/Microsoft.Cache/redis?{API}"), &token).await;
    conforms(&listed, &example(REDIS, "RedisCacheList.json")["responses"]["200"]["body"], schemas.response(REDIS, "redis.json", "/subscriptions/{subscriptionId}/providers/Microsoft.Cache/redis", "get", 200));
    let (_, by_group) = env.arm_get(&format!("/subscriptions/{PROD}/resourceGroups/orders-rg/providers/Microsoft.Cache/redis?{API}"), &token).await;
    conforms(
        &by_group,
        &example(REDIS, "RedisCacheListByResourceGroup.json")["responses"]["200"]["body"],
        schemas.response(REDIS, "redis.json", "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redis", "get", 200),
    );

    let update = example(REDIS, "RedisCacheUpdate.json");
    let (status, headers, patched) = env.arm_call(Method::PATCH, &format!("{}?{API}", orders()), &token, Some(update["parameters"]["parameters"].clone())).await;
    assert!(status == StatusCode::OK || status == StatusCode::ACCEPTED, "{status} {patched}");
    conforms(&patched, &update["responses"][status.as_str()]["body"], schemas.response(REDIS, "redis.json", CACHE_PATH, "patch", status.as_u16()));

    let status_example = example(REDIS, "RedisCacheAsyncOperationStatus.json");
    let (_, _, polled) = env.call(Method::GET, header(&headers, "azure-asyncoperation"), &token, None).await;
    conforms(
        &polled,
        &status_example["responses"]["200"]["body"],
        schemas.response(REDIS, "redis.json", "/subscriptions/{subscriptionId}/providers/Microsoft.Cache/locations/{location}/asyncOperations/{operationId}", "get", 200),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn access_policy_operations_match_their_examples() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let mut schemas = Schemas::new();
    let put = example(REDIS, "RedisCacheAccessPolicyCreateUpdate.json");
    let name = put["parameters"]["accessPolicyName"].as_str().unwrap();
    let url = format!("{}/accessPolicies/{name}?{API}", orders());
    let (status, headers, created) = env.arm_call(Method::PUT, &url, &token, Some(put["parameters"]["parameters"].clone())).await;
    assert_eq!(status, StatusCode::CREATED);
    conforms(&created, &put["responses"]["201"]["body"], schemas.response(REDIS, "redis.json", POLICY_PATH, "put", 201));
    env.wait_for(&header(&headers, "azure-asyncoperation"), &token).await;

    let (_, got) = env.arm_get(&url, &token).await;
    conforms(&got, &example(REDIS, "RedisCacheAccessPolicyGet.json")["responses"]["200"]["body"], schemas.response(REDIS, "redis.json", POLICY_PATH, "get", 200));
    let (_, listed) = env.arm_get(&format!("{}/accessPolicies?{API}", orders()), &token).await;
    conforms(
        &listed,
        &example(REDIS, "RedisCacheAccessPolicyList.json")["responses"]["200"]["body"],
        schemas.response(REDIS, "redis.json", "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redis/{cacheName}/accessPolicies", "get", 200),
    );
    let delete = example(REDIS, "RedisCacheAccessPolicyDelete.json");
    let (status, headers, _) = env.arm_call(Method::DELETE, &url, &token, None).await;
    assert!(delete["responses"].get(status.as_str()).is_some(), "{status} is not an answer the spec shows");
    assert!(!header(&headers, "location").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn assignment_operations_match_their_examples() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let mut schemas = Schemas::new();
    let put = example(REDIS, "RedisCacheAccessPolicyAssignmentCreateUpdate.json");
    let name = put["parameters"]["accessPolicyAssignmentName"].as_str().unwrap();
    // The example's object id is no principal of the demo tenant: assign Dana instead.
    let mut body = put["parameters"]["parameters"].clone();
    body["properties"]["objectId"] = DANA_ID.into();
    body["properties"]["accessPolicyName"] = "Data Owner".into();
    let url = format!("{}/accessPolicyAssignments/{name}?{API}", orders());
    let (status, headers, created) = env.arm_call(Method::PUT, &url, &token, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    conforms(&created, &put["responses"]["201"]["body"], schemas.response(REDIS, "redis.json", ASSIGNMENT_PATH, "put", 201));
    env.wait_for(&header(&headers, "azure-asyncoperation"), &token).await;

    let (_, got) = env.arm_get(&url, &token).await;
    conforms(&got, &example(REDIS, "RedisCacheAccessPolicyAssignmentGet.json")["responses"]["200"]["body"], schemas.response(REDIS, "redis.json", ASSIGNMENT_PATH, "get", 200));
    let (_, listed) = env.arm_get(&format!("{}/accessPolicyAssignments?{API}", orders()), &token).await;
    conforms(
        &listed,
        &example(REDIS, "RedisCacheAccessPolicyAssignmentList.json")["responses"]["200"]["body"],
        schemas.response(REDIS, "redis.json", "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redis/{cacheName}/accessPolicyAssignments", "get", 200),
    );
    let delete = example(REDIS, "RedisCacheAccessPolicyAssignmentDelete.json");
    let (status, _, _) = env.arm_call(Method::DELETE, &url, &token, None).await;
    assert!(delete["responses"].get(status.as_str()).is_some(), "{status} is not an answer the spec shows");
}

#[tokio::test(flavor = "multi_thread")]
async fn subscriptions_and_resource_graph_match_their_examples() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let mut schemas = Schemas::new();
    let (_, subscriptions) = env.arm_get("/subscriptions?api-version=2022-12-01", &token).await;
    conforms(
        &subscriptions,
        &example(SUBSCRIPTIONS, "GetSubscriptions.json")["responses"]["200"]["body"].as_object().unwrap().iter().filter(|(k, _)| *k != "nextLink").map(|(k, v)| (k.clone(), v.clone())).collect(),
        schemas.response(SUBSCRIPTIONS, "subscriptions.json", "/subscriptions", "get", 200),
    );

    let query = example(RESOURCE_GRAPH, "ResourcesBasicQuery.json");
    let mut request = query["parameters"]["query"].clone();
    request["subscriptions"] = json!([PROD]);
    let (status, _, answer) = env.arm_call(Method::POST, "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01", &token, Some(request)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["count"], 3, "the example's `limit 3` is honoured");
    conforms(&answer, &query["responses"]["200"]["body"], schemas.response(RESOURCE_GRAPH, "resourcegraph.json", "/providers/Microsoft.ResourceGraph/resources", "post", 200));
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_have_the_common_error_shape() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let mut schemas = Schemas::new();
    let (status, missing) = env.arm_get(&format!("{}?{API}", cache_path(PROD, "orders-rg", "nothing-here")), &token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mut problems = Vec::new();
    let (file, schema) = schemas.response(REDIS, "redis.json", CACHE_PATH, "get", 404);
    schemas.check(&file, &schema, &missing, "$", &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    let error = schemas.resolve(&file, &schema).unwrap().1;
    assert!(error["properties"].get("error").is_some(), "the default answer is ARM's ErrorResponse");
}

/// The spec's parameter pattern and lengths, by parameter name.
fn name_rule(parameter: &str) -> (Regex, usize, usize) {
    let spec = read(&specs_root().join(REDIS).join("redis.json"));
    let found = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|p| p.as_object().unwrap().values())
        .flat_map(|op| op["parameters"].as_array().cloned().unwrap_or_default())
        .find(|p| p["name"] == parameter && p.get("pattern").is_some())
        .unwrap_or_else(|| panic!("{parameter} has no pattern"));
    let min = found["minLength"].as_u64().unwrap_or(1) as usize;
    // Without a maxLength in the spec, a cache name is still one DNS label (63 characters) of
    // its host name `<name>.redis.cache.windows.net`.
    let max = found["maxLength"].as_u64().unwrap_or(63) as usize;
    (Regex::new(found["pattern"].as_str().unwrap()).unwrap(), min, max)
}

const CANDIDATE_NAMES: [&str; 12] =
    ["ab", "abc", "Data Owner", "data-owner", "-lead", "trail-", "under_score", "a", "x1", "dotted.name", "sixty-three-characters-long-name-is-still-fine-for-the-rule-ok", "this-one-is-sixty-four-characters-long-and-too-long-for-a-name-x"];

#[tokio::test(flavor = "multi_thread")]
async fn the_spec_name_patterns_are_enforced() {
    let env = Env::start().await;
    let token = admin(&env).await;
    for (parameter, kind) in [("accessPolicyName", "accessPolicies"), ("accessPolicyAssignmentName", "accessPolicyAssignments"), ("cacheName", "")] {
        let (pattern, min, max) = name_rule(parameter);
        for name in CANDIDATE_NAMES {
            let valid = pattern.is_match(name) && (min..=max).contains(&name.len());
            let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>().replace('+', "%20");
            let path = if kind.is_empty() { format!("{}?{API}", cache_path(PROD, "orders-rg", &encoded)) } else { format!("{}/{kind}/{encoded}?{API}", orders()) };
            let (status, body) = env.arm_get(&path, &token).await;
            let refused = status == StatusCode::BAD_REQUEST && body["error"]["code"] == "InvalidResourceName";
            assert_eq!(!refused, valid, "{parameter} {name:?}: {status} {body}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_spec_required_fields_are_enforced() {
    let env = Env::start().await;
    let token = admin(&env).await;
    let spec = read(&specs_root().join(REDIS).join("redis.json"));
    let required = spec["definitions"]["RedisCacheAccessPolicyAssignmentProperties"]["required"].as_array().unwrap().clone();
    assert!(!required.is_empty());
    let full = assignment_body("Data Owner", DANA_ID, "dana")["properties"].clone();
    for field in required {
        let mut properties = full.clone();
        properties.as_object_mut().unwrap().remove(field.as_str().unwrap());
        let (status, _, body) = env.arm_call(Method::PUT, &format!("{}/accessPolicyAssignments/{DANA_ID}?{API}", orders()), &token, Some(json!({ "properties": properties }))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "without {field}: {body}");
    }
    let policy_required = spec["definitions"]["RedisCacheAccessPolicyProperties"]["required"].as_array().unwrap().clone();
    assert_eq!(policy_required, [json!("permissions")]);
    let (status, _, _) = env.arm_call(Method::PUT, &format!("{}/accessPolicies/custom-one?{API}", orders()), &token, Some(json!({ "properties": {} }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
