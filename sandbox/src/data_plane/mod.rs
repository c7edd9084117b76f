//! The sandbox's data plane: each cache that needs one is a real `redis-server`, behind a TLS
//! gateway with a certificate from the sandbox CA, whose users follow the control plane.
//!
//! The control plane tells the data plane every token its Entra issues for the Redis audience
//! ([`DataPlane::token_issued`]); the data plane reads each cache's Entra switch, key switch and
//! assignments from an [`AccessSource`] at every login and four times a second. It turns them
//! into Redis ACL users (see [`acl`]) and ends connections whose token expires (see [`gateway`]).

pub mod acl;
pub mod control_plane;
mod gateway;
pub mod launch;
pub mod pki;
pub mod resp;
mod server;

use std::{
    collections::{BTreeMap, HashMap},
    fmt,
    net::Ipv4Addr,
    path::PathBuf,
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
    /// Each cache costs a process: a generated benchmark tenant is not served.
    TooManyCaches {
        caches: usize,
        most: usize,
    },
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
            DataPlaneError::TooManyCaches { caches, most } => {
                write!(
                    f,
                    "{caches} caches would each need a redis-server; the data plane serves at most {most}"
                )
            }
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

fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

fn unix_now() -> u64 {
    since_epoch().as_secs()
}

/// The monotonic instant of a token's `exp` (Unix seconds).
fn instant_at(expires: u64) -> tokio::time::Instant {
    tokio::time::Instant::now() + Duration::from_secs(expires).saturating_sub(since_epoch())
}

/// Where the data plane reads each cache's control-plane facts: the sandbox's own state. A
/// cache the source no longer knows lets no one in.
pub trait AccessSource: Send + Sync + 'static {
    fn access(&self, cache: &CacheId) -> Option<CacheAccess>;
}

/// The CA certificate's file name in the data plane's directory.
const CA_FILE: &str = "ca.pem";

/// How often the data plane looks for control-plane changes that must reach Redis on their own,
/// such as a removed assignment or disabled keys, which end connections.
const WATCH_INTERVAL: Duration = Duration::from_millis(250);

/// The data plane: its CA, the live Redis tokens, and one server per opened cache.
#[derive(Clone)]
pub struct DataPlane {
    shared: Arc<Shared>,
}

struct Shared {
    authority: Authority,
    /// Holds `ca.pem`, the CA certificate for clients' trust bundles.
    ca_dir: tempfile::TempDir,
    source: Arc<dyn AccessSource>,
    tokens: Mutex<TokenBook>,
    caches: Mutex<HashMap<CacheId, Arc<Cache>>>,
}

/// One cache's server and what the data plane keeps about it.
struct Cache {
    id: CacheId,
    /// Owned so the server runs exactly as long as the cache is open.
    _process: RedisProcess,
    /// The password of the `default` user while access keys are enabled.
    primary_key: String,
    /// Held while reconciling, with the users last applied, so changes reach Redis in order.
    admin: tokio::sync::Mutex<(Admin, BTreeMap<String, Vec<String>>)>,
    port: u16,
    _gateway: StopOnDrop,
}

/// A task that stops when its owner is dropped.
struct StopOnDrop(tokio::task::JoinHandle<()>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Where a client reaches an opened cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub port: u16,
    pub primary_key: String,
}

impl DataPlane {
    /// A data plane with a new CA, watching `source` for changes. Needs a Tokio runtime.
    pub fn new(source: Arc<dyn AccessSource>) -> Result<Self, DataPlaneError> {
        let authority = Authority::new()?;
        let ca_dir = tempfile::Builder::new()
            .prefix("keyless-sandbox-ca-")
            .tempdir()?;
        std::fs::write(ca_dir.path().join(CA_FILE), authority.ca_pem())?;
        let shared = Arc::new(Shared {
            authority,
            ca_dir,
            source,
            tokens: Mutex::default(),
            caches: Mutex::default(),
        });
        let watched = Arc::downgrade(&shared);
        tokio::spawn(async move {
            while let Some(shared) = watched.upgrade() {
                // A refusal (a malformed custom policy) leaves that cache as it was; the next
                // round retries it once the policy changes.
                let _ = DataPlane { shared }.sync_all().await;
                tokio::time::sleep(WATCH_INTERVAL).await;
            }
        });
        Ok(Self { shared })
    }

    /// The CA that signs every sandbox TLS certificate, for clients' trust bundles.
    pub fn ca_pem(&self) -> String {
        self.shared.authority.ca_pem()
    }

    /// A file holding [`Self::ca_pem`], removed with the data plane.
    pub fn ca_file(&self) -> PathBuf {
        self.shared.ca_dir.path().join(CA_FILE)
    }

    /// The authority, for other sandbox listeners that serve HTTPS.
    pub fn authority(&self) -> &Authority {
        &self.shared.authority
    }

    /// Starts a server for the cache, reachable over TLS on `127.0.0.1` as `host_name` (and
    /// `localhost`). Opening an open cache answers the same endpoint.
    pub async fn open(&self, id: CacheId, host_name: &str) -> Result<Endpoint, DataPlaneError> {
        if let Some(cache) = self.cache(&id) {
            return Ok(cache.endpoint());
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
                id: id.clone(),
                _process: process,
                primary_key: random_secret(),
                admin: tokio::sync::Mutex::new((admin, BTreeMap::new())),
                port,
                _gateway: StopOnDrop(gateway),
            }
        });
        self.reconcile(&cache).await?;
        self.shared.caches.lock().unwrap().insert(id, cache.clone());
        Ok(cache.endpoint())
    }

    /// The cache's endpoint, if it is open.
    pub fn endpoint(&self, id: &CacheId) -> Option<Endpoint> {
        self.cache(id).map(|c| c.endpoint())
    }

    /// Applies the cache's current control-plane facts to its server now, rather than at the
    /// next watch round.
    pub async fn sync(&self, id: &CacheId) -> Result<(), DataPlaneError> {
        let cache = self
            .cache(id)
            .ok_or_else(|| DataPlaneError::UnknownCache(id.0.clone()))?;
        self.reconcile(&cache).await
    }

    /// Syncs every open cache; one cache's refusal does not hold the others back.
    async fn sync_all(&self) -> Result<(), DataPlaneError> {
        let caches: Vec<Arc<Cache>> = self
            .shared
            .caches
            .lock()
            .unwrap()
            .values()
            .cloned()
            .collect();
        let mut first_error = None;
        for cache in caches {
            if let Err(e) = self.reconcile(&cache).await {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Records a token Entra issued for the Redis audience: until `expires` (Unix seconds) it
    /// is a password of `object_id` on every cache where that principal is a user. Redis learns
    /// it before any login with it is relayed, so the token works as soon as it is issued.
    pub fn token_issued(&self, object_id: &str, token: &str, expires: u64) {
        self.shared
            .tokens
            .lock()
            .unwrap()
            .add(object_id, token, expires);
        let shared = Arc::downgrade(&self.shared);
        tokio::spawn(async move {
            tokio::time::sleep_until(instant_at(expires)).await;
            if let Some(shared) = shared.upgrade() {
                // Connections that logged in with the token end at the gateway; this removes
                // the password from Redis too, or the next watch round does.
                let _ = DataPlane { shared }.sync_all().await;
            }
        });
    }

    fn cache(&self, id: &CacheId) -> Option<Arc<Cache>> {
        self.shared.caches.lock().unwrap().get(id).cloned()
    }

    /// Runs `f` on the facts that decide who may log in to the cache now.
    fn with_facts<T>(&self, cache: &Cache, f: impl FnOnce(&acl::Facts) -> T) -> T {
        let access = self.shared.source.access(&cache.id).unwrap_or_default();
        let mut tokens = self.shared.tokens.lock().unwrap();
        tokens.expire(unix_now());
        f(&acl::Facts {
            access: &access,
            primary_key: &cache.primary_key,
            tokens: &tokens,
        })
    }

    /// Brings the server's users to what the facts call for; does nothing when they already are.
    async fn reconcile(&self, cache: &Cache) -> Result<(), DataPlaneError> {
        let mut guard = cache.admin.lock().await;
        let (admin, applied) = &mut *guard;
        let desired = self.with_facts(cache, acl::desired_users);
        for change in acl::plan(applied, &desired) {
            if let Reply::Error(reply) = admin.call(&change.command()).await? {
                let command = match &change {
                    AclChange::Set { user, .. } => format!("the rules for {user}"),
                    other => other.command().join(" "),
                };
                return Err(DataPlaneError::Refused { command, reply });
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

impl Cache {
    fn endpoint(&self) -> Endpoint {
        Endpoint {
            port: self.port,
            primary_key: self.primary_key.clone(),
        }
    }
}

/// The gatekeeper of one cache's gateway.
struct Door {
    shared: Weak<Shared>,
    cache: Weak<Cache>,
}

impl Gatekeeper for Door {
    async fn admit(&self, user: &str, password: &[u8]) -> Option<Credential> {
        let (shared, cache) = (self.shared.upgrade()?, self.cache.upgrade()?);
        let plane = DataPlane { shared };
        let credential = plane.with_facts(&cache, |facts| acl::recognise(facts, user, password))?;
        plane.reconcile(&cache).await.ok()?;
        Some(credential)
    }
}
