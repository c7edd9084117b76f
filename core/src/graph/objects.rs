//! The Graph answers Keyless reads, limited to the properties it `$select`s.

use crate::ids::{ClientId, ObjectId};
use serde::{Deserialize, Serialize};

/// One page of a Graph collection; follow `next_link` verbatim until it is absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct List<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
}

/// `/v1.0/users` with `User.ReadBasic.All`: `userType` is not readable with that permission,
/// so a guest is recognised by the `#EXT#` in its user principal name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: ObjectId,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub user_principal_name: Option<String>,
    /// "Member" or "Guest", when the caller may read it.
    #[serde(default)]
    pub user_type: Option<String>,
}

/// `/v1.0/servicePrincipals`: applications and managed identities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePrincipal {
    /// The object id: what an assignment needs.
    pub id: ObjectId,
    /// The client id: what client code passes, never a Redis username.
    #[serde(default)]
    pub app_id: Option<ClientId>,
    #[serde(default)]
    pub display_name: Option<String>,
    /// "Application", "ManagedIdentity", "Legacy" or "SocialIdp".
    #[serde(default)]
    pub service_principal_type: Option<String>,
}

/// `/v1.0/groups`: read only to tell the admin why a group cannot be chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: ObjectId,
    #[serde(default)]
    pub display_name: Option<String>,
}

/// `/v1.0/directoryObjects/{id}`: any object, told apart by `@odata.type`. Used to describe a
/// pasted object id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryObject {
    /// `#microsoft.graph.user`, `#microsoft.graph.servicePrincipal`, `#microsoft.graph.group`, ...
    #[serde(rename = "@odata.type")]
    pub odata_type: String,
    pub id: ObjectId,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub user_principal_name: Option<String>,
    #[serde(default)]
    pub user_type: Option<String>,
    #[serde(default)]
    pub app_id: Option<ClientId>,
    #[serde(default)]
    pub service_principal_type: Option<String>,
}
