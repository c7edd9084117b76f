//! Microsoft Graph directory objects: users, service principals, managed identities, groups.
//!
//! Graph is how an admin finds a principal by name instead of pasting a GUID. Everything here
//! ends in a [`Principal`], whose object id is what an assignment needs, or in a [`Refusal`]
//! saying why that object cannot be a Redis user.

mod objects;
mod principal;
pub mod urls;

pub use objects::{DirectoryObject, Group, List, ServicePrincipal, User};
pub use principal::{Principal, PrincipalKind, Refusal, Swapped, swap_client_id};
