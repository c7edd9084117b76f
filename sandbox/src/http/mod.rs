//! HTTP plumbing shared by the emulated services: serving with droppable connections, CORS,
//! the request log and fault injection.

pub mod cors;
pub mod log;
pub mod serve;
pub mod inject;

pub use serve::{serve, serve_tls};

use crate::state::{Service, Shared};
use axum::middleware::from_fn_with_state;
use axum::Router;
use std::sync::Arc;

/// The service a middleware works for.
#[derive(Clone)]
pub struct Ctx {
    pub shared: Arc<Shared>,
    pub service: Service,
}

/// Wraps a service's routes: the log sees everything, CORS answers preflights and decorates
/// every answer (faults included), faults come last before the handlers.
pub fn service_router(routes: Router<Arc<Shared>>, shared: &Arc<Shared>, service: Service) -> Router {
    let ctx = Ctx { shared: shared.clone(), service };
    routes
        .layer(from_fn_with_state(ctx.clone(), inject::faults))
        .layer(from_fn_with_state(ctx.clone(), cors::answer))
        .layer(from_fn_with_state(ctx, log::record))
        .with_state(shared.clone())
}

/// Reads a whole request body; the emulated APIs take small bodies only.
pub async fn body_bytes(body: axum::body::Body) -> axum::body::Bytes {
    axum::body::to_bytes(body, 16 * 1024 * 1024).await.unwrap_or_default()
}
