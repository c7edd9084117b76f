//! Resource Manager's JSON for the sandbox's resources, shaped as the published spec's examples.

use crate::operations::{Operation, Status};
use crate::resources::{AccessPolicy, Assignment, Cache, PolicyKind, Subscription};
use serde_json::{json, Value};
use std::time::Instant;

/// Nodes per SKU: Basic has one, Standard and Premium a primary and a replica.
fn instances(cache: &Cache) -> Vec<Value> {
    let count = if cache.sku.name.eq_ignore_ascii_case("Basic") { 1 } else { 2 };
    (0..count)
        .map(|i| json!({ "sslPort": 15000 + i, "nonSslPort": 13000 + i, "isMaster": i == 0, "isPrimary": i == 0 }))
        .collect()
}

pub fn cache(cache: &Cache) -> Value {
    let id = cache.id();
    let replicas = if cache.sku.name.eq_ignore_ascii_case("Basic") { 0 } else { 1 };
    json!({
        "id": id,
        "location": cache.location,
        "name": cache.name,
        "type": "Microsoft.Cache/Redis",
        "tags": cache.tags,
        "properties": {
            "provisioningState": cache.provisioning_state,
            "redisVersion": cache.redis_version,
            "sku": cache.sku,
            "enableNonSslPort": cache.enable_non_ssl_port,
            "minimumTlsVersion": cache.minimum_tls_version,
            "publicNetworkAccess": cache.public_network_access,
            "disableAccessKeyAuthentication": cache.disable_access_key_authentication,
            "replicasPerMaster": replicas,
            "replicasPerPrimary": replicas,
            "updateChannel": "Stable",
            "zonalAllocationPolicy": "Automatic",
            "redisConfiguration": cache.redis_configuration,
            "hostName": cache.host_name(),
            "port": cache.port,
            "sslPort": cache.ssl_port,
            "instances": instances(cache),
            "linkedServers": cache.linked_servers.iter().map(|name| json!({ "id": format!("{id}/linkedServers/{name}") })).collect::<Vec<_>>(),
            "privateEndpointConnections": [],
        }
    })
}

pub fn policy(cache: &Cache, policy: &AccessPolicy) -> Value {
    json!({
        "id": format!("{}/accessPolicies/{}", cache.id(), policy.name),
        "name": policy.name,
        "type": "Microsoft.Cache/Redis/accessPolicies",
        "properties": {
            "provisioningState": policy.provisioning_state,
            "permissions": policy.permissions,
            "type": match policy.kind { PolicyKind::BuiltIn => "BuiltIn", PolicyKind::Custom => "Custom" },
        }
    })
}

pub fn assignment(cache: &Cache, assignment: &Assignment) -> Value {
    json!({
        "id": format!("{}/accessPolicyAssignments/{}", cache.id(), assignment.name),
        "name": assignment.name,
        "type": "Microsoft.Cache/Redis/accessPolicyAssignments",
        "properties": {
            "provisioningState": assignment.provisioning_state,
            "accessPolicyName": assignment.access_policy_name,
            "objectId": assignment.object_id,
            "objectIdAlias": assignment.object_id_alias,
        }
    })
}

pub fn subscription(subscription: &Subscription, tenant_id: &str) -> Value {
    json!({
        "id": format!("/subscriptions/{}", subscription.subscription_id),
        "subscriptionId": subscription.subscription_id,
        "tenantId": tenant_id,
        "displayName": subscription.display_name,
        "state": subscription.state,
        "subscriptionPolicies": { "locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off" },
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "tags": {},
    })
}

/// The status document of an operation, as polled.
pub fn operation_status(operation: &Operation, status: Status, now: Instant) -> Value {
    let error = (status == Status::Failed).then(|| {
        json!({ "code": "ResourceOperationFailure", "message": "The resource operation completed with terminal provisioning state 'Failed'." })
    });
    json!({
        "id": format!("/subscriptions/{}/providers/Microsoft.Cache/locations/{}/asyncOperations/{}", operation.subscription_id, operation.location, operation.id),
        "name": operation.id,
        "status": status.as_str(),
        "startTime": operation.start_time,
        "endTime": if status == Status::InProgress { None } else { operation.end_time.clone() },
        "percentComplete": if status == Status::InProgress { operation.percent_complete(now).min(99.0) } else { 100.0 },
        "properties": null,
        "error": error,
    })
}
