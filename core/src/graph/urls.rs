//! Graph request paths, relative to the configured Graph base URL (`https://graph.microsoft.com`).
//! Search text goes inside an OData string literal, so `'` is doubled, and the whole query value
//! is percent-encoded.

use crate::ids::{ClientId, ObjectId, percent_encode};

/// Properties read for users: all within `User.ReadBasic.All`.
pub const USER_FIELDS: &str = "id,displayName,userPrincipalName";
/// Properties read for service principals and managed identities.
pub const SERVICE_PRINCIPAL_FIELDS: &str = "id,appId,displayName,servicePrincipalType";
/// Properties read for groups.
pub const GROUP_FIELDS: &str = "id,displayName";

/// `text` as an OData string literal: quoted, with `'` doubled.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn query(collection: &str, filter: &str, select: &str, top: Option<u32>) -> String {
    let top = top.map(|n| format!("&$top={n}")).unwrap_or_default();
    format!(
        "/v1.0/{collection}?$filter={}&$select={select}{top}",
        percent_encode(filter)
    )
}

/// `GET`: users whose display name or user principal name starts with `prefix`.
pub fn search_users(prefix: &str, top: u32) -> String {
    let p = literal(prefix.trim());
    query(
        "users",
        &format!("startswith(displayName,{p}) or startswith(userPrincipalName,{p})"),
        USER_FIELDS,
        Some(top),
    )
}

/// `GET`: service principals (applications and managed identities) whose display name starts
/// with `prefix`. Needs `Application.Read.All`; without it the admin pastes an object id.
pub fn search_service_principals(prefix: &str, top: u32) -> String {
    let p = literal(prefix.trim());
    query(
        "servicePrincipals",
        &format!("startswith(displayName,{p})"),
        SERVICE_PRINCIPAL_FIELDS,
        Some(top),
    )
}

/// `GET`: groups whose display name starts with `prefix`, shown only to be refused with a reason.
pub fn search_groups(prefix: &str, top: u32) -> String {
    let p = literal(prefix.trim());
    query(
        "groups",
        &format!("startswith(displayName,{p})"),
        GROUP_FIELDS,
        Some(top),
    )
}

/// `GET`: the service principal whose client id is `client_id`, to recognise a pasted client id.
pub fn service_principal_by_app_id(client_id: &ClientId) -> String {
    query(
        "servicePrincipals",
        &format!("appId eq {}", literal(client_id.as_str())),
        SERVICE_PRINCIPAL_FIELDS,
        None,
    )
}

/// `GET`: whatever object `id` names; 404 when it is no object id (perhaps a client id).
pub fn directory_object(id: &ObjectId) -> String {
    format!("/v1.0/directoryObjects/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_search_filters_both_names_with_quotes_escaped_and_encoded() {
        assert_eq!(
            search_users("O'Neil", 10),
            "/v1.0/users?$filter=startswith%28displayName%2C%27O%27%27Neil%27%29%20or%20startswith%28userPrincipalName%2C%27O%27%27Neil%27%29\
             &$select=id,displayName,userPrincipalName&$top=10"
        );
    }

    #[test]
    fn search_text_cannot_escape_the_literal_or_the_query() {
        let url = search_service_principals("x') or true or ('&$top=999", 5);
        assert!(
            url.contains("%27x%27%27%29%20or%20true%20or%20%28%27%27%26%24top%3D999%27"),
            "{url}"
        );
        assert!(url.ends_with("&$select=id,appId,displayName,servicePrincipalType&$top=5"));
        assert_eq!(url.matches("&$top=").count(), 1);
    }

    #[test]
    fn lookup_by_client_id_and_by_object_id() {
        let client = ClientId::parse("A1B2C3D4-0000-0000-0000-000000000001").unwrap();
        assert_eq!(
            service_principal_by_app_id(&client),
            "/v1.0/servicePrincipals?$filter=appId%20eq%20%27a1b2c3d4-0000-0000-0000-000000000001%27&$select=id,appId,displayName,servicePrincipalType"
        );
        let oid = ObjectId::parse("a1b2c3d4-0000-0000-0000-000000000002").unwrap();
        assert_eq!(
            directory_object(&oid),
            "/v1.0/directoryObjects/a1b2c3d4-0000-0000-0000-000000000002"
        );
        assert!(search_groups("ops", 3).starts_with(
            "/v1.0/groups?$filter=startswith%28displayName%2C%27ops%27%29&$select=id,displayName"
        ));
    }
}
