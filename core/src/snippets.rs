//! Connection code for each client library and identity kind.
//!
//! Generation is pure: a [`SnippetRequest`] is checked into a [`target::Target`] (host, port,
//! authority and exactly the id the library wants), then the library's module writes the code.
//! Every value written into code has been validated to a character set that needs no escaping,
//! so no input can break out of a string literal. No snippet ever holds a token, key or secret:
//! a service principal's secret is read from the environment at run time.

mod choice;
mod error;
pub mod highlight;
pub mod query;
mod target;
mod text;

mod go_redis;
mod ioredis;
mod java_entraid;
mod jedis;
mod js_identity;
mod lettuce;
mod node_redis;
mod redis_py;
mod redis_rs;
mod redisson;
mod stackexchange_redis;

pub use choice::{Choice, Cloud, IdKind, IdentityKind, Language, Library};
pub use error::{IdField, SnippetError};

use target::Target;

/// The token scope for Azure Cache for Redis and Azure Managed Redis in every cloud.
pub const SCOPE: &str = "https://redis.azure.com/.default";
/// The same application as a managed-identity *resource*: those APIs take no `/.default`.
pub const RESOURCE: &str = "https://redis.azure.com";
/// Where every generated service-principal snippet reads its client secret.
pub const SECRET_ENV: &str = "AZURE_CLIENT_SECRET";

/// What the user asked for, as typed: validated by [`generate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetRequest {
    pub library: Library,
    pub identity: IdentityKind,
    /// The cache's host name, such as `contoso.redis.cache.windows.net`.
    pub host: String,
    /// `None` picks the default: 10000 for Azure Managed Redis (`*.redis.azure.net`), else 6380.
    pub port: Option<u16>,
    pub cloud: Cloud,
    /// An authority host such as `https://login.example.net` for clouds not listed in [`Cloud`]
    /// (and for the local emulator); it replaces the cloud's authority and skips instance discovery.
    pub custom_authority: Option<String>,
    pub client_id: Option<String>,
    pub object_id: Option<String>,
    pub tenant_id: Option<String>,
}

impl SnippetRequest {
    /// A request with no ids, the public cloud and the default port.
    pub fn new(library: Library, identity: IdentityKind, host: impl Into<String>) -> Self {
        Self {
            library,
            identity,
            host: host.into(),
            port: None,
            cloud: Cloud::Public,
            custom_authority: None,
            client_id: None,
            object_id: None,
            tenant_id: None,
        }
    }
}

/// Ready-to-use connection code and what goes with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub language: Language,
    /// Shell lines (or Maven coordinates) that add the packages the code uses.
    pub install: Vec<String>,
    pub code: String,
    /// Short warnings about this library's known traps.
    pub notes: Vec<String>,
    /// A file name suited to the language, for downloads.
    pub file_name: String,
}

/// A principal given access to the cache, as the wizard's last step knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignedPrincipal {
    pub display_name: String,
    pub object_id: String,
    pub client_id: Option<String>,
    pub kind: PrincipalKind,
}

/// The kind of an assigned principal, which decides the identity a snippet uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    User,
    ServicePrincipal,
    ManagedIdentity,
}

impl AssignedPrincipal {
    /// The identity kind an application running as this principal would use: a person signs in
    /// with developer tools, and a managed identity known by a client id is a user-assigned one.
    pub fn identity_kind(&self) -> IdentityKind {
        match (self.kind, &self.client_id) {
            (PrincipalKind::User, _) => IdentityKind::DefaultCredential,
            (PrincipalKind::ServicePrincipal, _) => IdentityKind::ServicePrincipal,
            (PrincipalKind::ManagedIdentity, Some(_)) => IdentityKind::UserAssigned,
            (PrincipalKind::ManagedIdentity, None) => IdentityKind::SystemAssigned,
        }
    }
}

/// What a library module produces; [`generate`] adds the language and file name.
struct Parts {
    install: Vec<String>,
    code: String,
    notes: Vec<String>,
}

/// Checks the request and writes the connection code for it.
pub fn generate(request: &SnippetRequest) -> Result<Snippet, SnippetError> {
    let target = Target::check(request)?;
    let parts = match request.library {
        Library::StackExchangeRedis => stackexchange_redis::render(&target),
        Library::RedisPy => redis_py::render(&target),
        Library::Jedis => jedis::render(&target),
        Library::Lettuce => lettuce::render(&target),
        Library::Redisson => redisson::render(&target),
        Library::Ioredis => ioredis::render(&target),
        Library::NodeRedis => node_redis::render(&target),
        Library::GoRedis => go_redis::render(&target),
        Library::RedisRs => redis_rs::render(&target),
    };
    let language = request.library.language();
    Ok(Snippet {
        language,
        install: parts.install,
        code: parts.code,
        notes: parts.notes,
        file_name: request.library.file_name().to_string(),
    })
}
