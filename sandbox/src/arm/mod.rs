//! Azure Resource Manager for Microsoft.Cache/redis: subscriptions, caches, access policies and
//! assignments, long-running operation status, and the Resource Graph query the app sends.

mod access;
mod caches;
mod call;
mod error;
mod lro;
mod names;
mod paging;
mod resource_graph;
mod route;
mod subscriptions;
pub mod wire;

pub use error::ArmError;

use crate::bearer::{authenticate, BearerError};
use crate::http::inject::FailOperation;
use crate::state::Shared;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use call::Call;
use route::Route;
use std::sync::Arc;

/// Audiences Resource Manager accepts in tokens.
const AUDIENCES: [&str; 4] = ["https://management.azure.com", "https://management.azure.com/", "https://management.core.windows.net/", "https://management.core.windows.net"];

pub fn router() -> Router<Arc<Shared>> {
    Router::new().fallback(dispatch)
}

async fn dispatch(State(shared): State<Arc<Shared>>, method: Method, uri: Uri, headers: HeaderMap, fail: Option<Extension<FailOperation>>, body: Bytes) -> Response {
    let is_write = !matches!(method, Method::GET | Method::HEAD) && !uri.path().ends_with("/Microsoft.ResourceGraph/resources");
    let mut response = handle(&shared, method, &uri, &headers, fail.is_some(), body).unwrap_or_else(IntoResponse::into_response);
    let request_id = crate::util::new_guid();
    let out = response.headers_mut();
    out.insert("x-ms-request-id", HeaderValue::from_str(&request_id).expect("guid"));
    out.insert("x-ms-correlation-request-id", HeaderValue::from_str(&request_id).expect("guid"));
    let (bucket, left) = if is_write { ("x-ms-ratelimit-remaining-subscription-writes", "199") } else { ("x-ms-ratelimit-remaining-subscription-reads", "249") };
    out.insert(bucket, HeaderValue::from_static(left));
    response
}

fn handle(shared: &Shared, method: Method, uri: &Uri, headers: &HeaderMap, fail_operation: bool, body: Bytes) -> Result<Response, ArmError> {
    // Resource Manager's order: the api-version, then the token, then the path and its names.
    let query: std::collections::HashMap<String, String> = url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    let versions = route::api_versions(uri.path());
    let api_version = match query.get("api-version") {
        None => return Err(ArmError::bad_request("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")),
        Some(v) if !versions.contains(&v.as_str()) => {
            return Err(ArmError::bad_request("InvalidApiVersionParameter", format!("The api-version '{v}' is invalid. The supported versions are '{}'.", versions.join(","))));
        }
        Some(v) => v.clone(),
    };
    let caller = authenticate(shared, headers, &AUDIENCES).map_err(|e| unauthenticated(shared, e))?;
    let route = Route::parse(uri.path())?;
    let call = Call { shared, caller, path: uri.path().to_owned(), query, api_version, body, fail_operation };
    let mut world = shared.world();
    let world = &mut *world;
    match (method, route) {
        (Method::GET, Route::Subscriptions) => subscriptions::list(&call, world),
        (Method::GET, Route::Subscription(id)) => subscriptions::get(&call, world, &id),
        (Method::GET, Route::Caches { subscription_id, resource_group }) => caches::list(&call, world, &subscription_id, resource_group.as_deref()),
        (Method::GET, Route::Cache(cache)) => caches::get(&call, world, &cache),
        (Method::PATCH, Route::Cache(cache)) => caches::patch(&call, world, &cache),
        (Method::GET, Route::Policies(cache)) => access::list_policies(&call, world, &cache),
        (Method::GET, Route::Policy(cache, name)) => access::get_policy(&call, world, &cache, &name),
        (Method::PUT, Route::Policy(cache, name)) => access::put_policy(&call, world, &cache, &name),
        (Method::DELETE, Route::Policy(cache, name)) => access::delete_policy(&call, world, &cache, &name),
        (Method::GET, Route::Assignments(cache)) => access::list_assignments(&call, world, &cache),
        (Method::GET, Route::Assignment(cache, name)) => access::get_assignment(&call, world, &cache, &name),
        (Method::PUT, Route::Assignment(cache, name)) => access::put_assignment(&call, world, &cache, &name),
        (Method::DELETE, Route::Assignment(cache, name)) => access::delete_assignment(&call, world, &cache, &name),
        (Method::GET, Route::Operation { subscription_id, id, results }) => lro::status(&call, world, &subscription_id, &id, results),
        (Method::POST, Route::ResourceGraph) => resource_graph::query(&call, world),
        (method, _) => Err(ArmError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "UnsupportedHttpVerb",
            format!("The requested resource does not support http method '{method}'."),
        )),
    }
}

fn unauthenticated(shared: &Shared, error: BearerError) -> ArmError {
    let (code, message) = match error {
        BearerError::Missing => ("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.".to_owned()),
        BearerError::Malformed => ("InvalidAuthenticationToken", "The access token is invalid.".to_owned()),
        BearerError::Revoked => ("InvalidAuthenticationToken", "The access token has been revoked.".to_owned()),
        BearerError::Expired => ("ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.".to_owned()),
        BearerError::WrongAudience(audience) => (
            "InvalidAuthenticationTokenAudience",
            format!("The access token has been obtained for wrong audience or resource '{audience}'. It should exactly match with one of the allowed audiences '{}'.", AUDIENCES.join("','")),
        ),
    };
    let tenant = shared.world().directory.tenant.id.clone();
    let mut error = ArmError::new(StatusCode::UNAUTHORIZED, code, message.clone());
    error.www_authenticate = Some(format!(
        "Bearer authorization_uri=\"{}/{tenant}\", error=\"invalid_token\", error_description=\"{message}\"",
        shared.origins.login
    ));
    error
}

/// A scripted fault in Resource Manager's error shape.
pub fn fault_response(status: StatusCode, retry_after: Option<u64>) -> Response {
    let (code, message) = match status {
        StatusCode::TOO_MANY_REQUESTS => ("TooManyRequests", "The request is being throttled as the limit has been reached for operation type."),
        StatusCode::CONFLICT => ("Conflict", "The request conflicts with an operation in progress. Please try again later."),
        StatusCode::SERVICE_UNAVAILABLE => ("ServiceUnavailable", "The service is temporarily unavailable. Please try again later."),
        _ => ("InternalServerError", "Encountered internal server error. Please try again."),
    };
    ArmError::new(status, code, message).with_retry_after(retry_after).into_response()
}
