//! `GET /subscriptions` and `GET /subscriptions/{id}`: only those the caller holds a role on.

use super::call::Call;
use super::error::ArmError;
use super::{paging, wire};
use crate::state::World;
use axum::response::{IntoResponse, Response};
use axum::Json;

pub fn list(call: &Call, world: &World) -> Result<Response, ArmError> {
    let tenant = &world.directory.tenant.id;
    let items = world.resources.readable_subscriptions(&call.caller.object_id).map(|s| wire::subscription(s, tenant)).collect();
    paging::page(call, items)
}

pub fn get(call: &Call, world: &World, id: &str) -> Result<Response, ArmError> {
    call.readable(world, id)?;
    let subscription = world.resources.subscription(id).expect("readable");
    Ok(Json(wire::subscription(subscription, &world.directory.tenant.id)).into_response())
}
