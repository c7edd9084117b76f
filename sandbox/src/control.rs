//! The control API, on its own port: reset, scripted faults, revocation, the request log and
//! the state, for tests and demos to drive and inspect the sandbox.

use crate::faults::FaultRule;
use crate::state::Shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn router(shared: &Arc<Shared>) -> Router {
    Router::new()
        .route("/reset", post(reset))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/revoke", post(revoke))
        .route("/state", get(state))
        .with_state(shared.clone())
}

type Ctl = State<Arc<Shared>>;

fn refused(why: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": why.into() }))).into_response()
}

async fn reset(State(shared): Ctl) -> StatusCode {
    shared.reset();
    StatusCode::NO_CONTENT
}

async fn requests(State(shared): Ctl) -> Json<Value> {
    Json(json!(*shared.log.lock().expect("log lock")))
}

async fn clear_requests(State(shared): Ctl) -> StatusCode {
    shared.log.lock().expect("log lock").clear();
    StatusCode::NO_CONTENT
}

async fn faults(State(shared): Ctl) -> Json<Value> {
    Json(json!(shared.faults.lock().expect("faults lock").pending()))
}

async fn add_fault(State(shared): Ctl, body: axum::body::Bytes) -> Response {
    let rule: FaultRule = match serde_json::from_slice(&body) {
        Ok(rule) => rule,
        Err(e) => return refused(e.to_string()),
    };
    match shared.faults.lock().expect("faults lock").add(rule) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(why) => refused(why),
    }
}

async fn clear_faults(State(shared): Ctl) -> StatusCode {
    *shared.faults.lock().expect("faults lock") = Default::default();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Revoke {
    upn: String,
}

async fn revoke(State(shared): Ctl, body: axum::body::Bytes) -> Response {
    let Ok(Revoke { upn }) = serde_json::from_slice(&body) else {
        return refused("expected {\"upn\": \"...\"}");
    };
    let object_id = match shared.world().directory.user(&upn) {
        Some(user) => user.id.clone(),
        None => return refused(format!("no user {upn}")),
    };
    shared.grants().revoke(&object_id);
    StatusCode::NO_CONTENT.into_response()
}

/// Per subscription: its caches in their full ARM representation, policies and assignments.
async fn state(State(shared): Ctl) -> Json<Value> {
    let world = shared.world();
    let resources = &world.resources;
    let subscriptions: Vec<Value> = resources
        .subscriptions
        .iter()
        .map(|s| {
            let caches: Vec<Value> = resources
                .caches
                .iter()
                .filter(|c| c.subscription_id == s.subscription_id)
                .map(|c| {
                    json!({
                        "cache": crate::arm::wire::cache(c),
                        "accessPolicies": c.access_policies.iter().map(|p| crate::arm::wire::policy(c, p)).collect::<Vec<_>>(),
                        "accessPolicyAssignments": c.access_policy_assignments.iter().map(|a| crate::arm::wire::assignment(c, a)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({ "subscriptionId": s.subscription_id, "displayName": s.display_name, "state": s.state, "caches": caches })
        })
        .collect();
    Json(json!({ "subscriptions": subscriptions }))
}
