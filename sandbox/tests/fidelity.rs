//! Fidelity to the published API specs in `<repo>/../shared/specs` (read where they lie, never
//! copied). For every operation with an example there, the example's request is sent over real
//! HTTP with a token from the sandbox's own Entra ID, and the answer is held against the example
//! and against the spec's definitions.
//!
//! Rules applied to an answer:
//! - its status is one of the example's `responses` keys, and the headers the example or the spec
//!   lists for that status are present;
//! - shape (`shape_problems`): every property the example shows is present with the same JSON
//!   type, objects recursively, every array element against the example's first element. A null
//!   in the example stands for "no value here": any value, or none, passes. An empty array in the
//!   answer leaves its element shape unchecked (fixture caches are picked to avoid that). A
//!   property may be left out only if the test names it in a `Leeway` with the spec's reason (the
//!   spec walk still reports it if the spec requires it). Free-form maps (`tags`) have sample
//!   keys: only the values' type is compared. Resource `type`s must equal the example's;
//! - spec walk (`spec_problems`): extra properties (the example is a sample, not the model) are
//!   allowed only where the spec's schema declares them (following `$ref` and `allOf`, or
//!   `additionalProperties`); every property keeps its declared JSON type, format and enum.
//!   Where a `$ref` leads to a file outside the published copies the subtree is not checked. A
//!   bare `type: object` is any JSON, as AutoRest reads it;
//! - the spec's `required` properties are present (null counts as absent); null is accepted for
//!   the others, as the async-status example itself shows.

mod common;

use common::*;
use regex::Regex;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const REDIS: &str = "redis/resource-manager/Microsoft.Cache/stable/2024-11-01/redis.json";
const SUBSCRIPTIONS: &str = "resources/resource-manager/Microsoft.Resources/stable/2022-12-01/subscriptions.json";
const RESOURCE_GRAPH: &str = "resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/2024-04-01/resourcegraph.json";
const TYPES: &str = "common-types/resource-management/v4/types.json";

const ORDERS_RG: &str = "orders-rg";
const ORDERS: &str = "contoso-orders";
/// The seeded cache with geo-replication, so `linkedServers` has an element to compare.
const GEO_PRIMARY: &str = "contoso-geo-primary";
const DEPLOYER: &str = "orders-deployer";

// ---------------------------------------------------------------------------------------------
// The published specs on disk
// ---------------------------------------------------------------------------------------------

fn specs_dir() -> PathBuf {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/specs"));
    assert!(dir.join("specification").is_dir(), "the published specs are missing: expected them at {} (the repository's ../shared/specs)", dir.display());
    dir.join("specification")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// A schema and the file its `$ref`s are relative to.
#[derive(Clone, Debug)]
struct Schema {
    file: PathBuf,
    body: Value,
}

impl Schema {
    /// A definition of a spec file, by name.
    fn definition(spec: &str, name: &str) -> Schema {
        Schema { file: specs_dir().join(spec), body: json!({ "$ref": format!("#/definitions/{name}") }) }
    }
}

/// The spec files, read once each, and schema lookups across them.
#[derive(Default)]
struct Specs {
    files: HashMap<PathBuf, Option<Value>>,
}

impl Specs {
    /// A spec file, or None when it is not among the published copies.
    fn file(&mut self, path: &Path) -> Option<Value> {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        self.files.entry(key.clone()).or_insert_with(|| key.is_file().then(|| read_json(&key))).clone()
    }

    /// The merged object view of a definition.
    fn definition_view(&mut self, spec: &str, name: &str) -> ObjectView {
        let schema = Schema::definition(spec, name);
        let resolved = self.resolve(&schema).unwrap_or_else(|| panic!("{name} is not in {spec}"));
        self.object_view(&resolved)
    }

    /// Follows `$ref`s; None when one leads outside the published copies.
    fn resolve(&mut self, schema: &Schema) -> Option<Schema> {
        let Some(reference) = schema.body.get("$ref").and_then(Value::as_str) else { return Some(schema.clone()) };
        let (target, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if target.is_empty() { schema.file.clone() } else { schema.file.parent().expect("a folder").join(target) };
        let body = self.file(&file)?.pointer(pointer)?.clone();
        self.resolve(&Schema { file, body })
    }

    /// The properties, required names and `additionalProperties` of an object schema, `allOf`
    /// merged in. `open` when part of it could not be read, so undeclared names are let through.
    fn object_view(&mut self, schema: &Schema) -> ObjectView {
        let mut view = ObjectView::default();
        if let Some(properties) = schema.body.get("properties").and_then(Value::as_object) {
            for (name, body) in properties {
                view.properties.insert(name.clone(), Schema { file: schema.file.clone(), body: body.clone() });
            }
        }
        for name in schema.body.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            view.required.push(name.to_owned());
        }
        if let Some(extra) = schema.body.get("additionalProperties") {
            view.additional = Some(Schema { file: schema.file.clone(), body: extra.clone() });
        }
        for part in schema.body.get("allOf").and_then(Value::as_array).cloned().unwrap_or_default() {
            match self.resolve(&Schema { file: schema.file.clone(), body: part }) {
                Some(part) => view.absorb(self.object_view(&part)),
                None => view.open = true,
            }
        }
        view
    }

    /// The operation whose `x-ms-examples` names this example file.
    fn operation(&mut self, spec: &str, example: &str) -> Operation {
        let file = specs_dir().join(spec);
        let document = self.file(&file).expect("spec file");
        for (template, item) in document["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("path item") {
                let names_it = operation["x-ms-examples"]
                    .as_object()
                    .is_some_and(|all| all.values().any(|e| e["$ref"].as_str().is_some_and(|r| r.ends_with(&format!("/{example}")))));
                if names_it {
                    let example = read_json(&file.parent().expect("a folder").join("examples").join(example));
                    return Operation { file, template: template.clone(), method: method.to_uppercase(), spec: operation.clone(), example };
                }
            }
        }
        panic!("no operation of {spec} has the example {example}");
    }
}

#[derive(Default, Debug)]
struct ObjectView {
    properties: HashMap<String, Schema>,
    required: Vec<String>,
    additional: Option<Schema>,
    open: bool,
}

impl ObjectView {
    fn absorb(&mut self, other: ObjectView) {
        self.properties.extend(other.properties);
        self.required.extend(other.required);
        self.additional = self.additional.take().or(other.additional);
        self.open |= other.open;
    }

    fn declares_anything(&self) -> bool {
        !self.properties.is_empty() || self.additional.is_some()
    }
}

// ---------------------------------------------------------------------------------------------
// Shape: the example against the answer
// ---------------------------------------------------------------------------------------------

/// What an answer may do that its example does not show. Entries are paths or path suffixes in
/// the form `properties.accessKeys` (`[]` marks array elements).
#[derive(Clone, Copy)]
struct Leeway<'a> {
    /// Properties the answer may leave out, each with the spec's reason.
    may_omit: &'a [(&'a str, &'a str)],
    /// Free-form maps: the example's keys are sample data, only the values' type counts.
    free_form: &'a [&'a str],
}

const STRICT: Leeway<'static> = Leeway { may_omit: &[], free_form: &[] };

/// `tags` is Resource Manager's free-form string map (types.json, TrackedResource.tags).
const ARM: Leeway<'static> = Leeway { may_omit: &[], free_form: &["tags"] };

fn at_path(path: &str, pattern: &str) -> bool {
    path == pattern || path.strip_prefix("$.") == Some(pattern) || path.ends_with(&format!(".{pattern}"))
}

impl Leeway<'_> {
    fn may_omit(&self, path: &str) -> bool {
        self.may_omit.iter().any(|(pattern, _)| at_path(path, pattern))
    }
    fn is_free_form(&self, path: &str) -> bool {
        self.free_form.iter().any(|pattern| at_path(path, pattern))
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Where `actual` does not have `example`'s shape; empty when it does.
fn shape_problems(example: &Value, actual: &Value, leeway: Leeway) -> Vec<String> {
    let mut problems = Vec::new();
    compare_shape(example, actual, "$", leeway, &mut problems);
    problems
}

fn compare_shape(example: &Value, actual: &Value, at: &str, leeway: Leeway, problems: &mut Vec<String>) {
    match (example, actual) {
        (Value::Null, _) => {}
        (Value::Object(sample), Value::Object(found)) if leeway.is_free_form(at) => {
            if let Some(value_shape) = sample.values().next() {
                for (key, value) in found {
                    compare_shape(value_shape, value, &format!("{at}.{key}"), leeway, problems);
                }
            }
        }
        (Value::Object(expected), Value::Object(found)) => {
            for (key, shape) in expected {
                let path = format!("{at}.{key}");
                match found.get(key) {
                    Some(value) => compare_shape(shape, value, &path, leeway, problems),
                    None if shape.is_null() || leeway.may_omit(&path) => {}
                    None => problems.push(format!("{path} is missing")),
                }
            }
        }
        (Value::Array(expected), Value::Array(found)) => {
            if let Some(element) = expected.first() {
                for value in found {
                    compare_shape(element, value, &format!("{at}[]"), leeway, problems);
                }
            }
        }
        (expected, found) if json_type(expected) == json_type(found) => {}
        (expected, found) => problems.push(format!("{at} is {} {found} where the example has {} {expected}", json_type(found), json_type(expected))),
    }
}

// ---------------------------------------------------------------------------------------------
// The spec's definitions against the answer
// ---------------------------------------------------------------------------------------------

fn declared_type(schema: &Value) -> Option<&str> {
    schema.get("type").and_then(Value::as_str).or_else(|| (schema.get("properties").is_some() || schema.get("allOf").is_some()).then_some("object"))
}

/// A bare `type: object` (no properties, no allOf, no additionalProperties) is any JSON.
fn is_any(schema: &Value) -> bool {
    declared_type(schema) == Some("object") && ["properties", "allOf", "additionalProperties"].iter().all(|k| schema.get(*k).is_none())
}

fn has_type(value: &Value, declared: &str) -> bool {
    match declared {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// Whether a value keeps the spec's `format` (formats the specs here use; others pass).
fn has_format(value: &Value, format: &str) -> bool {
    let text = value.as_str().unwrap_or_default();
    match format {
        "uri" => url::Url::parse(text).is_ok(),
        "uuid" => uuid::Uuid::parse_str(text).is_ok(),
        "date-time" => Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$").unwrap().is_match(text),
        "arm-id" => text.starts_with("/subscriptions/") || text.starts_with("/providers/"),
        "int32" => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        _ => true,
    }
}

/// A closed enum (`modelAsString: false`) holds one of its values; an open one may hold others,
/// but a listed value keeps the spec's casing.
fn enum_problem(schema: &Value, value: &Value) -> Option<String> {
    let listed = schema.get("enum")?.as_array()?;
    let text = value.as_str()?;
    if listed.iter().any(|v| v == text) {
        return None;
    }
    let open = schema["x-ms-enum"]["modelAsString"] == true;
    let other_case = listed.iter().filter_map(Value::as_str).find(|v| v.eq_ignore_ascii_case(text));
    match (open, other_case) {
        (_, Some(listed)) => Some(format!("the spec spells it {listed:?}")),
        (false, None) => Some(format!("the spec allows only {listed:?}", listed = listed.iter().filter_map(Value::as_str).collect::<Vec<_>>())),
        (true, None) => None,
    }
}

/// Where `value` breaks `schema`: required properties missing (unless `excused`), undeclared
/// properties, declared types and formats not kept.
fn spec_problems(specs: &mut Specs, schema: &Schema, value: &Value, excused: &[(&str, &str)]) -> Vec<String> {
    let mut problems = Vec::new();
    check_schema(specs, schema, value, "$", excused, &mut problems);
    problems
}

fn check_schema(specs: &mut Specs, schema: &Schema, value: &Value, at: &str, excused: &[(&str, &str)], problems: &mut Vec<String>) {
    let Some(schema) = specs.resolve(schema) else { return };
    if value.is_null() || is_any(&schema.body) {
        return;
    }
    if let Some(declared) = declared_type(&schema.body).filter(|declared| !has_type(value, declared)) {
        problems.push(format!("{at} is {} {value} where the spec declares {declared}", json_type(value)));
        return;
    }
    if let Some(format) = schema.body.get("format").and_then(Value::as_str).filter(|format| !has_format(value, format)) {
        problems.push(format!("{at} is {value} where the spec declares format {format}"));
    }
    if let Some(problem) = enum_problem(&schema.body, value) {
        problems.push(format!("{at} is {value} where {problem}"));
    }
    match value {
        Value::Object(object) => {
            let view = specs.object_view(&schema);
            for name in &view.required {
                let path = format!("{at}.{name}");
                if object.get(name).is_none_or(Value::is_null) && !excused.iter().any(|(p, _)| at_path(&path, p)) {
                    problems.push(format!("{path} is required by the spec and missing"));
                }
            }
            for (key, sub) in object {
                let path = format!("{at}.{key}");
                match (view.properties.get(key), &view.additional) {
                    (Some(declared), _) => check_schema(specs, declared, sub, &path, excused, problems),
                    (None, Some(extra)) => check_schema(specs, extra, sub, &path, excused, problems),
                    (None, None) if view.open || !view.declares_anything() => {}
                    (None, None) => problems.push(format!("{path} is not declared by the spec")),
                }
            }
        }
        Value::Array(items) => {
            if let Some(items_schema) = schema.body.get("items") {
                let items_schema = Schema { file: schema.file.clone(), body: items_schema.clone() };
                for item in items {
                    check_schema(specs, &items_schema, item, &format!("{at}[]"), excused, problems);
                }
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Operations and their examples, sent over HTTP
// ---------------------------------------------------------------------------------------------

struct Operation {
    file: PathBuf,
    template: String,
    method: String,
    spec: Value,
    example: Value,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    async fn from(response: reqwest::Response) -> Answer {
        let status = response.status();
        let headers = response.headers().clone();
        let body = serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null);
        Answer { status, headers, body }
    }
}

impl Operation {
    fn parameter(&self, name: &str) -> &Value {
        &self.example["parameters"][name]
    }

    fn api_version(&self) -> String {
        self.parameter("api-version").as_str().expect("the example names its api-version").to_owned()
    }

    /// A parameter's declaration, inline or behind a `$ref`.
    fn declared_parameter(&self, specs: &mut Specs, name: &str) -> Option<Value> {
        self.spec["parameters"].as_array()?.iter().find_map(|p| {
            let declared = specs.resolve(&Schema { file: self.file.clone(), body: p.clone() })?.body;
            (declared["name"] == name).then_some(declared)
        })
    }

    /// The example's body: the value of the operation's `in: body` parameter.
    fn body(&self) -> Option<Value> {
        let name = self.spec["parameters"].as_array()?.iter().find(|p| p["in"] == "body")?["name"].as_str()?.to_owned();
        self.example["parameters"].get(&name).cloned()
    }

    /// The path template filled from the example's parameters, `seeded` ones replaced by names
    /// that exist in the sandbox's fixture.
    fn path(&self, seeded: &[(&str, &str)]) -> String {
        let mut path = self.template.clone();
        while let Some(start) = path.find('{') {
            let end = start + path[start..].find('}').expect("closed parameter");
            let name = &path[start + 1..end];
            let value = seeded
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
                .or_else(|| self.parameter(name).as_str().map(str::to_owned))
                .unwrap_or_else(|| panic!("the example has no value for {{{name}}}"));
            path.replace_range(start..=end, &encode_segment(&value));
        }
        path
    }

    fn url(&self, seeded: &[(&str, &str)], query: &str) -> String {
        format!("{}?{query}", self.path(seeded))
    }

    fn spec_response(&self, status: StatusCode) -> &Value {
        let responses = &self.spec["responses"];
        responses.get(status.as_str()).unwrap_or(&responses["default"])
    }

    fn response_schema(&self, status: StatusCode) -> Option<Schema> {
        let body = self.spec_response(status).get("schema")?.clone();
        Some(Schema { file: self.file.clone(), body })
    }

    fn example_response(&self, status: StatusCode) -> &Value {
        &self.example["responses"][status.as_str()]
    }

    /// Sends the example's request (or `body` in its place) to the sandbox.
    async fn send(&self, env: &Env, token: &str, seeded: &[(&str, &str)], body: Option<Value>) -> Answer {
        let query = format!("api-version={}", self.api_version());
        self.send_with_query(env, token, seeded, &query, body).await
    }

    async fn send_with_query(&self, env: &Env, token: &str, seeded: &[(&str, &str)], query: &str, body: Option<Value>) -> Answer {
        let method = Method::from_bytes(self.method.as_bytes()).expect("an HTTP method");
        let (status, headers, body) = env.arm_call(method, &self.url(seeded, query), token, body).await;
        Answer { status, headers, body }
    }

    /// Every rule of the module comment, for an answer to this operation.
    fn check(&self, specs: &mut Specs, answer: &Answer, leeway: Leeway, excused: &[(&str, &str)]) {
        let shown = self.example["responses"].as_object().expect("responses");
        assert!(
            shown.contains_key(answer.status.as_str()),
            "{} {}: answered {} where the example shows {:?}: {}",
            self.method,
            self.template,
            answer.status,
            shown.keys().collect::<Vec<_>>(),
            answer.body
        );
        let mut problems = missing_headers(&answer.headers, [self.example_response(answer.status), self.spec_response(answer.status)]);
        if let Some(example_body) = self.example_response(answer.status).get("body") {
            problems.extend(shape_problems(example_body, &answer.body, leeway));
            problems.extend(resource_type_problems(example_body, &answer.body));
        }
        if let Some(schema) = self.response_schema(answer.status) {
            problems.extend(spec_problems(specs, &schema, &answer.body, excused));
        }
        assert!(problems.is_empty(), "{} {} answered {}:\n{problems:#?}\nbody: {:#}", self.method, self.template, answer.status, answer.body);
    }
}

/// The `type` of the resources in a body: its own, or its `value` items'.
fn resource_types(body: &Value) -> Vec<&Value> {
    match body.get("value").and_then(Value::as_array) {
        Some(items) => items.iter().filter_map(|item| item.get("type")).collect(),
        None => body.get("type").into_iter().collect(),
    }
}

/// A resource type is no sample data: the answer's resources have the example's, in its casing.
fn resource_type_problems(example: &Value, answer: &Value) -> Vec<String> {
    let Some(expected) = resource_types(example).first().copied() else { return Vec::new() };
    resource_types(answer)
        .into_iter()
        .filter(|found| *found != expected)
        .map(|found| format!("resource type {found} where the example has {expected}"))
        .collect()
}

/// Headers the example or the spec lists for a status, absent from the answer; integer headers
/// (`Retry-After`) must hold an integer.
fn missing_headers(headers: &HeaderMap, responses: [&Value; 2]) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, declared) in responses.iter().filter_map(|r| r.get("headers").and_then(Value::as_object)).flatten() {
        match headers.get(name.as_str()).and_then(|v| v.to_str().ok()) {
            None => problems.push(format!("header {name} is missing")),
            Some(text) if declared["type"] == "integer" && text.parse::<i64>().is_err() => problems.push(format!("header {name} is {text:?}, not an integer")),
            Some(_) => {}
        }
    }
    problems
}

/// What a path segment must encode: all but RFC 3986's unreserved characters (spaces as `%20`).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn encode_segment(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, SEGMENT).to_string()
}

/// An app token of the seeded service principal (client credentials), as automation gets one.
async fn deployer_token(env: &Env) -> String {
    let deployer = env.sandbox.ready.principals.iter().find(|p| p.name == DEPLOYER).expect("the seeded service principal");
    let form = [
        ("client_id", deployer.client_id.as_deref().expect("a client id")),
        ("client_secret", deployer.secret.as_deref().expect("a secret")),
        ("grant_type", "client_credentials"),
        ("scope", "https://management.azure.com/.default"),
    ];
    let url = format!("{}/{}/oauth2/v2.0/token", env.login(), env.tenant());
    let answer: Value = env.http.post(url).form(&form).send().await.unwrap().json().await.unwrap();
    answer["access_token"].as_str().unwrap_or_else(|| panic!("no token: {answer}")).to_owned()
}

/// The example's names for subscription, resource group and cache, replaced by seeded ones.
fn seeded_cache(cache: &'static str) -> [(&'static str, &'static str); 4] {
    [("subscriptionId", PROD), ("resourceGroupName", ORDERS_RG), ("name", cache), ("cacheName", cache)]
}

// ---------------------------------------------------------------------------------------------
// The shape comparison on its own
// ---------------------------------------------------------------------------------------------

fn sample_cache() -> Value {
    json!({
        "name": "cache1",
        "location": "East US",
        "tags": { "team": "orders" },
        "properties": {
            "port": 6379,
            "enableNonSslPort": false,
            "sku": { "name": "Premium", "family": "P", "capacity": 1 },
            "instances": [{ "sslPort": 15000, "isPrimary": true }, { "sslPort": 15001, "isPrimary": false }],
            "startTime": null
        }
    })
}

#[test]
fn the_same_document_has_the_same_shape() {
    assert_eq!(shape_problems(&sample_cache(), &sample_cache(), STRICT), Vec::<String>::new());
}

#[test]
fn a_renamed_property_is_found_at_any_depth() {
    for (from, to) in [("/name", "title"), ("/properties/sku/capacity", "size"), ("/properties/instances/1/sslPort", "tlsPort")] {
        let mut renamed = sample_cache();
        let (parent, key) = from.rsplit_once('/').unwrap();
        let object = renamed.pointer_mut(parent).unwrap().as_object_mut().unwrap();
        let value = object.remove(key).unwrap();
        object.insert(to.to_owned(), value);
        let problems = shape_problems(&sample_cache(), &renamed, STRICT);
        assert_eq!(problems.len(), 1, "{from} -> {to}: {problems:?}");
        assert!(problems[0].ends_with(&format!(".{key} is missing")), "{problems:?}");
    }
}

#[test]
fn a_changed_type_is_found_at_any_depth() {
    for (pointer, value) in [
        ("/properties/port", json!("6379")),
        ("/properties/enableNonSslPort", json!("false")),
        ("/properties/sku", json!(["P"])),
        ("/properties/instances/0/isPrimary", json!(1)),
        ("/properties/instances", json!({})),
    ] {
        let mut changed = sample_cache();
        *changed.pointer_mut(pointer).unwrap() = value.clone();
        let problems = shape_problems(&sample_cache(), &changed, STRICT);
        assert_eq!(problems.len(), 1, "{pointer} = {value}: {problems:?}");
        assert!(problems[0].contains("where the example has"), "{problems:?}");
    }
}

#[test]
fn nulls_free_form_maps_and_named_omissions_are_the_only_leeway() {
    let mut answer = sample_cache();
    answer["properties"]["startTime"] = json!("2026-01-01T00:00:00Z");
    answer["tags"] = json!({ "cost-center": "42", "owner": "ops" });
    answer["properties"].as_object_mut().unwrap().remove("port");
    answer["properties"]["unshownButDeclared"] = json!(true);
    let leeway = Leeway { may_omit: &[("properties.port", "test")], free_form: &["tags"] };
    assert_eq!(shape_problems(&sample_cache(), &answer, leeway), Vec::<String>::new());
    // Without the leeway, the sample's tag key and the port are missing.
    assert_eq!(shape_problems(&sample_cache(), &answer, STRICT), ["$.tags.team is missing", "$.properties.port is missing"]);
    // A free-form map still keeps its values' type.
    answer["tags"]["owner"] = json!(7);
    assert_eq!(shape_problems(&sample_cache(), &answer, leeway), ["$.tags.owner is number 7 where the example has string \"orders\""]);
}

#[test]
fn resource_types_must_match_in_their_casing() {
    let example = json!({ "value": [{ "type": "Microsoft.Cache/Redis" }] });
    assert!(resource_type_problems(&example, &json!({ "value": [{ "type": "Microsoft.Cache/Redis" }] })).is_empty());
    assert_eq!(
        resource_type_problems(&example, &json!({ "value": [{ "type": "Microsoft.Cache/Redis" }, { "type": "Microsoft.Cache/redis" }] })),
        ["resource type \"Microsoft.Cache/redis\" where the example has \"Microsoft.Cache/Redis\""]
    );
}

#[test]
fn the_spec_walk_finds_missing_required_undeclared_and_mistyped_properties() {
    let mut specs = Specs::default();
    let resource = Schema::definition(REDIS, "RedisResource");
    let good = specs.operation(REDIS, "RedisCacheGet.json").example["responses"]["200"]["body"].clone();
    assert_eq!(spec_problems(&mut specs, &resource, &good, &[]), Vec::<String>::new());

    let mut bad = good.clone();
    bad.as_object_mut().unwrap().remove("location");
    bad["properties"]["sku"].as_object_mut().unwrap().remove("family");
    bad["properties"]["hostname"] = json!("cache1.redis.cache.windows.net");
    bad["properties"]["port"] = json!("6379");
    bad["properties"]["instances"][0]["sslPort"] = json!(1.5);
    bad["properties"]["sslPort"] = json!(3_000_000_000u64);
    bad["id"] = json!("cache1");
    bad["properties"]["sku"]["name"] = json!("premium");
    bad["properties"]["provisioningState"] = json!("UpgradingRedisServerVersion");
    let mut found = spec_problems(&mut specs, &resource, &bad, &[]);
    found.sort();
    assert_eq!(
        found,
        [
            "$.id is \"cache1\" where the spec declares format arm-id",
            "$.location is required by the spec and missing",
            "$.properties.hostname is not declared by the spec",
            "$.properties.instances[].sslPort is number 1.5 where the spec declares integer",
            "$.properties.port is string \"6379\" where the spec declares integer",
            "$.properties.sku.family is required by the spec and missing",
            "$.properties.sku.name is \"premium\" where the spec spells it \"Premium\"",
            "$.properties.sslPort is 3000000000 where the spec declares format int32",
        ]
    );
    assert_eq!(spec_problems(&mut specs, &resource, &bad, &[("location", "test"), ("sku.family", "test")]).len(), 6);
    let subscription = Schema::definition(SUBSCRIPTIONS, "Subscription");
    let problems = spec_problems(&mut specs, &subscription, &json!({ "state": "Active" }), &[]);
    assert!(problems.len() == 1 && problems[0].starts_with("$.state is \"Active\" where the spec allows only"), "{problems:?}");
}

#[test]
fn every_example_has_its_own_shape_and_its_spec_schema() {
    let mut specs = Specs::default();
    for (spec, example) in EXAMPLES {
        let operation = specs.operation(spec, example);
        for (status, response) in operation.example["responses"].as_object().unwrap() {
            let Some(body) = response.get("body") else { continue };
            // Elements of one array differ only in free-form tags.
            assert_eq!(shape_problems(body, body, ARM), Vec::<String>::new(), "{example} {status}");
            let schema = operation.response_schema(StatusCode::from_bytes(status.as_bytes()).unwrap()).expect("a schema");
            // The published examples keep their own definitions: the walk reports nothing on them.
            assert_eq!(spec_problems(&mut specs, &schema, body, &[]), Vec::<String>::new(), "{example} {status}");
        }
    }
}

/// Every example the specs hold for the operations the sandbox serves.
const EXAMPLES: [(&str, &str); 15] = [
    (REDIS, "RedisCacheGet.json"),
    (REDIS, "RedisCacheList.json"),
    (REDIS, "RedisCacheListByResourceGroup.json"),
    (REDIS, "RedisCacheUpdate.json"),
    (REDIS, "RedisCacheAsyncOperationStatus.json"),
    (REDIS, "RedisCacheAccessPolicyGet.json"),
    (REDIS, "RedisCacheAccessPolicyList.json"),
    (REDIS, "RedisCacheAccessPolicyCreateUpdate.json"),
    (REDIS, "RedisCacheAccessPolicyDelete.json"),
    (REDIS, "RedisCacheAccessPolicyAssignmentGet.json"),
    (REDIS, "RedisCacheAccessPolicyAssignmentList.json"),
    (REDIS, "RedisCacheAccessPolicyAssignmentCreateUpdate.json"),
    (REDIS, "RedisCacheAccessPolicyAssignmentDelete.json"),
    (SUBSCRIPTIONS, "GetSubscriptions.json"),
    (RESOURCE_GRAPH, "ResourcesBasicQuery.json"),
];

// ---------------------------------------------------------------------------------------------
// Each example's request, sent to the sandbox
// ---------------------------------------------------------------------------------------------

/// An Update answer in the example carries `accessKeys`; the spec marks them read-only and not
/// required ("not set if this object is not the response to Create or Update"), and the sandbox
/// never issues keys.
const NO_KEYS: Leeway<'static> = Leeway { may_omit: &[("properties.accessKeys", "read-only, not required; the sandbox issues no keys")], free_form: &["tags"] };

/// `SubscriptionListResult` requires `nextLink`, but the service leaves it out on the last page
/// (Azure/azure-rest-api-specs#17621, a known inaccuracy of that spec).
const LAST_PAGE: [(&str, &str); 1] = [("nextLink", "absent on the last page, as the service answers")];
const LAST_PAGE_LEEWAY: Leeway<'static> = Leeway { may_omit: &LAST_PAGE, free_form: &["tags"] };

/// The values a URL gives the `{parameters}` of a path template, once its literal segments match.
fn template_values(template: &str, url: &str) -> HashMap<String, String> {
    let path = url::Url::parse(url).expect("an absolute URL").path().to_owned();
    let segments: Vec<String> = path.trim_matches('/').split('/').map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()).collect();
    let parts: Vec<&str> = template.trim_matches('/').split('/').collect();
    assert_eq!(segments.len(), parts.len(), "{url} does not follow {template}");
    let mut values = HashMap::new();
    for (part, segment) in parts.iter().zip(segments) {
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => {
                values.insert(name.to_owned(), segment);
            }
            None => assert!(part.eq_ignore_ascii_case(&segment), "{url} does not follow {template}"),
        }
    }
    values
}

async fn get_url(env: &Env, token: &str, url: &str) -> Answer {
    Answer::from(env.http.get(url).bearer_auth(token).send().await.unwrap()).await
}

/// Polls a write's `Azure-AsyncOperation` URL as the AsyncOperationStatus example's request,
/// checking every answer, until the operation ends; then reads its `Location` URL and checks
/// the final answer against the spec's `final-state-schema`.
async fn settle(env: &Env, token: &str, specs: &mut Specs, write: &Operation, answer: &Answer) {
    let status = specs.operation(REDIS, "RedisCacheAsyncOperationStatus.json");
    let values = template_values(&status.template, &header(&answer.headers, "azure-asyncoperation"));
    let seeded: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut ended = Value::Null;
    for _ in 0..100 {
        let polled = status.send(env, token, &seeded, None).await;
        status.check(specs, &polled, ARM, &[]);
        if polled.body["status"] != "InProgress" {
            ended = polled.body;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(ended["status"], "Succeeded", "{ended}");
    let location = header(&answer.headers, "location");
    assert!(!location.is_empty(), "a write without a Location header");
    let result = get_url(env, token, &location).await;
    let final_schema = write.spec["x-ms-long-running-operation-options"]["final-state-schema"].as_str();
    match (result.status, final_schema) {
        (StatusCode::OK, Some(pointer)) => {
            let schema = Schema { file: write.file.clone(), body: json!({ "$ref": pointer }) };
            let problems = spec_problems(specs, &schema, &result.body, &[]);
            assert!(problems.is_empty(), "final state of {} {}: {problems:#?}", write.method, write.template);
        }
        (StatusCode::OK | StatusCode::NO_CONTENT, None) => {}
        (other, _) => panic!("the Location URL answered {other} after the operation ended: {}", result.body),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_cache_get_matches_its_example() {
    let env = Env::start().await;
    let token = deployer_token(&env).await;
    let mut specs = Specs::default();
    let get = specs.operation(REDIS, "RedisCacheGet.json");
    let answer = get.send(&env, &token, &seeded_cache(GEO_PRIMARY), None).await;
    get.check(&mut specs, &answer, ARM, &[]);
    assert_eq!(answer.body["name"], GEO_PRIMARY);
    assert!(!answer.body["properties"]["linkedServers"].as_array().unwrap().is_empty(), "linkedServers elements were compared");
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_cache_lists_match_their_examples_on_every_page() {
    let env = Env::with_args(&["--page-size=2"]).await;
    let token = deployer_token(&env).await;
    let mut specs = Specs::default();
    for example in ["RedisCacheList.json", "RedisCacheListByResourceGroup.json"] {
        let list = specs.operation(REDIS, example);
        let items = every_page(&env, &token, &mut specs, &list, &seeded_cache(ORDERS), (ARM, &[])).await;
        assert!(items.len() > 2, "{example}: one page only");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_cache_update_and_its_operation_status_match_their_examples() {
    let env = Env::start().await;
    let token = deployer_token(&env).await;
    let mut specs = Specs::default();
    let update = specs.operation(REDIS, "RedisCacheUpdate.json");
    let answer = update.send(&env, &token, &seeded_cache(ORDERS), update.body()).await;
    update.check(&mut specs, &answer, NO_KEYS, &[]);
    settle(&env, &token, &mut specs, &update, &answer).await;
    let get = specs.operation(REDIS, "RedisCacheGet.json");
    let after = get.send(&env, &token, &seeded_cache(ORDERS), None).await;
    assert_eq!(after.body["properties"]["enableNonSslPort"], update.body().unwrap()["properties"]["enableNonSslPort"], "the update was applied");
}

#[tokio::test(flavor = "multi_thread")]
async fn access_policy_operations_match_their_examples() {
    let env = Env::start().await;
    let token = deployer_token(&env).await;
    let mut specs = Specs::default();
    let seeded = seeded_cache(ORDERS);
    let put = specs.operation(REDIS, "RedisCacheAccessPolicyCreateUpdate.json");
    let created = put.send(&env, &token, &seeded, put.body()).await;
    put.check(&mut specs, &created, ARM, &[]);
    assert_eq!(created.status, StatusCode::CREATED, "a new policy is a create: {}", created.body);
    settle(&env, &token, &mut specs, &put, &created).await;
    let updated = put.send(&env, &token, &seeded, put.body()).await;
    put.check(&mut specs, &updated, ARM, &[]);
    settle(&env, &token, &mut specs, &put, &updated).await;

    for example in ["RedisCacheAccessPolicyGet.json", "RedisCacheAccessPolicyList.json"] {
        let read = specs.operation(REDIS, example);
        let answer = read.send(&env, &token, &seeded, None).await;
        read.check(&mut specs, &answer, ARM, &[]);
    }
    let delete = specs.operation(REDIS, "RedisCacheAccessPolicyDelete.json");
    let deleted = delete.send(&env, &token, &seeded, None).await;
    delete.check(&mut specs, &deleted, ARM, &[]);
    if deleted.status == StatusCode::ACCEPTED {
        settle(&env, &token, &mut specs, &delete, &deleted).await;
    }
    let gone = specs.operation(REDIS, "RedisCacheAccessPolicyGet.json").send(&env, &token, &seeded, None).await;
    assert_arm_error(&mut specs, &gone, StatusCode::NOT_FOUND, "a deleted resource");
}

#[tokio::test(flavor = "multi_thread")]
async fn access_policy_assignment_operations_match_their_examples() {
    let env = Env::start().await;
    let token = deployer_token(&env).await;
    let mut specs = Specs::default();
    let seeded = seeded_cache(ORDERS);
    // The assignment example assigns the policy of the policy example: create it first.
    let policy = specs.operation(REDIS, "RedisCacheAccessPolicyCreateUpdate.json");
    let created = policy.send(&env, &token, &seeded, policy.body()).await;
    settle(&env, &token, &mut specs, &policy, &created).await;

    let put = specs.operation(REDIS, "RedisCacheAccessPolicyAssignmentCreateUpdate.json");
    assert_eq!(&put.body().unwrap()["properties"]["accessPolicyName"], policy.parameter("accessPolicyName"));
    // The example's object id is no principal of the demo tenant: a seeded user takes its place.
    let mut body = put.body().unwrap();
    body["properties"]["objectId"] = json!(DANA_ID);
    for _ in 0..2 {
        let answer = put.send(&env, &token, &seeded, Some(body.clone())).await;
        put.check(&mut specs, &answer, ARM, &[]);
        settle(&env, &token, &mut specs, &put, &answer).await;
    }
    for example in ["RedisCacheAccessPolicyAssignmentGet.json", "RedisCacheAccessPolicyAssignmentList.json"] {
        let read = specs.operation(REDIS, example);
        let answer = read.send(&env, &token, &seeded, None).await;
        read.check(&mut specs, &answer, ARM, &[]);
    }
    let delete = specs.operation(REDIS, "RedisCacheAccessPolicyAssignmentDelete.json");
    let deleted = delete.send(&env, &token, &seeded, None).await;
    delete.check(&mut specs, &deleted, ARM, &[]);
    if deleted.status == StatusCode::ACCEPTED {
        settle(&env, &token, &mut specs, &delete, &deleted).await;
    }
    let gone = specs.operation(REDIS, "RedisCacheAccessPolicyAssignmentGet.json").send(&env, &token, &seeded, None).await;
    assert_arm_error(&mut specs, &gone, StatusCode::NOT_FOUND, "a deleted resource");
}

/// Sends a list example's request and follows `nextLink` to the end, checking every page (the
/// last one with `last_page`); returns the items of all pages.
async fn every_page(
    env: &Env,
    token: &str,
    specs: &mut Specs,
    list: &Operation,
    seeded: &[(&str, &str)],
    last_page: (Leeway<'_>, &[(&str, &str)]),
) -> Vec<Value> {
    let mut page = list.send(env, token, seeded, None).await;
    let mut items = Vec::new();
    loop {
        items.extend(page.body["value"].as_array().cloned().unwrap_or_default());
        let Some(next) = page.body["nextLink"].as_str().map(str::to_owned) else {
            list.check(specs, &page, last_page.0, last_page.1);
            return items;
        };
        list.check(specs, &page, ARM, &[]);
        page = get_url(env, token, &next).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn get_subscriptions_matches_its_example_on_every_page() {
    let env = Env::with_args(&["--page-size=1"]).await;
    let token = env.sign_in(ADMIN).await.access_token;
    let mut specs = Specs::default();
    let list = specs.operation(SUBSCRIPTIONS, "GetSubscriptions.json");
    let items = every_page(&env, &token, &mut specs, &list, &[], (LAST_PAGE_LEEWAY, &LAST_PAGE)).await;
    let seen: Vec<&Value> = items.iter().map(|s| &s["subscriptionId"]).collect();
    assert_eq!(seen, [PROD, DEV, LEGACY]);
}

#[tokio::test(flavor = "multi_thread")]
async fn resources_basic_query_matches_its_example() {
    let env = Env::start().await;
    let token = env.sign_in(ADMIN).await.access_token;
    let mut specs = Specs::default();
    let query = specs.operation(RESOURCE_GRAPH, "ResourcesBasicQuery.json");
    let mut body = query.body().unwrap();
    body["subscriptions"] = json!([PROD]);
    let answer = query.send(&env, &token, &[], Some(body.clone())).await;
    query.check(&mut specs, &answer, ARM, &[]);
    let limit: usize = body["query"].as_str().unwrap().rsplit("limit ").next().unwrap().trim().parse().unwrap();
    assert_eq!(answer.body["data"].as_array().unwrap().len(), limit, "{}", answer.body);
    assert_eq!(answer.body["count"], limit);
}

// ---------------------------------------------------------------------------------------------
// Strict where Resource Manager is strict
// ---------------------------------------------------------------------------------------------

/// Resource Manager's error body: `{"error":{"code","message"}}` with non-empty strings, and
/// nothing the common `ErrorResponse` (types.json) does not declare.
fn arm_error_problems(specs: &mut Specs, answer: &Answer) -> Vec<String> {
    let mut problems = shape_problems(&json!({ "error": { "code": "", "message": "" } }), &answer.body, STRICT);
    for field in ["code", "message"] {
        if answer.body["error"][field].as_str().is_some_and(str::is_empty) {
            problems.push(format!("$.error.{field} is empty"));
        }
    }
    let schema = Schema::definition(TYPES, "ErrorResponse");
    problems.extend(spec_problems(specs, &schema, &answer.body, &[]));
    problems
}

fn assert_arm_error(specs: &mut Specs, answer: &Answer, status: StatusCode, what: &str) {
    assert_eq!(answer.status, status, "{what}: {}", answer.body);
    let problems = arm_error_problems(specs, answer);
    assert!(problems.is_empty(), "{what}: {problems:?} in {}", answer.body);
}

/// The seeded names with one parameter replaced.
fn seeded_but<'a>(parameter: &'a str, value: &'a str, cache: &'static str) -> Vec<(&'a str, &'a str)> {
    std::iter::once((parameter, value)).chain(seeded_cache(cache)).collect()
}

/// A version of the same API older than the examples' (the first with access policies), or for
/// other APIs one that never existed.
fn unsupported_version(spec: &str) -> &'static str {
    if spec == REDIS {
        "2023-08-01"
    } else {
        "2000-01-01"
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_requires_its_api_version() {
    let env = Env::start().await;
    let token = env.sign_in(ADMIN).await.access_token;
    let mut specs = Specs::default();
    let before = env.cache_state(ORDERS).await;
    for (spec, example) in EXAMPLES {
        let operation = specs.operation(spec, example);
        let seeded = seeded_cache(ORDERS);
        let missing = operation.send_with_query(&env, &token, &seeded, "", operation.body()).await;
        assert_arm_error(&mut specs, &missing, StatusCode::BAD_REQUEST, &format!("{example} without api-version"));
        assert_eq!(missing.body["error"]["code"], "MissingApiVersionParameter", "{example}");
        let version = unsupported_version(spec);
        let wrong = operation.send_with_query(&env, &token, &seeded, &format!("api-version={version}"), operation.body()).await;
        assert_arm_error(&mut specs, &wrong, StatusCode::BAD_REQUEST, &format!("{example} with api-version {version}"));
    }
    assert_eq!(env.cache_state(ORDERS).await, before, "a refused write changed the cache");
}

/// A path parameter's pattern and length bounds, from the operation's spec.
fn name_rule(specs: &mut Specs, operation: &Operation, parameter: &str) -> (Regex, Option<(usize, usize)>) {
    let declared = operation.declared_parameter(specs, parameter).unwrap_or_else(|| panic!("{parameter} is not declared"));
    let pattern = Regex::new(declared["pattern"].as_str().unwrap_or_else(|| panic!("{parameter} has no pattern"))).unwrap();
    let bounds = declared["minLength"].as_u64().zip(declared["maxLength"].as_u64()).map(|(min, max)| (min as usize, max as usize));
    (pattern, bounds)
}

/// A cache name becomes a DNS label (`<name>.redis.cache.windows.net`): 63 characters at most,
/// though the spec states no length.
const DNS_LABEL: usize = 63;

fn candidate_names() -> Vec<String> {
    let mut names: Vec<String> =
        ["a", "ab", "abc", "Data Owner", "data-owner", "a b", "-lead", "trail-", " lead", "trail ", "under_score", "dotted.name", "caf\u{e9}"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    names.extend([62, 63, 64].map(|n| "x".repeat(n)));
    names.push(DANA_ID.to_owned());
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn names_follow_the_spec_patterns() {
    let env = Env::start().await;
    let token = deployer_token(&env).await;
    let mut specs = Specs::default();
    for (example, parameter) in [
        ("RedisCacheAccessPolicyList.json", "cacheName"),
        ("RedisCacheAccessPolicyGet.json", "accessPolicyName"),
        ("RedisCacheAccessPolicyAssignmentGet.json", "accessPolicyAssignmentName"),
    ] {
        let operation = specs.operation(REDIS, example);
        let (pattern, bounds) = name_rule(&mut specs, &operation, parameter);
        let (min, max) = bounds.unwrap_or((1, DNS_LABEL));
        for name in candidate_names() {
            let valid = pattern.is_match(&name) && (min..=max).contains(&name.chars().count());
            let answer = operation.send(&env, &token, &seeded_but(parameter, &name, ORDERS), None).await;
            if valid {
                assert_ne!(answer.status, StatusCode::BAD_REQUEST, "{parameter} {name:?} follows the spec: {}", answer.body);
            } else {
                assert_arm_error(&mut specs, &answer, StatusCode::BAD_REQUEST, &format!("{parameter} {name:?} breaks the spec"));
            }
        }
    }
}

/// What people paste in place of a subscription id: its display name.
const NOT_A_UUID: &str = "Contoso Production";

#[tokio::test(flavor = "multi_thread")]
async fn a_subscription_id_that_is_no_uuid_is_a_bad_request() {
    let env = Env::start().await;
    let token = deployer_token(&env).await;
    let mut specs = Specs::default();
    let mut checked = 0;
    for (spec, example) in EXAMPLES {
        let operation = specs.operation(spec, example);
        if operation.declared_parameter(&mut specs, "subscriptionId").is_none_or(|declared| declared["format"] != "uuid") {
            continue;
        }
        let answer = operation.send(&env, &token, &seeded_but("subscriptionId", NOT_A_UUID, ORDERS), operation.body()).await;
        assert_arm_error(&mut specs, &answer, StatusCode::BAD_REQUEST, &format!("{example} with subscriptionId {NOT_A_UUID:?}"));
        assert_eq!(answer.body["error"]["code"], "InvalidSubscriptionId", "{example}");
        checked += 1;
    }
    assert!(checked > 10, "the spec declares subscriptionId a uuid for the Microsoft.Cache operations");
}

#[tokio::test(flavor = "multi_thread")]
async fn request_bodies_keep_the_spec_required_properties_and_patterns() {
    let env = Env::start().await;
    let token = deployer_token(&env).await;
    let mut specs = Specs::default();
    let seeded = seeded_cache(ORDERS);
    let policy = specs.operation(REDIS, "RedisCacheAccessPolicyCreateUpdate.json");
    for required in specs.definition_view(REDIS, "RedisCacheAccessPolicyProperties").required {
        let mut body = policy.body().unwrap();
        body["properties"].as_object_mut().unwrap().remove(&required);
        let answer = policy.send(&env, &token, &seeded, Some(body)).await;
        assert_arm_error(&mut specs, &answer, StatusCode::BAD_REQUEST, &format!("access policy without {required}"));
    }

    let assignment = specs.operation(REDIS, "RedisCacheAccessPolicyAssignmentCreateUpdate.json");
    let valid = json!({ "properties": { "accessPolicyName": "Data Owner", "objectId": DANA_ID, "objectIdAlias": "dana" } });
    let view = specs.definition_view(REDIS, "RedisCacheAccessPolicyAssignmentProperties");
    assert!(!view.required.is_empty());
    for required in &view.required {
        let mut body = valid.clone();
        body["properties"].as_object_mut().unwrap().remove(required);
        let answer = assignment.send(&env, &token, &seeded, Some(body)).await;
        assert_arm_error(&mut specs, &answer, StatusCode::BAD_REQUEST, &format!("assignment without {required}"));
    }
    let policy_pattern = Regex::new(view.properties["accessPolicyName"].body["pattern"].as_str().unwrap()).unwrap();
    for name in ["Data_Owner", "-Data Owner"] {
        assert!(!policy_pattern.is_match(name));
        let mut body = valid.clone();
        body["properties"]["accessPolicyName"] = json!(name);
        let answer = assignment.send(&env, &token, &seeded, Some(body)).await;
        assert_arm_error(&mut specs, &answer, StatusCode::BAD_REQUEST, &format!("accessPolicyName {name:?}"));
    }
    // The same body with a name the pattern allows (a space inside) is taken.
    assert!(policy_pattern.is_match("Data Owner"));
    let answer = assignment.send(&env, &token, &seeded, Some(valid)).await;
    assignment.check(&mut specs, &answer, ARM, &[]);
}

/// Sends an operation's request with no `Authorization` header.
async fn send_anonymously(env: &Env, operation: &Operation, seeded: &[(&str, &str)], query: &str) -> Answer {
    Answer::from(env.http.get(format!("{}{}", env.arm(), operation.url(seeded, query))).send().await.unwrap()).await
}

// Resource Manager's front door checks the api-version before the token (management.azure.com
// opened in a browser answers MissingApiVersionParameter, MicrosoftDocs/feedback#2279), and the
// token before the request reaches the resource provider, which checks its name patterns.

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_api_version_is_reported_before_a_missing_token() {
    let env = Env::start().await;
    let mut specs = Specs::default();
    let operation = specs.operation(REDIS, "RedisCacheGet.json");
    let answer = send_anonymously(&env, &operation, &seeded_cache(ORDERS), "").await;
    assert_arm_error(&mut specs, &answer, StatusCode::BAD_REQUEST, "no token, no api-version");
    assert_eq!(answer.body["error"]["code"], "MissingApiVersionParameter");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_token_is_reported_before_a_bad_name() {
    let env = Env::start().await;
    let mut specs = Specs::default();
    let operation = specs.operation(REDIS, "RedisCacheAccessPolicyGet.json");
    let query = format!("api-version={}", operation.api_version());
    for (parameter, name) in [("accessPolicyName", "Data Owner"), ("accessPolicyName", "-bad-"), ("cacheName", "bad_name")] {
        let answer = send_anonymously(&env, &operation, &seeded_but(parameter, name, ORDERS), &query).await;
        assert_arm_error(&mut specs, &answer, StatusCode::UNAUTHORIZED, &format!("no token, {parameter} {name:?}"));
    }
}

// ---------------------------------------------------------------------------------------------
// Lenient where Resource Manager is lenient
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn unknown_properties_in_a_patch_body_are_ignored() {
    let env = Env::start().await;
    let token = deployer_token(&env).await;
    let mut specs = Specs::default();
    let update = specs.operation(REDIS, "RedisCacheUpdate.json");
    let mut body = update.body().unwrap();
    body["properties"]["aFuturePropertyOfTheService"] = json!({ "nested": [1, 2] });
    body["notInTheSpecAtAll"] = json!("ignored");
    let answer = update.send(&env, &token, &seeded_cache(ORDERS), Some(body.clone())).await;
    update.check(&mut specs, &answer, NO_KEYS, &[]);
    settle(&env, &token, &mut specs, &update, &answer).await;
    let after = specs.operation(REDIS, "RedisCacheGet.json").send(&env, &token, &seeded_cache(ORDERS), None).await;
    assert_eq!(after.body["properties"]["enableNonSslPort"], body["properties"]["enableNonSslPort"], "the known part was applied");
    assert!(after.body["properties"].get("aFuturePropertyOfTheService").is_none());
}

/// The path with the case of every literal segment of its template swapped.
fn other_case(template: &str, path: &str) -> String {
    let swap = |s: &str| s.chars().map(|c| if c.is_ascii_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }).collect::<String>();
    template
        .split('/')
        .zip(path.split('/'))
        .map(|(part, segment)| if part.starts_with('{') { segment.to_owned() } else { swap(segment) })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test(flavor = "multi_thread")]
async fn literal_path_segments_ids_and_the_bearer_scheme_match_in_any_case() {
    let env = Env::start().await;
    let token = deployer_token(&env).await;
    let mut specs = Specs::default();
    let seeded = seeded_cache(ORDERS);
    for example in [
        "RedisCacheGet.json",
        "RedisCacheList.json",
        "RedisCacheListByResourceGroup.json",
        "RedisCacheAccessPolicyList.json",
        "RedisCacheAccessPolicyAssignmentList.json",
    ] {
        let operation = specs.operation(REDIS, example);
        let query = format!("api-version={}", operation.api_version());
        let usual = operation.send(&env, &token, &seeded, None).await;
        let swapped = other_case(&operation.template, &operation.path(&seeded));
        let (status, body) = env.arm_get(&format!("{swapped}?{query}"), &token).await;
        assert_eq!((status, &body), (usual.status, &usual.body), "{swapped}");
    }
    let get = specs.operation(REDIS, "RedisCacheGet.json");
    let query = format!("api-version={}", get.api_version());
    let usual = get.send(&env, &token, &seeded, None).await;
    let id = usual.body["id"].as_str().unwrap();
    let (status, by_id) = env.arm_get(&format!("{id}?{query}"), &token).await;
    assert_eq!((status, &by_id), (StatusCode::OK, &usual.body), "the returned id names the same cache");

    let lower = env.http.get(format!("{}{}", env.arm(), get.url(&seeded, &query))).header("authorization", format!("bearer {token}")).send().await.unwrap();
    assert_eq!(lower.status(), StatusCode::OK, "the auth scheme is case-insensitive (RFC 7235, 2.1)");
}

#[tokio::test(flavor = "multi_thread")]
async fn aad_enabled_comes_back_in_the_casing_it_was_sent() {
    let env = Env::start().await;
    let token = deployer_token(&env).await;
    let mut specs = Specs::default();
    let update = specs.operation(REDIS, "RedisCacheUpdate.json");
    let sent = "True";
    let body = json!({ "properties": { "redisConfiguration": { "aad-enabled": sent } } });
    let answer = update.send(&env, &token, &seeded_cache(ORDERS), Some(body)).await;
    update.check(&mut specs, &answer, NO_KEYS, &[]);
    assert_ne!(answer.body["properties"]["redisConfiguration"]["aad-enabled"], sent, "the first answer still shows the old value");
    settle(&env, &token, &mut specs, &update, &answer).await;
    let after = specs.operation(REDIS, "RedisCacheGet.json").send(&env, &token, &seeded_cache(ORDERS), None).await;
    assert_eq!(after.body["properties"]["redisConfiguration"]["aad-enabled"], sent);
}

// The spec's request properties of a Resource Graph query are answered or refused in ARM's error
// shape, never silently ignored (a wrong answer the app would trust).

/// The basic query example, aimed at a seeded subscription, and a signed-in admin's token.
async fn basic_query(env: &Env, specs: &mut Specs) -> (Operation, Value, String) {
    let query = specs.operation(RESOURCE_GRAPH, "ResourcesBasicQuery.json");
    let mut body = query.body().unwrap();
    body["subscriptions"] = json!([PROD]);
    (query, body, env.sign_in(ADMIN).await.access_token)
}

fn declared_by(specs: &mut Specs, definition: &str, property: &str) {
    assert!(specs.definition_view(RESOURCE_GRAPH, definition).properties.contains_key(property), "{definition} declares no {property}");
}

#[tokio::test(flavor = "multi_thread")]
async fn resource_graph_facets_are_answered_or_refused() {
    let env = Env::start().await;
    let mut specs = Specs::default();
    declared_by(&mut specs, "QueryRequest", "facets");
    let (query, mut body, token) = basic_query(&env, &mut specs).await;
    body["facets"] = json!([{ "expression": "location" }]);
    let answer = query.send(&env, &token, &[], Some(body)).await;
    if answer.status != StatusCode::OK {
        return assert_arm_error(&mut specs, &answer, StatusCode::BAD_REQUEST, "facets");
    }
    query.check(&mut specs, &answer, ARM, &[]);
    assert_eq!(answer.body["facets"].as_array().map(Vec::len), Some(1), "a facet asked for and not answered: {}", answer.body);
    assert_eq!(answer.body["facets"][0]["expression"], "location");
}

#[tokio::test(flavor = "multi_thread")]
async fn resource_graph_refuses_a_management_group_it_does_not_have() {
    let env = Env::start().await;
    let mut specs = Specs::default();
    declared_by(&mut specs, "QueryRequest", "managementGroups");
    let (query, mut body, token) = basic_query(&env, &mut specs).await;
    body.as_object_mut().unwrap().remove("subscriptions");
    body["managementGroups"] = json!(["no-such-group"]);
    let answer = query.send(&env, &token, &[], Some(body)).await;
    assert!(answer.status.is_client_error(), "a management group the tenant lacks was answered {}: {}", answer.status, answer.body);
    assert!(arm_error_problems(&mut specs, &answer).is_empty(), "{}", answer.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn resource_graph_refuses_options_the_spec_does_not_allow() {
    let env = Env::start().await;
    let mut specs = Specs::default();
    let (query, example, token) = basic_query(&env, &mut specs).await;
    let options = specs.definition_view(RESOURCE_GRAPH, "QueryRequestOptions");
    for (option, value) in [("$top", json!("three")), ("resultFormat", json!("csv")), ("authorizationScopeFilter", json!("Everywhere"))] {
        let declared = specs.resolve(&options.properties[option]).expect("declared").body;
        assert!(!has_type(&value, declared["type"].as_str().unwrap()) || enum_problem(&declared, &value).is_some(), "{option} {value} is allowed");
        let mut body = example.clone();
        body["options"] = json!({ option: value });
        let answer = query.send(&env, &token, &[], Some(body)).await;
        assert_arm_error(&mut specs, &answer, StatusCode::BAD_REQUEST, &format!("options.{option} = {value}"));
    }
}
