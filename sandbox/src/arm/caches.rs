//! Caches: list by subscription or resource group, get, and PATCH. A PATCH that changes
//! something is a long-running operation; the `aad-enabled` toggle must travel alone.

use super::call::Call;
use super::error::ArmError;
use super::route::CacheRef;
use super::{lro, paging, wire};
use crate::operations::{CachePatch, Change};
use crate::resources::{Cache, Sku};
use crate::state::World;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub fn list(call: &Call, world: &World, subscription_id: &str, resource_group: Option<&str>) -> Result<Response, ArmError> {
    call.readable(world, subscription_id)?;
    if let Some(group) = resource_group {
        call.resource_group(world, subscription_id, group)?;
    }
    let items = world
        .resources
        .caches
        .iter()
        .filter(|c| c.subscription_id.eq_ignore_ascii_case(subscription_id))
        .filter(|c| resource_group.is_none_or(|g| c.resource_group.eq_ignore_ascii_case(g)))
        .map(wire::cache)
        .collect();
    paging::page(call, items)
}

pub fn get(call: &Call, world: &World, cache: &CacheRef) -> Result<Response, ArmError> {
    let index = call.cache(world, cache)?;
    Ok(Json(wire::cache(&world.resources.caches[index])).into_response())
}

pub fn patch(call: &Call, world: &mut World, target: &CacheRef) -> Result<Response, ArmError> {
    let index = call.cache_for_write(world, target, "Microsoft.Cache/redis/write")?;
    let body = call.json_body()?;
    let cache = &world.resources.caches[index];
    let (patch, changed) = effective_patch(cache, &body)?;
    let toggles_aad = changed.contains(&"aad-enabled");
    if changed.is_empty() {
        return Ok(Json(wire::cache(cache)).into_response());
    }
    if toggles_aad && changed.len() > 1 {
        return Err(ArmError::bad_request(
            "BadRequest",
            format!("The update of 'aad-enabled' can't be processed in one single request along with other changes ({}). Please send it in a separate request.", changed.iter().filter(|c| **c != "aad-enabled").copied().collect::<Vec<_>>().join(", ")),
        ));
    }
    check_entra_rules(cache, &patch)?;
    Call::refuse_if_busy(world, index)?;
    let phases = if toggles_aad { call.shared.timing.enable_aad.clone() } else { call.shared.timing.update.clone() };
    let headers = lro::start(call, world, index, Change::Patch(patch), phases);
    let body = wire::cache(&world.resources.caches[index]);
    Ok((StatusCode::ACCEPTED, headers, Json(body)).into_response())
}

/// Entra authentication needs Redis 6; access keys can only go once Entra is on and the cache
/// is not geo-replicated.
fn check_entra_rules(cache: &Cache, patch: &CachePatch) -> Result<(), ArmError> {
    if let Some(value) = patch.redis_configuration.get("aad-enabled").and_then(Value::as_str) {
        if !value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false") {
            return Err(ArmError::bad_request("InvalidRequestContent", format!("The value '{value}' of 'aad-enabled' is invalid: use 'true' or 'false'.")));
        }
        if !cache.supports_acl() {
            return Err(ArmError::bad_request(
                "BadRequest",
                format!("Microsoft Entra authentication is not supported for Redis version {}. Upgrade the cache to Redis 6 first.", cache.redis_version),
            ));
        }
    }
    if patch.disable_access_key_authentication == Some(true) {
        if !cache.aad_enabled() {
            return Err(ArmError::bad_request("BadRequest", "Access key authentication can only be disabled when Microsoft Entra authentication is enabled."));
        }
        if !cache.linked_servers.is_empty() {
            return Err(ArmError::bad_request("BadRequest", "Access key authentication cannot be disabled on a geo-replicated cache. Unlink the geo-replication first."));
        }
    }
    Ok(())
}

fn invalid(property: &str, why: impl std::fmt::Display) -> ArmError {
    ArmError::bad_request("InvalidRequestContent", format!("The request content was invalid and could not be deserialized: property '{property}': {why}."))
}

/// A typed property of a PATCH body; unknown and read-only properties are ignored, as ARM does.
fn field<T: DeserializeOwned>(object: &Map<String, Value>, name: &str) -> Result<Option<T>, ArmError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => serde_json::from_value(value.clone()).map(Some).map_err(|e| invalid(name, e)),
    }
}

fn one_of(value: Option<String>, name: &str, allowed: &[&str]) -> Result<Option<String>, ArmError> {
    match value {
        Some(v) if !allowed.contains(&v.as_str()) => Err(invalid(name, format!("'{v}' is not one of {}", allowed.join(", ")))),
        other => Ok(other),
    }
}

/// The part of a PATCH body that differs from the cache, and the names of what it changes.
fn effective_patch(cache: &Cache, body: &Value) -> Result<(CachePatch, Vec<&'static str>), ArmError> {
    let body = body.as_object().ok_or_else(|| invalid("(body)", "expected an object"))?;
    let empty = Map::new();
    let properties = match body.get("properties") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(p)) => p,
        Some(_) => return Err(invalid("properties", "expected an object")),
    };
    let mut patch = CachePatch::default();
    let mut changed = Vec::new();

    let configuration: Map<String, Value> = field(properties, "redisConfiguration")?.unwrap_or_default();
    for (key, value) in configuration {
        let Value::String(text) = &value else { return Err(invalid(&format!("redisConfiguration.{key}"), "expected a string")) };
        let differs = if key == "aad-enabled" {
            text.eq_ignore_ascii_case("true") != cache.aad_enabled()
        } else {
            cache.redis_configuration.get(&key) != Some(&value)
        };
        if differs {
            changed.push(if key == "aad-enabled" { "aad-enabled" } else { "redisConfiguration" });
            patch.redis_configuration.insert(key, Value::String(text.clone()));
        }
    }
    let mut compare = |name: &'static str, differs: bool| {
        if differs {
            changed.push(name);
        }
        differs
    };
    if let Some(v) = field::<bool>(properties, "enableNonSslPort")?.filter(|v| compare("enableNonSslPort", *v != cache.enable_non_ssl_port)) {
        patch.enable_non_ssl_port = Some(v);
    }
    if let Some(v) = one_of(field(properties, "minimumTlsVersion")?, "minimumTlsVersion", &["1.0", "1.1", "1.2"])?
        .filter(|v| compare("minimumTlsVersion", *v != cache.minimum_tls_version))
    {
        patch.minimum_tls_version = Some(v);
    }
    if let Some(v) = one_of(field(properties, "publicNetworkAccess")?, "publicNetworkAccess", &["Enabled", "Disabled"])?
        .filter(|v| compare("publicNetworkAccess", *v != cache.public_network_access))
    {
        patch.public_network_access = Some(v);
    }
    if let Some(v) = field::<bool>(properties, "disableAccessKeyAuthentication")?
        .filter(|v| compare("disableAccessKeyAuthentication", *v != cache.disable_access_key_authentication))
    {
        patch.disable_access_key_authentication = Some(v);
    }
    if let Some(v) = field::<String>(properties, "redisVersion")?.filter(|v| compare("redisVersion", !same_version(v, &cache.redis_version))) {
        patch.redis_version = Some(v);
    }
    if let Some(v) = field::<Sku>(properties, "sku")?.filter(|v| compare("sku", *v != cache.sku)) {
        patch.sku = Some(v);
    }
    for scaling in ["shardCount", "replicasPerMaster", "replicasPerPrimary"] {
        if field::<i64>(properties, scaling)?.is_some() {
            compare(scaling, true);
        }
    }
    if let Some(v) = field::<Map<String, Value>>(body, "tags")?.filter(|v| compare("tags", *v != cache.tags)) {
        patch.tags = Some(v);
    }
    if body.get("identity").is_some_and(|v| !v.is_null()) {
        compare("identity", true);
    }
    Ok((patch, changed))
}

/// "6" and "6.0" name the same version.
fn same_version(a: &str, b: &str) -> bool {
    a.split('.').next() == b.split('.').next() && (a.split('.').count() == 1 || b.split('.').count() == 1 || a == b)
}
