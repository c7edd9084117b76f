//! The sandbox's data plane: each cache that needs one is a real `redis-server`, behind a TLS
//! gateway with a certificate from the sandbox CA, whose users follow the control plane.
//!
//! The control plane tells the data plane two things: every token its Entra issues for the
//! Redis audience ([`DataPlane::token_issued`]) and every change to a cache's Entra switch,
//! key switch or assignments ([`DataPlane::update`]). The data plane turns them into Redis ACL
//! users (see [`acl`]) and ends connections whose token expires (see [`gateway`]).

pub mod acl;
mod gateway;
pub mod pki;
pub mod resp;
mod server;

use std::{
    collections::{BTreeMap, HashMap},
    fmt,
    net::{Ipv4Addr, SocketAddr},
    sync::{Arc, Mutex, Weak},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use acl::{AclChange, CacheAccess, Credential, TokenBook};
use gateway::Gatekeeper;
use pki::Authority;
use resp::Reply;
use server::{Admin, RedisProcess};

/// What went wrong running a cache's server; the message is what an operator must read.
#[derive(Debug)]
pub enum DataPlaneError {
    Io(std::io::Error),
    Certificate(rcgen::Error),
    Tls(tokio_rustls::rustls::Error),
    ServerStart(String),
    /// Redis refused a command the sandbox sent, e.g. a custom policy's malformed rule.
    Refused {
        command: String,
        reply: String,
    },
    UnknownCache(String),
}

impl fmt::Display for DataPlaneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataPlaneError::Io(e) => write!(f, "data plane I/O: {e}"),
            DataPlaneError::Certificate(e) => write!(f, "cannot make a certificate: {e}"),
            DataPlaneError::Tls(e) => write!(f, "cannot configure TLS: {e}"),
            DataPlaneError::ServerStart(why) => write!(f, "cannot start the cache's server: {why}"),
            DataPlaneError::Refused { command, reply } => {
                write!(f, "Redis refused {command}: {reply}")
            }
            DataPlaneError::UnknownCache(id) => write!(f, "no data plane for cache {id}"),
        }
    }
}

impl std::error::Error for DataPlaneError {}

impl From<std::io::Error> for DataPlaneError {
    fn from(e: std::io::Error) -> Self {
        DataPlaneError::Io(e)
    }
}

impl From<rcgen::Error> for DataPlaneError {
    fn from(e: rcgen::Error) -> Self {
        DataPlaneError::Certificate(e)
    }
}

impl From<tokio_rustls::rustls::Error> for DataPlaneError {
    fn from(e: tokio_rustls::rustls::Error) -> Self {
        DataPlaneError::Tls(e)
    }
}

/// A cache's ARM resource id, compared case-insensitively as ARM does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheId(String);

impl CacheId {
    pub fn new(resource_id: &str) -> Self {
        Self(resource_id.to_ascii_lowercase())
    }
}

/// 32 random bytes in hex, for secrets no one types.
pub(crate) fn random_secret() -> String {
    rand::random::<[u8; 32]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Turns a Redis error reply into an error naming the command.
fn expect_ok(reply: Reply) -> Result<Reply, DataPlaneError> {
    match reply {
        Reply::Error(reply) => Err(DataPlaneError::Refused {
            command: "a command".into(),
            reply,
        }),
        other => Ok(other),
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

/// The monotonic instant of a token's `exp` (Unix seconds).
fn instant_at(expires: u64) -> tokio::time::Instant {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    tokio::time::Instant::now() + Duration::from_secs(expires).saturating_sub(now)
}

/// The data plane: its CA, the live Redis tokens, and one server per opened cache.
#[derive(Clone)]
pub struct DataPlane {
    shared: Arc<Shared>,
}

struct Shared {
    authority: Authority,
    tokens: Mutex<TokenBook>,
    caches: Mutex<HashMap<CacheId, Arc<Cache>>>,
}

/// One cache's server, its access facts and the users last applied to it.
struct Cache {
    process: RedisProcess,
    access: Mutex<CacheAccess>,
    /// Held while reconciling, so changes reach Redis in the order they were made.
    admin: tokio::sync::Mutex<(Admin, BTreeMap<String, Vec<String>>)>,
    port: u16,
    _gateway: StopOnDrop,
}

/// A task that stops accepting clients when its cache is dropped.
struct StopOnDrop(tokio::task::JoinHandle<()>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl DataPlane {
    pub fn new() -> Result<Self, DataPlaneError> {
        let shared = Shared {
            authority: Authority::new()?,
            tokens: Mutex::default(),
            caches: Mutex::default(),
        };
        Ok(Self {
            shared: Arc::new(shared),
        })
    }

    /// The CA that signs every sandbox TLS certificate, for clients' trust bundles.
    pub fn ca_pem(&self) -> String {
        self.shared.authority.ca_pem()
    }

    /// The authority, for other sandbox listeners that serve HTTPS.
    pub fn authority(&self) -> &Authority {
        &self.shared.authority
    }

    /// Starts a server for the cache, reachable over TLS on `127.0.0.1` as `host_name` (and
    /// `localhost`), and answers its TLS port. Opening an open cache answers the same port.
    pub async fn open(
        &self,
        id: CacheId,
        host_name: &str,
        access: CacheAccess,
    ) -> Result<u16, DataPlaneError> {
        if let Some(cache) = self.cache(&id) {
            return Ok(cache.port);
        }
        let process = RedisProcess::start().await?;
        let admin = process.admin().await?;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let port = listener.local_addr()?.port();
        let tls = TlsAcceptor::from(self.shared.authority.server_config(&[host_name])?);
        let socket = process.socket().to_owned();
        let cache = Arc::new_cyclic(|cache| {
            let door = Door {
                shared: Arc::downgrade(&self.shared),
                cache: cache.clone(),
            };
            let gateway = tokio::spawn(gateway::serve(listener, tls, socket, Arc::new(door)));
            Cache {
                process,
                access: Mutex::new(access),
                admin: tokio::sync::Mutex::new((admin, BTreeMap::new())),
                port,
                _gateway: StopOnDrop(gateway),
            }
        });
        self.reconcile(&cache).await?;
        self.shared.caches.lock().unwrap().insert(id, cache);
        Ok(port)
    }

    /// Stops the cache's server; its clients are disconnected.
    pub fn close(&self, id: &CacheId) {
        self.shared.caches.lock().unwrap().remove(id);
    }

    /// The socket address clients reach the cache at.
    pub fn address(&self, id: &CacheId) -> Option<SocketAddr> {
        self.cache(id)
            .map(|c| SocketAddr::from((Ipv4Addr::LOCALHOST, c.port)))
    }

    /// Applies the cache's current control-plane facts to its server.
    pub async fn update(&self, id: &CacheId, access: CacheAccess) -> Result<(), DataPlaneError> {
        let cache = self
            .cache(id)
            .ok_or_else(|| DataPlaneError::UnknownCache(id.0.clone()))?;
        *cache.access.lock().unwrap() = access;
        self.reconcile(&cache).await
    }

    /// Records a token Entra issued for the Redis audience, making it a password on every cache
    /// where `object_id` is a user, until `expires` (Unix seconds). Returns once Redis accepts
    /// it, so the token works as soon as its holder receives it.
    pub async fn token_issued(
        &self,
        object_id: &str,
        token: &str,
        expires: u64,
    ) -> Result<(), DataPlaneError> {
        self.shared
            .tokens
            .lock()
            .unwrap()
            .add(object_id, token, expires);
        let weak = Arc::downgrade(&self.shared);
        let object_id_owned = object_id.to_owned();
        tokio::spawn(async move {
            tokio::time::sleep_until(instant_at(expires)).await;
            if let Some(shared) = weak.upgrade() {
                shared
                    .tokens
                    .lock()
                    .unwrap()
                    .expire(unix_now().max(expires));
                // An expiry that cannot reach a server leaves nothing to undo: its connections
                // end at the gateway, and the next reconciliation removes the password.
                let _ = DataPlane { shared }
                    .reconcile_users_of(&object_id_owned)
                    .await;
            }
        });
        self.reconcile_users_of(object_id).await
    }

    async fn reconcile_users_of(&self, object_id: &str) -> Result<(), DataPlaneError> {
        let caches: Vec<Arc<Cache>> = self
            .shared
            .caches
            .lock()
            .unwrap()
            .values()
            .cloned()
            .collect();
        for cache in caches {
            let assigned = cache
                .access
                .lock()
                .unwrap()
                .assignments
                .contains_key(object_id);
            if assigned {
                self.reconcile(&cache).await?;
            }
        }
        Ok(())
    }

    fn cache(&self, id: &CacheId) -> Option<Arc<Cache>> {
        self.shared.caches.lock().unwrap().get(id).cloned()
    }

    /// Brings the server's users to what the cache's access and the live tokens call for.
    async fn reconcile(&self, cache: &Cache) -> Result<(), DataPlaneError> {
        let mut guard = cache.admin.lock().await;
        let (admin, applied) = &mut *guard;
        let desired = {
            let access = cache.access.lock().unwrap();
            let mut tokens = self.shared.tokens.lock().unwrap();
            tokens.expire(unix_now());
            acl::desired_users(&access, &tokens)
        };
        for change in acl::plan(applied, &desired) {
            let command = change.command();
            let reply = admin.call(&command).await?;
            match (&change, reply) {
                (AclChange::Set { user, .. }, Reply::Error(reply)) => {
                    return Err(DataPlaneError::Refused {
                        command: format!("the rules for {user}"),
                        reply,
                    });
                }
                (_, Reply::Error(reply)) => {
                    return Err(DataPlaneError::Refused {
                        command: command.join(" "),
                        reply,
                    });
                }
                _ => {}
            }
            match change {
                AclChange::Set { user, rules } => {
                    applied.insert(user, rules);
                }
                AclChange::Delete { user } => {
                    applied.remove(&user);
                }
                AclChange::DisconnectDefault => {}
            }
        }
        Ok(())
    }
}

/// The gatekeeper of one cache's gateway.
struct Door {
    shared: Weak<Shared>,
    cache: Weak<Cache>,
}

impl Gatekeeper for Door {
    fn recognise(&self, user: &str, password: &[u8]) -> Option<Credential> {
        let (shared, cache) = (self.shared.upgrade()?, self.cache.upgrade()?);
        let access = cache.access.lock().unwrap();
        let mut tokens = shared.tokens.lock().unwrap();
        tokens.expire(unix_now());
        acl::recognise(&access, &tokens, user, password)
    }
}
