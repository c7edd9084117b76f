//! Cross-origin answers. Resource Manager and Graph answer any origin (bearer tokens, no
//! credentials); Entra answers only the SPA's registered origins, except for its public
//! discovery documents.

use super::Ctx;
use crate::state::Service;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Headers Resource Manager lets the browser read.
const ARM_EXPOSED: &str = "Azure-AsyncOperation, Location, Retry-After, x-ms-request-id, x-ms-ratelimit-remaining-subscription-reads, x-ms-ratelimit-remaining-subscription-writes";

pub async fn answer(State(ctx): State<Ctx>, request: Request, next: Next) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    let allowed = origin.and_then(|origin| allowed_origin(&ctx, request.uri().path(), origin));
    let preflight = request.method() == Method::OPTIONS && request.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = if preflight {
        let mut response = StatusCode::NO_CONTENT.into_response();
        if allowed.is_some() {
            let headers = response.headers_mut();
            headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"));
            if let Some(asked) = request.headers().get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
                headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked.clone());
            }
            headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("3600"));
        }
        response
    } else {
        next.run(request).await
    };
    if let Some(origin) = allowed {
        decorate(response.headers_mut(), ctx.service, origin);
    }
    response
}

fn allowed_origin(ctx: &Ctx, path: &str, origin: HeaderValue) -> Option<HeaderValue> {
    match ctx.service {
        Service::Arm | Service::Graph => Some(HeaderValue::from_static("*")),
        Service::Login => {
            let registered = ctx.shared.world().directory.spa.origins();
            let text = origin.to_str().ok()?;
            if registered.iter().any(|o| o == text) {
                Some(origin)
            } else if path.contains("/.well-known/") || path.ends_with("/discovery/v2.0/keys") {
                Some(HeaderValue::from_static("*"))
            } else {
                None
            }
        }
    }
}

fn decorate(headers: &mut HeaderMap, service: Service, origin: HeaderValue) {
    if origin != "*" {
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
    }
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    if service == Service::Arm {
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(ARM_EXPOSED));
    }
}
