//! Access policies (Redis ACL permission sets) and their assignments to principals. Every
//! write is a long-running operation that keeps the cache busy until it ends.

use super::call::Call;
use super::error::ArmError;
use super::names::{AssignmentName, PolicyName};
use super::route::CacheRef;
use super::{lro, paging, wire};
use crate::directory::DirectoryObject;
use crate::operations::Change;
use crate::resources::{with_key_rule, AccessPolicy, Assignment, Cache, PolicyKind};
use crate::state::World;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

const POLICY_WRITE: &str = "Microsoft.Cache/redis/accessPolicies/write";
const POLICY_DELETE: &str = "Microsoft.Cache/redis/accessPolicies/delete";
const ASSIGNMENT_WRITE: &str = "Microsoft.Cache/redis/accessPolicyAssignments/write";
const ASSIGNMENT_DELETE: &str = "Microsoft.Cache/redis/accessPolicyAssignments/delete";

fn not_found(cache: &Cache, kind: &str, name: &str) -> ArmError {
    ArmError::not_found(
        "ResourceNotFound",
        format!("The Resource 'Microsoft.Cache/redis/{}/{kind}/{name}' under resource group '{}' was not found.", cache.name, cache.resource_group),
    )
}

fn invalid_assignment(message: impl Into<String>) -> ArmError {
    ArmError::bad_request("InvalidAccessPolicyAssignment", message)
}

fn requires_acl(cache: &Cache) -> Result<(), ArmError> {
    if cache.supports_acl() {
        Ok(())
    } else {
        Err(ArmError::bad_request("BadRequest", format!("Access policies need Redis 6 or later; the cache runs Redis {}.", cache.redis_version)))
    }
}

/// The `properties` object of a PUT body, with a required string property read from it.
fn required_text(body: &Value, name: &str) -> Result<String, ArmError> {
    match body.get("properties").and_then(|p| p.get(name)) {
        Some(Value::String(text)) if !text.trim().is_empty() => Ok(text.clone()),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            Err(ArmError::bad_request("InvalidRequestContent", format!("The request content was invalid: required property '{name}' is missing or empty.")))
        }
        Some(_) => Err(ArmError::bad_request("InvalidRequestContent", format!("The request content was invalid: property '{name}' must be a string."))),
    }
}

fn created_or_updated(status: StatusCode, headers: axum::http::HeaderMap, body: Value) -> Response {
    (status, headers, Json(body)).into_response()
}

pub fn list_policies(call: &Call, world: &World, target: &CacheRef) -> Result<Response, ArmError> {
    let cache = &world.resources.caches[call.cache(world, target)?];
    paging::page(call, cache.access_policies.iter().map(|p| wire::policy(cache, p)).collect())
}

pub fn get_policy(call: &Call, world: &World, target: &CacheRef, name: &PolicyName) -> Result<Response, ArmError> {
    let cache = &world.resources.caches[call.cache(world, target)?];
    let policy = cache.policy(&name.0).ok_or_else(|| not_found(cache, "accessPolicies", &name.0))?;
    Ok(Json(wire::policy(cache, policy)).into_response())
}

/// Permission rules look like Redis ACL rules: `+`/`-` commands and categories, key patterns.
fn check_permissions(permissions: &str) -> Result<(), ArmError> {
    let bad = permissions.split_whitespace().find(|rule| {
        !(rule.starts_with('+') || rule.starts_with('-') || rule.starts_with('~') || rule.starts_with('%') || ["allkeys", "resetkeys", "allcommands", "nocommands"].contains(rule))
    });
    match bad {
        Some(rule) => Err(ArmError::bad_request("InvalidAccessPolicy", format!("The permission rule '{rule}' is not a valid Redis ACL rule."))),
        None => Ok(()),
    }
}

pub fn put_policy(call: &Call, world: &mut World, target: &CacheRef, name: &PolicyName) -> Result<Response, ArmError> {
    let index = call.cache_for_write(world, target, POLICY_WRITE)?;
    let permissions = required_text(&call.json_body()?, "permissions")?;
    check_permissions(&permissions)?;
    let cache = &world.resources.caches[index];
    requires_acl(cache)?;
    let previous = cache.policy(&name.0).cloned();
    if previous.as_ref().is_some_and(|p| p.kind == PolicyKind::BuiltIn) {
        return Err(ArmError::bad_request("BadRequest", format!("The built-in access policy '{}' cannot be modified.", name.0)));
    }
    Call::refuse_if_busy(world, index)?;
    let status = if previous.is_some() { StatusCode::OK } else { StatusCode::CREATED };
    let new = AccessPolicy { name: name.0.clone(), permissions: with_key_rule(&permissions), kind: PolicyKind::Custom, provisioning_state: "Updating".into() };
    let headers = lro::start(call, world, index, Change::PutPolicy { new, previous }, call.shared.timing.access.clone());
    let cache = &world.resources.caches[index];
    Ok(created_or_updated(status, headers, wire::policy(cache, cache.policy(&name.0).expect("just written"))))
}

pub fn delete_policy(call: &Call, world: &mut World, target: &CacheRef, name: &PolicyName) -> Result<Response, ArmError> {
    let index = call.cache_for_write(world, target, POLICY_DELETE)?;
    let cache = &world.resources.caches[index];
    let Some(policy) = cache.policy(&name.0) else { return Ok(StatusCode::NO_CONTENT.into_response()) };
    if policy.kind == PolicyKind::BuiltIn {
        return Err(ArmError::bad_request("BadRequest", format!("The built-in access policy '{}' cannot be deleted.", policy.name)));
    }
    if let Some(user) = cache.access_policy_assignments.iter().find(|a| a.access_policy_name.eq_ignore_ascii_case(&policy.name)) {
        return Err(ArmError::bad_request("BadRequest", format!("The access policy '{}' is assigned to '{}'; delete the assignment first.", policy.name, user.object_id_alias)));
    }
    let name = policy.name.clone();
    Call::refuse_if_busy(world, index)?;
    let headers = lro::start(call, world, index, Change::DeletePolicy { name }, call.shared.timing.access.clone());
    Ok((StatusCode::ACCEPTED, headers).into_response())
}

pub fn list_assignments(call: &Call, world: &World, target: &CacheRef) -> Result<Response, ArmError> {
    let cache = &world.resources.caches[call.cache(world, target)?];
    paging::page(call, cache.access_policy_assignments.iter().map(|a| wire::assignment(cache, a)).collect())
}

pub fn get_assignment(call: &Call, world: &World, target: &CacheRef, name: &AssignmentName) -> Result<Response, ArmError> {
    let cache = &world.resources.caches[call.cache(world, target)?];
    let assignment = cache.assignment(&name.0).ok_or_else(|| not_found(cache, "accessPolicyAssignments", &name.0))?;
    Ok(Json(wire::assignment(cache, assignment)).into_response())
}

/// Reads and checks an assignment body: a known policy, a user or service principal of this
/// tenant (never a group), and no other assignment for the same object id.
fn assignment_from(call: &Call, world: &World, cache: &Cache, name: &AssignmentName) -> Result<Assignment, ArmError> {
    let body = call.json_body()?;
    let policy_name = required_text(&body, "accessPolicyName")?;
    let object_id = required_text(&body, "objectId")?;
    let alias = required_text(&body, "objectIdAlias")?;
    PolicyName::parse(&policy_name)?;
    if !crate::util::is_guid(&object_id) {
        return Err(invalid_assignment(format!("The object id '{object_id}' is not a valid GUID.")));
    }
    requires_acl(cache)?;
    let policy = cache.policy(&policy_name).ok_or_else(|| invalid_assignment(format!("The access policy '{policy_name}' does not exist on cache '{}'.", cache.name)))?;
    match world.directory.object(&object_id) {
        None => return Err(invalid_assignment(format!("The object id '{object_id}' was not found in tenant '{}'.", world.directory.tenant.id))),
        Some(DirectoryObject::Group(group)) => {
            return Err(invalid_assignment(format!("The object id '{object_id}' is the group '{}'; groups cannot be assigned access policies.", group.display_name)));
        }
        Some(_) => {}
    }
    if let Some(other) = cache.access_policy_assignments.iter().find(|a| a.object_id.eq_ignore_ascii_case(&object_id) && !a.name.eq_ignore_ascii_case(&name.0)) {
        return Err(invalid_assignment(format!("The object id '{object_id}' already has the access policy assignment '{}'.", other.name)));
    }
    Ok(Assignment {
        name: name.0.clone(),
        access_policy_name: policy.name.clone(),
        object_id: object_id.to_ascii_lowercase(),
        object_id_alias: alias,
        provisioning_state: "Updating".into(),
    })
}

/// Answers 201 with `Updating` even when it replaces an existing assignment, as the service does.
pub fn put_assignment(call: &Call, world: &mut World, target: &CacheRef, name: &AssignmentName) -> Result<Response, ArmError> {
    let index = call.cache_for_write(world, target, ASSIGNMENT_WRITE)?;
    let new = assignment_from(call, world, &world.resources.caches[index], name)?;
    Call::refuse_if_busy(world, index)?;
    let previous = world.resources.caches[index].assignment(&name.0).cloned();
    let headers = lro::start(call, world, index, Change::PutAssignment { new, previous }, call.shared.timing.access.clone());
    let cache = &world.resources.caches[index];
    Ok(created_or_updated(StatusCode::CREATED, headers, wire::assignment(cache, cache.assignment(&name.0).expect("just written"))))
}

pub fn delete_assignment(call: &Call, world: &mut World, target: &CacheRef, name: &AssignmentName) -> Result<Response, ArmError> {
    let index = call.cache_for_write(world, target, ASSIGNMENT_DELETE)?;
    let Some(existing) = world.resources.caches[index].assignment(&name.0) else { return Ok(StatusCode::NO_CONTENT.into_response()) };
    let name = existing.name.clone();
    Call::refuse_if_busy(world, index)?;
    let headers = lro::start(call, world, index, Change::DeleteAssignment { name }, call.shared.timing.access.clone());
    Ok((StatusCode::ACCEPTED, headers).into_response())
}
