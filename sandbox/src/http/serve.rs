//! Serving a router on a listener, one task per connection. Each request carries its
//! connection's kill switch so a scripted fault can drop the connection without answering.

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
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

pub async fn serve(listener: TcpListener, router: Router, stop: watch::Receiver<()>) {
    serve_with(listener, None, router, stop).await
}

/// Serves over TLS: the authority the client libraries insist on reaching by HTTPS.
pub async fn serve_tls(listener: TcpListener, tls: TlsAcceptor, router: Router, stop: watch::Receiver<()>) {
    serve_with(listener, Some(tls), router, stop).await
}

async fn serve_with(listener: TcpListener, tls: Option<TlsAcceptor>, router: Router, mut stop: watch::Receiver<()>) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
            _ = stop.changed() => return,
        };
        let (router, stop, tls) = (router.clone(), stop.clone(), tls.clone());
        tokio::spawn(async move {
            match tls {
                None => connection(stream, router, stop).await,
                Some(tls) => {
                    if let Ok(stream) = tls.accept(stream).await {
                        connection(stream, router, stop).await
                    }
                }
            }
        });
    }
}

async fn connection(stream: impl AsyncRead + AsyncWrite + Unpin + Send + 'static, router: Router, mut stop: watch::Receiver<()>) {
    let kill = KillSwitch(Arc::new(Notify::new()));
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
}
