//! Who can be a Redis user, and why some directory objects cannot.

use super::{DirectoryObject, Group, ServicePrincipal, User};
use crate::ids::{ClientId, ObjectId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of identity a principal is; decides how its client code gets a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PrincipalKind {
    User,
    /// An application's service principal.
    ServicePrincipal,
    ManagedIdentity,
    /// A pasted object id that Graph could not describe (the admin may lack directory read
    /// permission); it is assigned exactly as given.
    Unknown,
}

impl fmt::Display for PrincipalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::User => "user",
            Self::ServicePrincipal => "application",
            Self::ManagedIdentity => "managed identity",
            Self::Unknown => "unverified object id",
        })
    }
}

/// A user, service principal or managed identity that can hold an access policy assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// The Redis username.
    pub object_id: ObjectId,
    pub display_name: String,
    pub kind: PrincipalKind,
    /// A user's sign-in name.
    pub user_principal_name: Option<String>,
    /// A service principal's or managed identity's client id, for its connection code.
    pub app_id: Option<ClientId>,
}

impl Principal {
    /// A pasted object id Graph could not describe.
    pub fn unverified(object_id: ObjectId) -> Self {
        Self {
            display_name: object_id.to_string(),
            object_id,
            kind: PrincipalKind::Unknown,
            user_principal_name: None,
            app_id: None,
        }
    }

    /// A user, unless it is a guest from another directory.
    pub fn from_user(user: User) -> Result<Self, Refusal> {
        let name = display(
            user.display_name.as_deref(),
            user.user_principal_name.as_deref(),
            &user.id,
        );
        if is_guest(
            user.user_type.as_deref(),
            user.user_principal_name.as_deref(),
        ) {
            return Err(Refusal::Guest { name });
        }
        Ok(Self {
            object_id: user.id,
            display_name: name,
            kind: PrincipalKind::User,
            user_principal_name: user.user_principal_name,
            app_id: None,
        })
    }

    /// An application or a managed identity, told apart by `servicePrincipalType`.
    pub fn from_service_principal(sp: ServicePrincipal) -> Self {
        let managed = sp
            .service_principal_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("ManagedIdentity"));
        Self {
            display_name: display(sp.display_name.as_deref(), None, &sp.id),
            object_id: sp.id,
            kind: if managed {
                PrincipalKind::ManagedIdentity
            } else {
                PrincipalKind::ServicePrincipal
            },
            user_principal_name: None,
            app_id: sp.app_id,
        }
    }

    /// Whatever `/directoryObjects/{id}` returned: users and service principals are accepted,
    /// groups and other object types are refused with the reason.
    pub fn from_directory_object(object: DirectoryObject) -> Result<Self, Refusal> {
        match object {
            DirectoryObject::User(user) => Self::from_user(user),
            DirectoryObject::ServicePrincipal(sp) => Ok(Self::from_service_principal(sp)),
            DirectoryObject::Group(group) => Err(Refusal::from_group(group)),
            DirectoryObject::Other {
                odata_type,
                id,
                display_name,
            } => Err(Refusal::Unsupported {
                name: display(display_name.as_deref(), None, &id),
                odata_type,
            }),
        }
    }

    /// The `objectIdAlias` sent with an assignment: a readable label, never used to sign in.
    pub fn alias(&self) -> &str {
        &self.display_name
    }
}

fn display(name: Option<&str>, upn: Option<&str>, id: &ObjectId) -> String {
    name.or(upn)
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map_or_else(|| id.to_string(), str::to_owned)
}

/// B2B guests carry `#EXT#` in their user principal name; `userType` says so when readable.
fn is_guest(user_type: Option<&str>, upn: Option<&str>) -> bool {
    user_type.is_some_and(|t| t.eq_ignore_ascii_case("Guest"))
        || upn.is_some_and(|u| u.to_ascii_uppercase().contains("#EXT#"))
}

/// A directory object that cannot be a Redis user, with the reason shown to the admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Group { name: String },
    Guest { name: String },
    Unsupported { name: String, odata_type: String },
}

impl Refusal {
    pub fn from_group(group: Group) -> Self {
        Self::Group {
            name: display(group.display_name.as_deref(), None, &group.id),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Group { name } => write!(
                f,
                "\u{201c}{name}\u{201d} is a group. Azure Cache for Redis accepts only users, applications and \
                 managed identities as Redis users, because the Redis username is the object id in each token, \
                 and a group has none. Add its members one by one instead."
            ),
            Self::Guest { name } => write!(
                f,
                "\u{201c}{name}\u{201d} is a guest from another directory. Guests usually get tokens from their \
                 home directory, under an object id the cache does not know. Add an account of this directory instead."
            ),
            Self::Unsupported { name, odata_type } => write!(
                f,
                "\u{201c}{name}\u{201d} is a {odata_type}, which cannot be a Redis user. Choose a user, an \
                 application or a managed identity."
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// A pasted client id, recognised and replaced by its service principal's object id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swapped {
    pub principal: Principal,
    /// Tells the admin what was replaced and why.
    pub note: String,
}

/// Recognises `pasted` as a client id when the appId lookup
/// ([`service_principal_by_app_id`](super::urls::service_principal_by_app_id)) found its service
/// principal, and swaps it for that principal's object id.
pub fn swap_client_id(pasted: &ClientId, found: Vec<ServicePrincipal>) -> Option<Swapped> {
    let sp = found
        .into_iter()
        .find(|sp| sp.app_id.as_ref() == Some(pasted))?;
    let principal = Principal::from_service_principal(sp);
    let note = format!(
        "{pasted} is the client (application) id of \u{201c}{}\u{201d}. Redis users are named by object id, \
         so its object id {} is used instead. Keep the client id for the connection code.",
        principal.display_name, principal.object_id
    );
    Some(Swapped { principal, note })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(v: serde_json::Value) -> DirectoryObject {
        serde_json::from_value(v).unwrap()
    }

    const OID: &str = "11111111-1111-1111-1111-111111111111";
    const APP: &str = "22222222-2222-2222-2222-222222222222";

    #[test]
    fn users_and_service_principals_become_principals() {
        let user = Principal::from_directory_object(object(json!({
            "@odata.type": "#microsoft.graph.user", "id": OID, "displayName": "Ada", "userPrincipalName": "ada@contoso.com"
        })))
        .unwrap();
        assert_eq!(
            (user.kind, user.display_name.as_str()),
            (PrincipalKind::User, "Ada")
        );
        let mi = Principal::from_directory_object(object(json!({
            "@odata.type": "#microsoft.graph.servicePrincipal", "id": OID, "appId": APP,
            "displayName": "orders-api", "servicePrincipalType": "ManagedIdentity"
        })))
        .unwrap();
        assert_eq!(mi.kind, PrincipalKind::ManagedIdentity);
        assert_eq!(mi.app_id.unwrap().as_str(), APP);
        let app: ServicePrincipal =
            serde_json::from_value(json!({"id": OID, "servicePrincipalType": "Application"}))
                .unwrap();
        let app = Principal::from_service_principal(app);
        assert_eq!(
            (app.kind, app.alias()),
            (PrincipalKind::ServicePrincipal, OID)
        );
    }

    #[test]
    fn groups_guests_and_other_objects_are_refused_with_a_reason() {
        let group = Principal::from_directory_object(object(
            json!({"@odata.type": "#microsoft.graph.group", "id": OID, "displayName": "Ops"}),
        ));
        assert_eq!(group, Err(Refusal::Group { name: "Ops".into() }));
        assert!(group.unwrap_err().to_string().contains("is a group"));
        let guest = User {
            id: ObjectId::parse(OID).unwrap(),
            display_name: None,
            user_principal_name: Some("bob_fabrikam.com#EXT#@contoso.onmicrosoft.com".into()),
            user_type: None,
        };
        assert!(matches!(
            Principal::from_user(guest),
            Err(Refusal::Guest { .. })
        ));
        let device = Principal::from_directory_object(object(
            json!({"@odata.type": "#microsoft.graph.device", "id": OID}),
        ));
        assert!(
            device
                .unwrap_err()
                .to_string()
                .contains("#microsoft.graph.device")
        );
    }

    #[test]
    fn a_pasted_client_id_is_swapped_for_the_object_id_with_a_note() {
        let client = ClientId::parse(APP).unwrap();
        let found: Vec<ServicePrincipal> = serde_json::from_value(json!([
            {"id": OID, "appId": APP, "displayName": "orders-api", "servicePrincipalType": "Application"}
        ]))
        .unwrap();
        let swapped = swap_client_id(&client, found).unwrap();
        assert_eq!(swapped.principal.object_id.as_str(), OID);
        assert!(
            swapped.note.contains(APP)
                && swapped.note.contains(OID)
                && swapped.note.contains("object id")
        );
        assert_eq!(swap_client_id(&client, vec![]), None);
    }
}
