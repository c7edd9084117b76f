//! The APIs Keyless calls with the signed-in user's tokens.

/// Each resource needs its own access token, all obtained from the one refresh token.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Resource {
    /// Azure Resource Manager: subscriptions, caches, access policy assignments.
    Arm,
    /// Microsoft Graph: finding users and service principals by name.
    Graph,
}

/// Asked with every request so the answer carries an id token and a refresh token.
pub const OIDC_SCOPES: &str = "openid profile offline_access";

impl Resource {
    /// The delegated scope Keyless needs on this resource, and no more.
    pub fn scope(self) -> &'static str {
        match self {
            Resource::Arm => "https://management.azure.com/user_impersonation",
            Resource::Graph => "https://graph.microsoft.com/User.ReadBasic.All",
        }
    }
}
