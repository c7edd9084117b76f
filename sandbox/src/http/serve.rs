//! Serving a router on a listener, one task per connection. Each request carries its
//! connection's kill switch so a scripted fault can drop the connection without answering.

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

/// Closes the connection a request came on.
#[derive(Clone)]
pub struct KillSwitch(Arc<Notify>);

impl KillSwitch {
    pub fn pull(&self) {
        self.0.notify_one();
    }
}

pub async fn serve(listener: TcpListener, router: Router, mut stop: watch::Receiver<()>) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
            _ = stop.changed() => return,
        };
        let kill = KillSwitch(Arc::new(Notify::new()));
        let router = router.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let switch = kill.clone();
            let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(switch.clone());
                router.clone().oneshot(request.map(axum::body::Body::new))
            });
            let builder = auto::Builder::new(TokioExecutor::new());
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = kill.0.notified() => {}
                _ = stop.changed() => {}
            }
        });
    }
}
