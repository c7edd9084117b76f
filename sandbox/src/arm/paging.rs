//! List pages: `value` plus an absolute `nextLink` while more items remain.

use super::call::Call;
use super::error::ArmError;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

pub fn page(call: &Call, items: Vec<Value>) -> Result<Response, ArmError> {
    let skip = match call.query.get("$skiptoken").or_else(|| call.query.get("$skipToken")) {
        None => 0,
        Some(token) => token.parse::<usize>().map_err(|_| ArmError::bad_request("InvalidSkipToken", format!("The skip token '{token}' is not valid.")))?,
    };
    let size = call.shared.options.page_size as usize;
    let total = items.len();
    let value: Vec<Value> = items.into_iter().skip(skip).take(size).collect();
    let mut body = json!({ "value": value });
    if skip + size < total {
        body["nextLink"] = format!("{}{}?api-version={}&$skiptoken={}", call.shared.origins.arm, call.path, call.api_version, skip + size).into();
    }
    Ok(Json(body).into_response())
}
