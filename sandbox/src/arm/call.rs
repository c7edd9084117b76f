//! One authenticated Resource Manager request, with the checks every handler shares: who may
//! read or write which subscription, and finding the cache a path names.

use super::error::ArmError;
use super::route::CacheRef;
use crate::bearer::Caller;
use crate::state::{Shared, World};
use axum::body::Bytes;
use axum::http::StatusCode;
use serde_json::Value;
use std::collections::HashMap;

pub struct Call<'a> {
    pub shared: &'a Shared,
    pub caller: Caller,
    pub path: String,
    pub query: HashMap<String, String>,
    pub api_version: String,
    pub body: Bytes,
    /// A fault scripted this request's operation to end Failed.
    pub fail_operation: bool,
}

impl Call<'_> {
    pub fn json_body(&self) -> Result<Value, ArmError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            ArmError::bad_request("InvalidRequestContent", format!("The request content was invalid and could not be deserialized: '{e}'."))
        })
    }

    /// A subscription the caller holds no role on does not exist for them; an id that is no
    /// uuid is refused before any lookup, as ARM does.
    pub fn readable(&self, world: &World, subscription_id: &str) -> Result<(), ArmError> {
        if !crate::util::is_guid(subscription_id) {
            return Err(ArmError::bad_request(
                "InvalidSubscriptionId",
                format!("The provided subscription identifier '{subscription_id}' is malformed or invalid."),
            ));
        }
        match world.resources.role(&self.caller.object_id, subscription_id) {
            Some(_) if world.resources.subscription(subscription_id).is_some() => Ok(()),
            _ => Err(ArmError::not_found("SubscriptionNotFound", format!("The subscription '{subscription_id}' could not be found."))),
        }
    }

    /// Writes need Contributor on the subscription, and an Enabled subscription.
    pub fn writable(&self, world: &World, subscription_id: &str, action: &str, scope: &str) -> Result<(), ArmError> {
        self.readable(world, subscription_id)?;
        let role = world.resources.role(&self.caller.object_id, subscription_id).expect("readable");
        if !role.can_write() {
            return Err(ArmError::new(
                StatusCode::FORBIDDEN,
                "AuthorizationFailed",
                format!(
                    "The client '{}' with object id '{}' does not have authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.",
                    self.caller.name, self.caller.object_id
                ),
            ));
        }
        let subscription = world.resources.subscription(subscription_id).expect("readable");
        if subscription.state != "Enabled" {
            return Err(ArmError::new(
                StatusCode::CONFLICT,
                "ReadOnlyDisabledSubscription",
                format!("The subscription '{subscription_id}' is disabled and therefore marked as read only. You cannot perform any write actions on this subscription until it is re-enabled."),
            ));
        }
        Ok(())
    }

    pub fn resource_group(&self, world: &World, subscription_id: &str, resource_group: &str) -> Result<(), ArmError> {
        if world.resources.has_resource_group(subscription_id, resource_group) {
            Ok(())
        } else {
            Err(ArmError::not_found("ResourceGroupNotFound", format!("Resource group '{resource_group}' could not be found.")))
        }
    }

    /// The index of the cache the path names, once the caller may read it.
    pub fn cache(&self, world: &World, cache: &CacheRef) -> Result<usize, ArmError> {
        self.readable(world, &cache.subscription_id)?;
        self.resource_group(world, &cache.subscription_id, &cache.resource_group)?;
        world.resources.cache_index(&cache.subscription_id, &cache.resource_group, &cache.name.0).ok_or_else(|| {
            ArmError::not_found(
                "ResourceNotFound",
                format!("The Resource 'Microsoft.Cache/redis/{}' under resource group '{}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", cache.name.0, cache.resource_group),
            )
        })
    }

    /// The cache for a write: readable, writable, and not busy with another operation.
    pub fn cache_for_write(&self, world: &World, cache: &CacheRef, action: &str) -> Result<usize, ArmError> {
        let index = self.cache(world, cache)?;
        let id = world.resources.caches[index].id();
        self.writable(world, &cache.subscription_id, action, &id)?;
        Ok(index)
    }

    pub fn refuse_if_busy(world: &World, index: usize) -> Result<(), ArmError> {
        let cache = &world.resources.caches[index];
        if cache.is_busy() { Err(ArmError::busy(&cache.id())) } else { Ok(()) }
    }
}
