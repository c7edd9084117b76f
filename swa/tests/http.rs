//! The host over real HTTP, with the committed production `staticwebapp.config.json`.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::time::Duration;

use swa::ServerHandle;
use tempfile::TempDir;

const INDEX: &str = "<!doctype html><title>Keyless</title>";
const WASM: &[u8] = b"\0asm\x01\0\0\0";
const WASM_BR: &[u8] = b"pretend brotli";

fn production_config() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/staticwebapp.config.json");
    std::fs::read_to_string(path).unwrap()
}

/// A dist folder shaped like Trunk's output, served on a free port.
fn site(config: &str) -> (TempDir, ServerHandle) {
    let dist = tempfile::tempdir().unwrap();
    let files: [(&str, &[u8]); 6] = [
        ("index.html", INDEX.as_bytes()),
        ("keyless-1a2b.js", b"export default 1;"),
        ("keyless-1a2b_bg.wasm", WASM),
        ("keyless-1a2b_bg.wasm.br", WASM_BR),
        ("main-3c4d.css", b"body{}"),
        ("staticwebapp.config.json", config.as_bytes()),
    ];
    for (name, bytes) in files {
        std::fs::write(dist.path().join(name), bytes).unwrap();
    }
    let server = swa::serve(dist.path().to_owned(), loopback()).unwrap();
    (dist, server)
}

fn loopback() -> SocketAddr {
    (Ipv4Addr::LOCALHOST, 0).into()
}

struct Answer {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    fn csp(&self) -> &str {
        self.header("content-security-policy")
            .expect("a Content-Security-Policy header")
    }
}

fn request(
    server: &ServerHandle,
    method: &str,
    path: &str,
    accept_encoding: Option<&str>,
) -> Answer {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", server.url()));
    if let Some(value) = accept_encoding {
        request = request.header("Accept-Encoding", value);
    }
    let mut response = agent.run(request.body(()).unwrap()).unwrap();
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.body_mut().read_to_vec().unwrap(),
    }
}

fn get(server: &ServerHandle, path: &str) -> Answer {
    request(server, "GET", path, None)
}

#[test]
fn the_root_is_the_app_under_a_strict_policy() {
    let (_dist, server) = site(&production_config());
    let answer = get(&server, "/");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, INDEX.as_bytes());
    assert!(
        answer
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let csp = answer.csp();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("'unsafe-inline'"), "{csp}");
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn deep_links_fall_back_to_the_app() {
    let (_dist, server) = site(&production_config());
    let answer = get(&server, "/cache/0000/rg-one/redis-one/users?x=1");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, INDEX.as_bytes());
    assert!(answer.csp().contains("frame-ancestors 'none'"));
}

#[test]
fn the_snippets_page_may_be_framed_by_other_sites() {
    let (_dist, server) = site(&production_config());
    let answer = get(&server, "/snippets?host=x");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, INDEX.as_bytes());
    let csp = answer.csp();
    assert!(!csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("frame-ancestors https:"), "{csp}");
    assert_eq!(
        answer
            .headers
            .get_all("content-security-policy")
            .iter()
            .count(),
        1
    );
}

#[test]
fn missing_assets_are_404_never_html() {
    let (_dist, server) = site(&production_config());
    for path in [
        "/gone_bg.wasm",
        "/gone.js",
        "/gone.css",
        "/config.json",
        "/sub/x.png",
    ] {
        let answer = get(&server, path);
        assert_eq!(answer.status, 404, "{path}");
        assert_ne!(answer.body, INDEX.as_bytes(), "{path}");
        assert!(answer.header("content-security-policy").is_some(), "{path}");
    }
}

#[test]
fn wasm_is_served_as_application_wasm() {
    let (_dist, server) = site(&production_config());
    let answer = get(&server, "/keyless-1a2b_bg.wasm");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/wasm"));
    assert_eq!(answer.header("content-encoding"), None);
    assert_eq!(answer.body, WASM);
    let js = get(&server, "/keyless-1a2b.js");
    assert!(
        js.header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
}

#[test]
fn brotli_is_sent_only_to_clients_that_accept_it() {
    let (_dist, server) = site(&production_config());
    let answer = request(
        &server,
        "GET",
        "/keyless-1a2b_bg.wasm",
        Some("gzip, deflate, br"),
    );
    assert_eq!(answer.header("content-encoding"), Some("br"));
    assert_eq!(answer.header("content-type"), Some("application/wasm"));
    assert_eq!(answer.header("vary"), Some("Accept-Encoding"));
    assert_eq!(answer.body, WASM_BR);
    let refused = request(
        &server,
        "GET",
        "/keyless-1a2b_bg.wasm",
        Some("br;q=0, gzip"),
    );
    assert_eq!(refused.header("content-encoding"), None);
    assert_eq!(refused.body, WASM);
}

/// A browser opens several connections at once for a page's assets and keeps each open after
/// its answer: every one of them is answered straight away, whatever the others do.
#[test]
fn a_burst_of_kept_alive_connections_is_answered_at_once() {
    let (_dist, server) = site(&production_config());
    let connections: Vec<TcpStream> = (0..8)
        .map(|_| TcpStream::connect(server.addr()).unwrap())
        .collect();
    for mut connection in &connections {
        connection
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        connection
            .write_all(b"GET /main-3c4d.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
    }
    for (i, mut connection) in connections.iter().enumerate() {
        let mut status_line = [0; 12];
        connection
            .read_exact(&mut status_line)
            .unwrap_or_else(|e| panic!("connection {i} got no answer: {e}"));
        assert_eq!(&status_line, b"HTTP/1.1 200");
    }
}

#[test]
fn stopping_closes_kept_alive_connections() {
    let (_dist, server) = site(&production_config());
    let mut connection = TcpStream::connect(server.addr()).unwrap();
    connection
        .write_all(b"HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0];
        connection.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    server.stop();
    connection
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    assert_eq!(connection.read(&mut [0; 16]).unwrap(), 0);
}

#[test]
fn the_configuration_file_itself_is_never_served() {
    let config = production_config();
    let (_dist, server) = site(&config);
    let answer = get(&server, "/staticwebapp.config.json");
    assert_ne!(answer.body, config.as_bytes());
}

#[test]
fn only_get_and_head_are_answered() {
    let (_dist, server) = site(&production_config());
    let head = request(&server, "HEAD", "/", None);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let post = request(&server, "POST", "/", None);
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
}

#[test]
fn paths_cannot_escape_the_site_folder() {
    let (_dist, server) = site(&production_config());
    assert_eq!(get(&server, "/%2e%2e/%2e%2e/etc/passwd").status, 400);
}

#[test]
fn a_404_override_rewrites_to_its_page() {
    let config =
        r#"{ "responseOverrides": { "404": { "rewrite": "/index.html", "statusCode": 200 } } }"#;
    let (_dist, server) = site(config);
    let answer = get(&server, "/nowhere");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, INDEX.as_bytes());
}

#[test]
fn without_fallback_unknown_paths_are_404() {
    let (_dist, server) = site("{}");
    assert_eq!(get(&server, "/caches").status, 404);
    assert_eq!(get(&server, "/").status, 200);
}

#[test]
fn the_host_refuses_non_loopback_addresses() {
    let dist = tempfile::tempdir().unwrap();
    let err = swa::serve(dist.path().to_owned(), (Ipv4Addr::UNSPECIFIED, 0).into()).unwrap_err();
    assert!(matches!(err, swa::Error::NotLoopback(_)), "{err}");
}

#[test]
fn a_broken_configuration_is_reported() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("staticwebapp.config.json"), "{ not json").unwrap();
    let err = swa::serve(dist.path().to_owned(), loopback()).unwrap_err();
    assert!(matches!(err, swa::Error::Config { .. }), "{err}");
}
