//! A client of the sandbox's data plane as an application is one: it trusts only the sandbox CA
//! and speaks RESP and HTTP over TLS.
#![allow(dead_code)]

use std::{sync::Arc, time::Duration};

use sandbox::data_plane::resp::{Connection, Reply};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};
use tokio_rustls::{
    TlsConnector,
    client::TlsStream,
    rustls::{
        self, RootCertStore,
        pki_types::{CertificateDer, ServerName, pem::PemObject},
    },
};

pub type Client = Connection<TlsStream<TcpStream>>;

/// A TLS connection to `127.0.0.1:port` that checks the certificate names `server_name`.
pub async fn tls(ca_pem: &str, port: u16, server_name: &str) -> TlsStream<TcpStream> {
    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(ca_pem.as_bytes()).unwrap())
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from(server_name.to_owned()).unwrap(), tcp)
        .await
        .unwrap()
}

pub async fn redis(ca_pem: &str, port: u16, server_name: &str) -> Client {
    Connection::new(tls(ca_pem, port, server_name).await)
}

pub async fn call(client: &mut Client, args: &[&str]) -> Reply {
    tokio::time::timeout(Duration::from_secs(5), client.call(args))
        .await
        .unwrap()
        .unwrap()
}

pub fn ok() -> Reply {
    Reply::Status("OK".into())
}

pub fn is_error_starting(reply: &Reply, prefix: &str) -> bool {
    matches!(reply, Reply::Error(e) if e.starts_with(prefix))
}

/// True when the server closes the connection within `within`.
pub async fn closed_within(client: &mut Client, within: Duration) -> bool {
    matches!(
        tokio::time::timeout(within, client.read()).await,
        Ok(Err(_))
    )
}

/// One HTTP/1.1 exchange over TLS: the status and the body. `host` is sent as the Host header
/// and checked against the certificate.
pub async fn https(
    ca_pem: &str,
    port: u16,
    host: &str,
    method: &str,
    path: &str,
    form: Option<&str>,
) -> (u16, String) {
    let mut stream = tls(ca_pem, port, host).await;
    let body = form.unwrap_or_default();
    let content = if form.is_some() {
        "Content-Type: application/x-www-form-urlencoded\r\n"
    } else {
        ""
    };
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{content}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    // The server may end the TLS session without close_notify once it has answered.
    let _ = stream.read_to_end(&mut answer).await;
    let text = String::from_utf8(answer).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_owned())
}
