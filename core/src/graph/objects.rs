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
#[derive(Debug, Clone, PartialEq)]
pub enum DirectoryObject {
    User(User),
    ServicePrincipal(ServicePrincipal),
    Group(Group),
    /// Devices, applications, contacts...: none can be a Redis user.
    Other {
        odata_type: String,
        id: ObjectId,
        display_name: Option<String>,
    },
}

impl<'de> Deserialize<'de> for DirectoryObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(d)?;
        let odata_type = value
            .get("@odata.type")
            .and_then(|t| t.as_str())
            .unwrap_or_default()
            .to_owned();
        let kind = odata_type
            .trim_start_matches("#microsoft.graph.")
            .to_ascii_lowercase();
        Ok(match kind.as_str() {
            "user" => Self::User(User::deserialize(value).map_err(D::Error::custom)?),
            "serviceprincipal" => Self::ServicePrincipal(
                ServicePrincipal::deserialize(value).map_err(D::Error::custom)?,
            ),
            "group" => Self::Group(Group::deserialize(value).map_err(D::Error::custom)?),
            _ => {
                let Group { id, display_name } =
                    Group::deserialize(value).map_err(D::Error::custom)?;
                Self::Other {
                    odata_type,
                    id,
                    display_name,
                }
            }
        })
    }
}
