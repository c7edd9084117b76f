//! Starting long-running operations and answering their status URLs. The URLs are long and
//! signed-looking, with the region's display name (space encoded) in the path, as Azure's are.

use super::call::Call;
use super::error::ArmError;
use super::wire;
use crate::operations::{Change, Operation, Status};
use crate::state::World;
use crate::timing::Phase;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use std::time::Instant;

/// Starts an operation on a cache and returns the headers that point at its status.
pub fn start(call: &Call, world: &mut World, cache: usize, change: Change, phases: Vec<Phase>) -> HeaderMap {
    let target = &mut world.resources.caches[cache];
    let operation = Operation {
        id: crate::util::new_guid(),
        subscription_id: target.subscription_id.clone(),
        location: target.location.clone(),
        cache,
        started: Instant::now(),
        start_time: crate::util::now_rfc3339(),
        end_time: None,
        phases,
        change,
        fails: call.fail_operation,
        polls: 0,
        status: Status::InProgress,
    };
    operation.begin(target);
    let headers = headers(call, &operation);
    world.operations.push(operation);
    headers
}

fn status_url(call: &Call, operation: &Operation, kind: &str) -> String {
    let ticks = crate::util::unix_now() as u128 * 10_000_000 + 621_355_968_000_000_000;
    format!(
        "{}/subscriptions/{}/providers/Microsoft.Cache/locations/{}/{kind}/{}?api-version={}&t={ticks}&c={}&s={}&h={}",
        call.shared.origins.arm,
        operation.subscription_id,
        utf8_percent_encode(&operation.location, NON_ALPHANUMERIC),
        operation.id,
        call.api_version,
        crate::util::random_token(1200),
        crate::util::random_token(256),
        crate::util::random_token(32),
    )
}

fn headers(call: &Call, operation: &Operation) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let value = |text: String| HeaderValue::from_str(&text).expect("url-safe text");
    headers.insert("azure-asyncoperation", value(status_url(call, operation, "asyncOperations")));
    headers.insert(header::LOCATION, value(status_url(call, operation, "operationResults")));
    headers.insert(header::RETRY_AFTER, call.shared.timing.retry_after_secs.into());
    headers
}

/// Answers a status URL. The first poll always says InProgress, however fast the operation.
pub fn status(call: &Call, world: &mut World, subscription_id: &str, id: &str, results: bool) -> Result<Response, ArmError> {
    call.readable(world, subscription_id)?;
    let Some(operation) = world
        .operations
        .iter_mut()
        .find(|o| o.id.eq_ignore_ascii_case(id) && o.subscription_id.eq_ignore_ascii_case(subscription_id))
    else {
        return Err(ArmError::not_found("OperationNotFound", format!("The operation '{id}' could not be found.")));
    };
    operation.polls += 1;
    let shown = if operation.polls == 1 { Status::InProgress } else { operation.status };
    let operation = operation.clone();
    let retry = |mut response: Response| {
        response.headers_mut().extend(headers(call, &operation));
        response
    };
    if !results {
        let body = Json(wire::operation_status(&operation, shown, Instant::now())).into_response();
        return Ok(if shown == Status::InProgress { retry(body) } else { body });
    }
    match shown {
        Status::InProgress => Ok(retry(StatusCode::ACCEPTED.into_response())),
        Status::Failed => Err(ArmError::new(StatusCode::INTERNAL_SERVER_ERROR, "ResourceOperationFailure", "The resource operation completed with terminal provisioning state 'Failed'.")),
        Status::Succeeded => Ok(result_of(world, &operation)),
    }
}

/// What a finished operation's Location URL answers: the written resource, or 204 for deletes.
fn result_of(world: &World, operation: &Operation) -> Response {
    let cache = &world.resources.caches[operation.cache];
    let body = match &operation.change {
        Change::Patch(_) => Some(wire::cache(cache)),
        Change::PutPolicy { new, .. } => cache.policy(&new.name).map(|p| wire::policy(cache, p)),
        Change::PutAssignment { new, .. } => cache.assignment(&new.name).map(|a| wire::assignment(cache, a)),
        Change::DeletePolicy { .. } | Change::DeleteAssignment { .. } => None,
    };
    match body {
        Some(body) => Json(body).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}
