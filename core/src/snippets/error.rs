//! Why a snippet request was refused, worded for the person who typed it.

use std::fmt;

use super::{Cloud, IdKind, IdentityKind, Library};

/// One id field of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdField {
    ClientId,
    ObjectId,
    TenantId,
}

impl IdField {
    pub fn label(self) -> &'static str {
        match self {
            IdField::ClientId => "client id",
            IdField::ObjectId => "object id",
            IdField::TenantId => "tenant id",
        }
    }

    /// Where the Azure portal shows this id for the given kind of identity.
    pub fn where_to_find(self, identity: IdentityKind) -> &'static str {
        let managed = matches!(
            identity,
            IdentityKind::SystemAssigned | IdentityKind::UserAssigned
        );
        match (self, managed) {
            (IdField::ClientId, true) => {
                "Azure portal > Managed Identities > your identity > Overview > Client ID"
            }
            (IdField::ObjectId, true) => {
                "Azure portal > Managed Identities > your identity > Overview > Object (principal) ID"
            }
            (IdField::ClientId, false) => {
                "Azure portal > App registrations > your app > Overview > Application (client) ID"
            }
            (IdField::ObjectId, false) => {
                "Azure portal > Enterprise applications > your app > Overview > Object ID"
            }
            (IdField::TenantId, _) => "Azure portal > Microsoft Entra ID > Overview > Tenant ID",
        }
    }
}

impl From<IdKind> for IdField {
    fn from(kind: IdKind) -> Self {
        match kind {
            IdKind::ClientId => IdField::ClientId,
            IdKind::ObjectId => IdField::ObjectId,
        }
    }
}

/// A refused request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnippetError {
    /// A library, identity or cloud name that is not one of ours.
    UnknownChoice {
        what: &'static str,
        value: String,
        expected: Vec<&'static str>,
    },
    /// Not a host name at all (scheme, port, path, bad characters, empty).
    InvalidHost {
        host: String,
        reason: &'static str,
    },
    /// A well-formed host that is not a cache host of the chosen cloud.
    HostNotInCloud {
        host: String,
        cloud: Cloud,
    },
    InvalidPort {
        port: String,
    },
    InvalidAuthority {
        authority: String,
        reason: &'static str,
    },
    /// A `parent_origin` that messages must not be posted to.
    InvalidOrigin {
        origin: String,
        reason: &'static str,
    },
    InvalidId {
        field: IdField,
        value: String,
    },
    MissingId {
        field: IdField,
        library: Library,
        identity: IdentityKind,
    },
}

impl fmt::Display for SnippetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnippetError::UnknownChoice {
                what,
                value,
                expected,
            } => {
                write!(
                    f,
                    "Unknown {what} \"{value}\": choose one of {}.",
                    expected.join(", ")
                )
            }
            SnippetError::InvalidHost { host, reason } => {
                write!(f, "\"{host}\" is not a host name: {reason}.")
            }
            SnippetError::HostNotInCloud { host, cloud } => write!(
                f,
                "\"{host}\" is not a cache host in {cloud}: expected a name ending in {}.",
                cloud.host_suffixes().join(" or ")
            ),
            SnippetError::InvalidPort { port } => {
                write!(
                    f,
                    "\"{port}\" is not a port: give a number from 1 to 65535."
                )
            }
            SnippetError::InvalidAuthority { authority, reason } => {
                write!(f, "\"{authority}\" is not an authority host: {reason}.")
            }
            SnippetError::InvalidOrigin { origin, reason } => {
                write!(f, "\"{origin}\" is not a parent origin: {reason}.")
            }
            SnippetError::InvalidId { field, value } => write!(
                f,
                "The {} \"{value}\" is not a GUID (like 00000000-0000-0000-0000-000000000000).",
                field.label()
            ),
            SnippetError::MissingId {
                field,
                library,
                identity,
            } => write!(
                f,
                "{library} needs the {} for a {}: find it at {}.",
                field.label(),
                identity.label().to_lowercase(),
                field.where_to_find(*identity)
            ),
        }
    }
}

impl std::error::Error for SnippetError {}
