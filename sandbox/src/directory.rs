//! The tenant's directory: users, service principals (applications and managed identities),
//! groups, and the SPA app registration Keyless signs in with.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tenant {
    pub id: String,
    pub display_name: String,
    pub domain: String,
}

/// The single-page app registration: its redirect URIs are of type SPA.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpaClient {
    pub client_id: String,
    pub display_name: String,
    pub redirect_uris: Vec<String>,
    /// Scopes an administrator consented to for the whole tenant, as full scope URIs.
    pub consented_scopes: Vec<String>,
}

impl SpaClient {
    /// CORS origins derived from the redirect URIs.
    pub fn origins(&self) -> Vec<String> {
        self.redirect_uris
            .iter()
            .filter_map(|uri| url::Url::parse(uri).ok())
            .map(|url| url.origin().ascii_serialization())
            .collect()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct User {
    pub id: String,
    pub display_name: String,
    pub user_principal_name: String,
    pub mail: Option<String>,
    #[serde(default)]
    pub job_title: Option<String>,
    #[serde(default = "member")]
    pub user_type: String,
    /// Set for guests: the tenant their account lives in.
    #[serde(default)]
    pub home_tenant_id: Option<String>,
}

fn member() -> String {
    "Member".into()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServicePrincipal {
    pub id: String,
    pub app_id: String,
    pub display_name: String,
    /// `Application` or `ManagedIdentity`.
    pub service_principal_type: String,
    /// A client secret, for applications that sign in with client credentials.
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub alternative_names: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub display_name: String,
    pub mail_nickname: String,
}

/// Any object a directory id can name.
#[derive(Debug, Clone, Copy)]
pub enum DirectoryObject<'a> {
    User(&'a User),
    ServicePrincipal(&'a ServicePrincipal),
    Group(&'a Group),
}

#[derive(Debug, Clone)]
pub struct Directory {
    pub tenant: Tenant,
    pub spa: SpaClient,
    pub users: Vec<User>,
    pub service_principals: Vec<ServicePrincipal>,
    pub groups: Vec<Group>,
}

impl Directory {
    pub fn object(&self, id: &str) -> Option<DirectoryObject<'_>> {
        let id = id.to_ascii_lowercase();
        self.users
            .iter()
            .find(|u| u.id == id)
            .map(DirectoryObject::User)
            .or_else(|| self.service_principals.iter().find(|s| s.id == id).map(DirectoryObject::ServicePrincipal))
            .or_else(|| self.groups.iter().find(|g| g.id == id).map(DirectoryObject::Group))
    }

    pub fn user_by_upn(&self, upn: &str) -> Option<&User> {
        self.users.iter().find(|u| u.user_principal_name.eq_ignore_ascii_case(upn))
    }

    pub fn user(&self, id_or_upn: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id.eq_ignore_ascii_case(id_or_upn)).or_else(|| self.user_by_upn(id_or_upn))
    }

    pub fn service_principal_by_app_id(&self, app_id: &str) -> Option<&ServicePrincipal> {
        self.service_principals.iter().find(|s| s.app_id.eq_ignore_ascii_case(app_id))
    }
}
