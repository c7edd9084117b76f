//! The cache's front door: it terminates TLS with a certificate from the sandbox CA and relays
//! each connection to the cache's `redis-server`, reading the client's commands on the way.
//!
//! Redis alone cannot tell which password a connection logged in with, yet Azure ends a
//! connection when the token *it* authenticated with expires, and spares one that sent a newer
//! token first. So the gateway watches `AUTH`, `HELLO … AUTH` and `RESET`, keeps for each
//! connection the credential it last logged in with, and closes it when that credential's
//! token expires. Everything else (permissions, deleted users, wrong passwords) is Redis's own
//! doing.

use std::{path::PathBuf, sync::Arc};

use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt},
    net::{TcpListener, TcpStream, UnixStream},
    sync::watch,
    time::{Instant, sleep_until},
};
use tokio_rustls::TlsAcceptor;

use super::{
    acl::{Credential, DEFAULT_USER},
    resp,
};

/// Decides what a login presents: the data plane answers from the cache's current access, and
/// has Redis ready to accept what it recognises before the login is relayed.
pub trait Gatekeeper: Send + Sync + 'static {
    fn admit(&self, user: &str, password: &[u8])
    -> impl Future<Output = Option<Credential>> + Send;
}

/// Accepts clients forever, relaying each to the server's unix socket.
pub async fn serve(
    listener: TcpListener,
    tls: TlsAcceptor,
    socket: PathBuf,
    gatekeeper: Arc<impl Gatekeeper>,
) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            continue;
        };
        let (tls, socket, gatekeeper) = (tls.clone(), socket.clone(), gatekeeper.clone());
        tokio::spawn(async move {
            // A client that fails the handshake or a server that is gone just ends the connection.
            let _ = relay(client, tls, socket, gatekeeper).await;
        });
    }
}

async fn relay(
    client: TcpStream,
    tls: TlsAcceptor,
    socket: PathBuf,
    gatekeeper: Arc<impl Gatekeeper>,
) -> std::io::Result<()> {
    // Small RESP frames each way: waiting to coalesce them would only add latency.
    client.set_nodelay(true)?;
    let client = tls.accept(client).await?;
    let server = UnixStream::connect(socket).await?;
    let (client_read, mut client_write) = tokio::io::split(client);
    let (mut server_read, server_write) = server.into_split();
    let (deadline_tx, deadline_rx) = watch::channel(None);
    tokio::select! {
        _ = forward_requests(client_read, server_write, gatekeeper.as_ref(), deadline_tx) => {}
        _ = tokio::io::copy(&mut server_read, &mut client_write) => {}
        _ = expiry(deadline_rx) => {}
    }
    // Whatever ended first ends the connection: both sockets close when dropped.
    Ok(())
}

/// Relays the client's commands to the server, updating the connection's deadline whenever a
/// command changes how it is logged in. A login the data plane does not recognise reaches
/// Redis with its password replaced, so Redis refuses it in its own words and in order even
/// in the instant between a token's expiry and the removal of its password.
async fn forward_requests(
    mut client: impl AsyncRead + Unpin,
    mut server: impl AsyncWrite + Unpin,
    gatekeeper: &impl Gatekeeper,
    deadline: watch::Sender<Option<Instant>>,
) -> std::io::Result<()> {
    let mut pending = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        pending.extend_from_slice(&chunk[..n]);
        let mut relayed = Vec::new();
        let mut at = 0;
        // The deadline changes before the server sees the command, so a new token can never
        // lose a race against the old one's expiry.
        while let Some((mut args, used)) = resp::parse_request(&pending[at..])? {
            let raw = &pending[at..at + used];
            at += used;
            match login(&args) {
                Some(Login::As { user, password_at }) => {
                    match gatekeeper.admit(&user, &args[password_at]).await {
                        Some(credential) => {
                            deadline.send_replace(deadline_of(credential));
                            relayed.extend_from_slice(raw);
                        }
                        None => {
                            args[password_at] = super::random_secret().into_bytes();
                            relayed.extend(resp::encode(&args));
                        }
                    }
                }
                Some(Login::Reset) => {
                    deadline.send_replace(None);
                    relayed.extend_from_slice(raw);
                }
                None => relayed.extend_from_slice(raw),
            }
        }
        pending.drain(..at);
        server.write_all(&relayed).await?;
    }
}

/// Resolves when the connection's current credential expires.
async fn expiry(mut deadline: watch::Receiver<Option<Instant>>) {
    loop {
        let current = *deadline.borrow_and_update();
        match current {
            Some(at) => tokio::select! {
                _ = sleep_until(at) => return,
                changed = deadline.changed() => if changed.is_err() { return },
            },
            None => {
                if deadline.changed().await.is_err() {
                    return;
                }
            }
        }
    }
}

fn deadline_of(credential: Credential) -> Option<Instant> {
    match credential {
        Credential::AccessKey => None,
        Credential::Token { expires } => Some(super::instant_at(expires)),
    }
}

/// A command that changes who the connection is logged in as.
#[derive(Debug, PartialEq, Eq)]
enum Login {
    /// Logs in as `user` with the argument at `password_at`.
    As { user: String, password_at: usize },
    /// `RESET` logs the connection out.
    Reset,
}

fn login(args: &[Vec<u8>]) -> Option<Login> {
    let name = args.first()?.to_ascii_uppercase();
    let user = |i: usize| String::from_utf8_lossy(&args[i]).into_owned();
    match (name.as_slice(), args.len()) {
        (b"AUTH", 2) => Some(Login::As {
            user: DEFAULT_USER.to_owned(),
            password_at: 1,
        }),
        (b"AUTH", 3) => Some(Login::As {
            user: user(1),
            password_at: 2,
        }),
        (b"HELLO", _) => {
            let at = args.iter().position(|a| a.eq_ignore_ascii_case(b"AUTH"))?;
            (at + 2 < args.len()).then(|| Login::As {
                user: user(at + 1),
                password_at: at + 2,
            })
        }
        (b"RESET", 1) => Some(Login::Reset),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn args(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    fn as_user(user: &str, password_at: usize) -> Option<Login> {
        Some(Login::As {
            user: user.into(),
            password_at,
        })
    }

    #[test]
    fn auth_forms_name_the_user_and_password() {
        assert_eq!(login(&args(&["auth", "key"])), as_user("default", 1));
        assert_eq!(login(&args(&["AUTH", "oid", "jwt"])), as_user("oid", 2));
        assert_eq!(
            login(&args(&["HELLO", "3", "AUTH", "oid", "jwt", "SETNAME", "x"])),
            as_user("oid", 4)
        );
        assert_eq!(login(&args(&["HELLO", "3", "AUTH", "oid"])), None);
        assert_eq!(login(&args(&["HELLO", "3", "SETNAME", "auth"])), None);
        assert_eq!(login(&args(&["reset"])), Some(Login::Reset));
    }

    #[test]
    fn other_commands_do_not_change_the_login() {
        assert_eq!(login(&args(&["SET", "AUTH", "x"])), None);
        assert_eq!(login(&args(&["HELLO", "3"])), None);
        assert_eq!(login(&[]), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_ends_at_its_deadline_unless_a_later_one_replaces_it() {
        let start = Instant::now();
        let (tx, rx) = watch::channel(Some(start + Duration::from_secs(10)));
        let waiting = tokio::spawn(expiry(rx));
        tokio::time::sleep(Duration::from_secs(5)).await;
        tx.send_replace(Some(start + Duration::from_secs(30)));
        tokio::time::sleep(Duration::from_secs(10)).await;
        assert!(
            !waiting.is_finished(),
            "the replaced deadline must not end it"
        );
        waiting.await.unwrap();
        assert_eq!(Instant::now() - start, Duration::from_secs(30));
    }
}
