//! Resource Manager wire types and error bodies, as the published spec describes them, and the
//! paths of every call Keyless makes. There is deliberately no builder for `listKeys`: Keyless
//! never reads access keys.

mod access;
mod cache;
mod error;
pub mod paths;
mod resource_graph;
mod retry;
mod subscription;

pub use access::{AccessPolicy, AccessPolicyProperties, Assignment, AssignmentProperties};
pub use cache::{
    AAD_ENABLED, Cache, CacheProperties, LinkedServer, ProvisioningState, RedisConfiguration, Sku,
};
pub use error::{ArmError, ErrorDetail};
pub use resource_graph::{CACHES_QUERY, PAGE_SIZE, QueryOptions, QueryRequest, QueryResponse};
pub use retry::{Backoff, is_retryable_status, parse_retry_after};
pub use subscription::Subscription;

use serde::{Deserialize, Serialize};

/// `api-version` for every `Microsoft.Cache/redis` call: the first with both access policies
/// that allow spaces in names and `disableAccessKeyAuthentication`.
pub const REDIS_API_VERSION: &str = "2024-11-01";
/// `api-version` for listing subscriptions.
pub const SUBSCRIPTIONS_API_VERSION: &str = "2022-12-01";
/// `api-version` for Resource Graph queries.
pub const RESOURCE_GRAPH_API_VERSION: &str = "2024-04-01";

/// One page of a Resource Manager list. `next_link` is an absolute URL to request verbatim
/// (with the same token) until it is absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct List<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
}
