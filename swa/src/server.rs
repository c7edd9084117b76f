//! The HTTP side: a thread for each connection, answering from a [`Site`], stopped by the handle.
//!
//! A browser opens several connections at once for a page's assets and keeps them open after
//! their answers, or opens one ahead of need and sends nothing on it for seconds. Each accepted
//! connection therefore gets its own thread at once, so none ever waits for another to close.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use crate::Error;
use crate::http::{self, Request};
use crate::site::{Body, Reply, Site};

/// A running host; dropping it stops the server and waits for its threads.
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
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
        self.stopping.store(true, Ordering::SeqCst);
        // A connection of its own wakes the acceptor from accept() to see the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
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
    let bind_error = |err: io::Error| Error::Bind {
        addr,
        reason: err.to_string(),
    };
    let listener = TcpListener::bind(addr).map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    let stopping = Arc::new(AtomicBool::new(false));
    let acceptor = {
        let stopping = stopping.clone();
        std::thread::spawn(move || accept(&listener, &site, &stopping))
    };
    Ok(ServerHandle {
        addr,
        stopping,
        acceptor: Some(acceptor),
    })
}

/// Starts a thread for each connection until stopped, then ends the open ones and their threads.
fn accept(listener: &TcpListener, site: &Arc<Site>, stopping: &AtomicBool) {
    let mut open: Vec<(TcpStream, JoinHandle<()>)> = Vec::new();
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let Ok(handle) = stream.try_clone() else {
            continue;
        };
        open.retain(|(_, thread)| !thread.is_finished());
        let site = site.clone();
        let thread = std::thread::spawn(move || serve_connection(&site, &stream));
        open.push((handle, thread));
    }
    for (stream, thread) in open {
        let _ = stream.shutdown(Shutdown::Both);
        let _ = thread.join();
    }
}

/// Answers the requests of one connection until either side closes it.
fn serve_connection(site: &Site, stream: &TcpStream) {
    // Each answer is written whole, then flushed: nothing to gain from delaying its last segment.
    let _ = stream.set_nodelay(true);
    let (mut reader, mut writer) = (BufReader::new(stream), BufWriter::new(stream));
    loop {
        // A read or write error is a client that hung up: not the server's problem.
        let keep_alive = match http::read_request(&mut reader) {
            Ok(Some(request)) => answer(site, &request, &mut writer).is_ok() && request.keep_alive,
            Err(err) if err.kind() == io::ErrorKind::InvalidData => {
                let _ = send(&mut writer, Reply::bad_request(), None);
                false
            }
            Ok(None) | Err(_) => false,
        };
        if !keep_alive {
            return;
        }
    }
}

fn answer(site: &Site, request: &Request, out: &mut impl io::Write) -> io::Result<()> {
    let reply = site.respond(
        &request.method,
        &request.target,
        request.accept_encoding.as_deref(),
    );
    send(out, reply, Some(request))
}

/// Sends `reply`, its file read now; a file gone since the site chose it is a 404.
fn send(out: &mut impl io::Write, reply: Reply, request: Option<&Request>) -> io::Result<()> {
    let (body, length): (Box<dyn Read>, u64) = match reply.body {
        Body::Text(text) => (Box::new(text.as_bytes()), text.len() as u64),
        Body::File(ref path) => match open(path) {
            Ok((file, length)) => (Box::new(file), length),
            Err(_) => return send(out, Reply::not_found(), request),
        },
    };
    http::write_response(out, reply.status, &reply.headers, body, length, request)
}

fn open(path: &Path) -> io::Result<(File, u64)> {
    let file = File::open(path)?;
    let length = file.metadata()?.len();
    Ok((file, length))
}
