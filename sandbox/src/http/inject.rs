//! Applies scripted faults to requests before their handler sees them.

use super::serve::KillSwitch;
use super::{body_bytes, Ctx};
use crate::faults::Fault;
use crate::state::Service;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Marks a request whose long-running operation must end Failed.
#[derive(Debug, Clone, Copy)]
pub struct FailOperation;

pub async fn faults(State(ctx): State<Ctx>, mut request: Request, next: Next) -> Response {
    let target = request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let fault = ctx.shared.faults.lock().expect("faults lock").take(ctx.service, request.method().as_str(), &target);
    match fault {
        None => next.run(request).await,
        Some(Fault::Status { status, retry_after }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            match ctx.service {
                Service::Arm => crate::arm::fault_response(status, retry_after),
                Service::Graph => crate::graph::fault_response(status, retry_after),
                Service::Login => crate::entra::fault_response(status, retry_after),
            }
        }
        Some(Fault::Drop) => {
            if let Some(kill) = request.extensions().get::<KillSwitch>() {
                kill.pull();
            }
            std::future::pending().await
        }
        Some(Fault::LroFailed) => {
            request.extensions_mut().insert(FailOperation);
            next.run(request).await
        }
        Some(Fault::RevokeTokens) => {
            let (parts, body) = request.into_parts();
            let bytes = body_bytes(body).await;
            if let Some(object_id) = crate::entra::caller_object_id(&ctx.shared, &parts.headers, &bytes) {
                ctx.shared.grants().revoke(&object_id);
            }
            next.run(Request::from_parts(parts, Body::from(bytes))).await
        }
    }
}
