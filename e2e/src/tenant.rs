//! Names from the sandbox's demo tenant (`sandbox/fixtures/demo-tenant.json`) that the tests use.
//! Object ids come from the ready file, never from here.

/// Contributor on every subscription.
pub const ADMIN: &str = "admin@contoso.onmicrosoft.com";
/// Reader on Contoso Production only.
pub const READER: &str = "reader@contoso.onmicrosoft.com";
/// A user with no role, to be made a Redis user.
pub const DEVELOPER: &str = "dana@contoso.onmicrosoft.com";
/// A service principal (servicePrincipalType Application).
pub const DEPLOYER: &str = "orders-deployer";
/// A user-assigned managed identity.
pub const IDENTITY: &str = "orders-api-identity";
/// A security group, which Redis refuses as a user.
pub const GROUP: &str = "Redis Operators";

/// Premium, Redis 6, TLS only, idle: ready for Entra.
pub const ELIGIBLE_CACHE: &str = "contoso-orders";
/// Redis 4: blocked.
pub const REDIS4_CACHE: &str = "contoso-catalog-legacy";
/// Premium, Redis 6, Entra already on, the admin already Data Owner.
pub const ENTRA_CACHE: &str = "contoso-identity";
/// In the Disabled subscription Contoso Legacy.
pub const DISABLED_SUBSCRIPTION_CACHE: &str = "contoso-archive";
