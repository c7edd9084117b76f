//! Directory objects as Graph returns them, per kind: the properties each has, which can be
//! filtered, which are shown by default, and the permissions needed to read them.

use crate::directory::{Directory, DirectoryObject, Group, ServicePrincipal, User};
use serde_json::{json, Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Me,
    User,
    ServicePrincipal,
    Group,
    DirectoryObject,
}

const USER_PROPERTIES: &[&str] = &[
    "id", "displayName", "userPrincipalName", "mail", "givenName", "surname", "jobTitle", "businessPhones", "mobilePhone", "officeLocation", "preferredLanguage", "userType",
];
const USER_DEFAULT: &[&str] = &["id", "displayName", "userPrincipalName", "mail", "givenName", "surname", "jobTitle", "businessPhones", "mobilePhone", "officeLocation", "preferredLanguage"];
const SP_PROPERTIES: &[&str] = &["id", "appId", "displayName", "servicePrincipalType", "accountEnabled", "appDisplayName", "alternativeNames", "servicePrincipalNames", "tags"];
const GROUP_PROPERTIES: &[&str] = &["id", "displayName", "mailNickname", "description", "securityEnabled", "mailEnabled", "groupTypes"];

impl Kind {
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Me | Kind::User => "user",
            Kind::ServicePrincipal => "servicePrincipal",
            Kind::Group => "group",
            Kind::DirectoryObject => "directoryObject",
        }
    }

    pub fn collection(self) -> &'static str {
        match self {
            Kind::Me | Kind::User => "users",
            Kind::ServicePrincipal => "servicePrincipals",
            Kind::Group => "groups",
            Kind::DirectoryObject => "directoryObjects",
        }
    }

    pub fn properties(self) -> &'static [&'static str] {
        match self {
            Kind::Me | Kind::User => USER_PROPERTIES,
            Kind::ServicePrincipal => SP_PROPERTIES,
            Kind::Group => GROUP_PROPERTIES,
            Kind::DirectoryObject => &["id"],
        }
    }

    pub fn filterable(self) -> &'static [&'static str] {
        match self {
            Kind::Me | Kind::User => &["id", "displayName", "userPrincipalName", "mail", "userType"],
            Kind::ServicePrincipal => &["id", "appId", "displayName", "servicePrincipalType"],
            Kind::Group => &["id", "displayName", "mailNickname"],
            Kind::DirectoryObject => &["id"],
        }
    }

    /// Delegated scopes or application roles that allow reading this kind.
    pub fn permissions(self) -> &'static [&'static str] {
        match self {
            Kind::Me => &["User.Read", "User.ReadBasic.All", "User.Read.All", "Directory.Read.All"],
            Kind::User => &["User.ReadBasic.All", "User.Read.All", "Directory.Read.All"],
            Kind::ServicePrincipal => &["Application.Read.All", "Directory.Read.All"],
            Kind::Group => &["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"],
            Kind::DirectoryObject => &["User.ReadBasic.All", "Application.Read.All", "Directory.Read.All"],
        }
    }

    /// Without `$select`, users show Graph's default set; other kinds show everything.
    pub fn default_view(self, object: Map<String, Value>) -> Map<String, Value> {
        match self {
            Kind::Me | Kind::User => object.into_iter().filter(|(k, _)| USER_DEFAULT.contains(&k.as_str()) || k == "@odata.type").collect(),
            _ => object,
        }
    }
}

pub fn user(user: &User) -> Map<String, Value> {
    let (given, surname) = user.display_name.split_once(' ').map_or((user.display_name.as_str(), ""), |(g, s)| (g, s));
    let object = json!({
        "id": user.id, "displayName": user.display_name, "userPrincipalName": user.user_principal_name, "mail": user.mail,
        "givenName": given, "surname": surname, "jobTitle": user.job_title, "businessPhones": [], "mobilePhone": null,
        "officeLocation": null, "preferredLanguage": null, "userType": user.user_type,
    });
    object.as_object().expect("object").clone()
}

pub fn service_principal(sp: &ServicePrincipal) -> Map<String, Value> {
    let object = json!({
        "id": sp.id, "appId": sp.app_id, "displayName": sp.display_name, "servicePrincipalType": sp.service_principal_type,
        "accountEnabled": true, "appDisplayName": sp.display_name, "alternativeNames": sp.alternative_names,
        "servicePrincipalNames": [sp.app_id], "tags": [],
    });
    object.as_object().expect("object").clone()
}

pub fn group(group: &Group) -> Map<String, Value> {
    let object = json!({
        "id": group.id, "displayName": group.display_name, "mailNickname": group.mail_nickname, "description": null,
        "securityEnabled": true, "mailEnabled": false, "groupTypes": [],
    });
    object.as_object().expect("object").clone()
}

fn typed(kind: Kind, mut object: Map<String, Value>) -> Map<String, Value> {
    object.insert("@odata.type".into(), format!("#microsoft.graph.{}", kind.type_name()).into());
    object
}

pub fn all(directory: &Directory, kind: Kind) -> Vec<Map<String, Value>> {
    match kind {
        Kind::Me | Kind::User => directory.users.iter().map(user).collect(),
        Kind::ServicePrincipal => directory.service_principals.iter().map(service_principal).collect(),
        Kind::Group => directory.groups.iter().map(group).collect(),
        Kind::DirectoryObject => Vec::new(),
    }
}

/// One object by id (users also by UPN). Through `/directoryObjects` any kind is found and
/// carries its `@odata.type`, so a group pasted by id can be told apart.
pub fn find(directory: &Directory, kind: Kind, id: &str) -> Option<(Kind, Map<String, Value>)> {
    match kind {
        Kind::Me | Kind::User => directory.user(id).map(|u| (Kind::User, user(u))),
        _ => match (kind, directory.object(id)?) {
            (Kind::DirectoryObject, DirectoryObject::User(u)) => Some((Kind::User, typed(Kind::User, user(u)))),
            (Kind::DirectoryObject, DirectoryObject::ServicePrincipal(s)) => Some((Kind::ServicePrincipal, typed(Kind::ServicePrincipal, service_principal(s)))),
            (Kind::DirectoryObject, DirectoryObject::Group(g)) => Some((Kind::Group, typed(Kind::Group, group(g)))),
            (Kind::ServicePrincipal, DirectoryObject::ServicePrincipal(s)) => Some((kind, service_principal(s))),
            (Kind::Group, DirectoryObject::Group(g)) => Some((kind, group(g))),
            _ => None,
        },
    }
}
