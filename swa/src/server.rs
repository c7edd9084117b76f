//! The HTTP side: a few worker threads answering from a [`Site`], stopped by the handle.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use tiny_http::{Header, Request, Response, Server};

use crate::Error;
use crate::site::{Body, Site};

/// Enough for a browser's parallel asset requests.
const WORKERS: usize = 4;
/// How often idle workers look at the stop flag.
const POLL: Duration = Duration::from_millis(100);

/// A running host; dropping it stops the server and waits for its workers.
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

impl ServerHandle {
    /// The bound address (the real port when asked for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server; the same as dropping the handle.
    pub fn stop(self) {}
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::Relaxed);
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

/// Serves `dist` on `addr`, which must be a loopback address (port 0 picks a free port).
pub fn serve(dist: PathBuf, addr: SocketAddr) -> Result<ServerHandle, Error> {
    if !addr.ip().is_loopback() {
        return Err(Error::NotLoopback(addr));
    }
    if !dist.is_dir() {
        return Err(Error::NoSite(dist));
    }
    let site = Arc::new(Site::load(dist)?);
    let server = Server::http(addr).map_err(|err| Error::Bind {
        addr,
        reason: err.to_string(),
    })?;
    let addr = server.server_addr().to_ip().unwrap_or(addr);
    let server = Arc::new(server);
    let stopping = Arc::new(AtomicBool::new(false));
    let workers = (0..WORKERS)
        .map(|_| {
            let (server, site, stopping) = (server.clone(), site.clone(), stopping.clone());
            std::thread::spawn(move || {
                while !stopping.load(Ordering::Relaxed) {
                    if let Ok(Some(request)) = server.recv_timeout(POLL) {
                        answer(&site, request);
                    }
                }
            })
        })
        .collect();
    Ok(ServerHandle {
        addr,
        stopping,
        workers,
    })
}

fn answer(site: &Site, request: Request) {
    let accept_encoding = request
        .headers()
        .iter()
        .find(|header| header.field.equiv("Accept-Encoding"))
        .map(|header| header.value.as_str().to_owned());
    let reply = site.respond(
        request.method().as_str(),
        request.url(),
        accept_encoding.as_deref(),
    );
    let headers: Vec<Header> = reply
        .headers
        .iter()
        .filter_map(|(name, value)| Header::from_bytes(name.as_bytes(), value.as_bytes()).ok())
        .collect();
    // A client that hung up mid-answer is not the server's problem.
    let _ = match reply.body {
        Body::File(path) => match std::fs::File::open(&path) {
            Ok(file) => request.respond(with_headers(
                Response::from_file(file),
                reply.status,
                headers,
            )),
            Err(_) => request.respond(Response::from_string("Not Found").with_status_code(404)),
        },
        Body::Text(text) => request.respond(with_headers(
            Response::from_string(text),
            reply.status,
            headers,
        )),
    };
}

fn with_headers<R: std::io::Read>(
    response: Response<R>,
    status: u16,
    headers: Vec<Header>,
) -> Response<R> {
    headers
        .into_iter()
        .fold(response.with_status_code(status), Response::with_header)
}
