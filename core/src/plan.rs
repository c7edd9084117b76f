//! The plan: every write to a cache, in order, computed from its current and desired state.
//!
//! The plan is the contract with the admin: it is shown in full before anything is sent, and
//! nothing outside it is sent. It converges: each write is skipped when the cache already has
//! what it would set, so after a run stops anywhere, re-reading the state and computing the
//! plan again yields only what remains, with no duplicate and no repeated toggle.
//!
//! Running it, one write at a time:
//! 1. read the cache, its assignments and policies into [`Current`]; [`compute`];
//! 2. for each [`Write`]: wait until the cache is no longer busy
//!    ([`ProvisioningState::is_busy`](crate::arm::ProvisioningState::is_busy)), send it as is,
//!    and follow the answer with [`crate::lro::Operation`] using [`Write::timing`];
//! 3. on a real error, stop and show it with the writes not yet done; to resume, start again
//!    at 1.

mod verify;
mod write;

pub use verify::{SettingChange, settings_changed};
pub use write::{Method, Write, WriteKind};

use crate::acl::{BuiltInPolicy, Permissions};
use crate::arm::{
    AAD_ENABLED, AccessPolicy, AccessPolicyProperties, Assignment, AssignmentProperties, Cache,
    paths,
};
use crate::graph::Principal;
use crate::ids::{AssignmentName, IdError, ObjectId, PolicyName, ResourceId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashSet;
use std::fmt;

/// The cache as just read through Resource Manager, with its assignments and policies.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub cache: Cache,
    pub assignments: Vec<Assignment>,
    pub policies: Vec<AccessPolicy>,
}

impl Current {
    /// The assignment `object_id` already holds, if any: a second one would be refused, so the
    /// UI offers to change its policy instead.
    pub fn assignment_of(&self, object_id: &ObjectId) -> Option<&Assignment> {
        self.assignments
            .iter()
            .find(|a| a.properties.object_id == *object_id)
    }
}

/// A Redis user to have: who, with which policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub principal: Principal,
    pub policy: PolicyName,
}

/// A custom access policy to have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomPolicy {
    pub name: PolicyName,
    pub permissions: Permissions,
}

/// What the admin chose in the wizard. Serializable so it survives a reload or a sign-in redirect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desired {
    pub grants: Vec<Grant>,
    pub custom_policies: Vec<CustomPolicy>,
    pub enable_entra: bool,
    pub disable_access_keys: bool,
}

/// The ordered writes, plus why a requested change is not among them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub writes: Vec<Write>,
    pub held_back: Vec<HeldBack>,
}

impl Plan {
    /// Nothing left to do.
    pub fn is_done(&self) -> bool {
        self.writes.is_empty()
    }

    /// Each write as the admin saw it at the review, kept to check a later run against.
    pub fn seen(&self) -> Vec<Seen> {
        self.writes
            .iter()
            .map(|write| Seen {
                sent: write.to_string(),
                summary: write.summary.clone(),
            })
            .collect()
    }

    /// The writes that were not in the plan the admin reviewed (`seen`, from [`Plan::seen`]):
    /// the cache changed since, and they must be reviewed before anything is sent. A run
    /// resumed after a stop plans a subset of what was reviewed, so it finds none.
    pub fn unseen(&self, seen: &[Seen]) -> Vec<Write> {
        self.writes
            .iter()
            .filter(|write| !seen.iter().any(|s| s.sent == write.to_string()))
            .cloned()
            .collect()
    }

    /// The reviewed writes this plan no longer needs: the cache has them already, from an
    /// earlier run that stopped before it saw them end, or from someone else.
    pub fn in_place<'a>(&self, seen: &'a [Seen]) -> impl Iterator<Item = &'a Seen> {
        let planned: Vec<String> = self.writes.iter().map(Write::to_string).collect();
        seen.iter().filter(move |s| !planned.contains(&s.sent))
    }
}

/// One write as the admin saw it at the review: exactly what is sent, and what it does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub sent: String,
    pub summary: String,
}

/// Why disabling access keys was asked for but is not planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldBack {
    EntraOff,
    NoRedisUser,
    GeoReplicated,
}

impl fmt::Display for HeldBack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EntraOff => "Access keys stay enabled: Microsoft Entra authentication is not on, so no client could connect.",
            Self::NoRedisUser => "Access keys stay enabled: the cache has no Redis user yet, so no client could connect.",
            Self::GeoReplicated => "Access keys stay enabled: the cache is geo-replicated; unlink it first.",
        })
    }
}

/// A choice that cannot become a plan, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// The cache read back is not a `Microsoft.Cache/redis` resource.
    CacheId(IdError),
    /// A grant names a policy that is neither built-in, on the cache, nor defined in the plan.
    UnknownPolicy { policy: PolicyName },
    /// The same principal is granted twice; a principal holds one assignment.
    DuplicatePrincipal { principal: String },
    /// A custom policy would replace a built-in one.
    BuiltInName { name: PolicyName },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CacheId(e) => write!(f, "{e}"),
            Self::UnknownPolicy { policy } => write!(
                f,
                "There is no access policy named \u{201c}{policy}\u{201d} on this cache: choose a built-in one or define it."
            ),
            Self::DuplicatePrincipal { principal } => {
                write!(
                    f,
                    "{principal} is listed twice: a principal can hold only one access policy per cache."
                )
            }
            Self::BuiltInName { name } => {
                write!(
                    f,
                    "\u{201c}{name}\u{201d} is a built-in access policy and cannot be redefined: choose another name."
                )
            }
        }
    }
}

impl std::error::Error for PlanError {}

/// Computes the writes that take `current` to `desired`, in the order they must be sent:
/// custom policies, then assignments (which may use them), then enabling Entra, then disabling
/// access keys (which needs Entra and a user).
pub fn compute(current: &Current, desired: &Desired) -> Result<Plan, PlanError> {
    let id = current.cache.resource_id().map_err(PlanError::CacheId)?;
    let mut writes = policy_writes(&id, current, desired)?;
    writes.extend(assignment_writes(&id, current, desired)?);

    let state = current.cache.properties.provisioning_state.as_ref();
    let entra_on = current.cache.entra_enabled();
    // A run stopped while Entra was being switched on left it `ConfiguringAAD` with the old
    // `aad-enabled` value: sending the toggle again would repeat it.
    let entra_pending = state.is_some_and(|s| s.is_configuring_entra());
    if desired.enable_entra && !entra_on && !entra_pending {
        writes.push(enable_entra(&id));
    }

    let mut held_back = Vec::new();
    let keys_on = !current.cache.properties.disable_access_key_authentication;
    if desired.disable_access_keys && keys_on {
        let will_have_entra = entra_on || entra_pending || desired.enable_entra;
        let will_have_user = current.assignments.iter().any(settled) || !desired.grants.is_empty();
        if !will_have_entra {
            held_back.push(HeldBack::EntraOff);
        } else if !will_have_user {
            held_back.push(HeldBack::NoRedisUser);
        } else if current.cache.geo_replicated() {
            held_back.push(HeldBack::GeoReplicated);
        } else {
            writes.push(disable_access_keys(&id));
        }
    }
    Ok(Plan { writes, held_back })
}

fn policy_writes(
    id: &ResourceId,
    current: &Current,
    desired: &Desired,
) -> Result<Vec<Write>, PlanError> {
    let mut writes = Vec::new();
    for custom in &desired.custom_policies {
        if BuiltInPolicy::named(&custom.name).is_some() {
            return Err(PlanError::BuiltInName {
                name: custom.name.clone(),
            });
        }
        let existing = current.policies.iter().find(|p| p.name == custom.name);
        if existing.is_some_and(AccessPolicy::is_built_in) {
            return Err(PlanError::BuiltInName {
                name: custom.name.clone(),
            });
        }
        if existing.is_some_and(|p| custom.permissions.same_as(&p.properties.permissions)) {
            continue;
        }
        let verb = if existing.is_some() {
            "Update"
        } else {
            "Create"
        };
        let properties = AccessPolicyProperties {
            permissions: custom.permissions.normalised(),
            kind: None,
            provisioning_state: None,
        };
        writes.push(Write::new(
            WriteKind::PutPolicy,
            Method::Put,
            paths::access_policy(id, &custom.name),
            json!({ "properties": properties }),
            format!(
                "{verb} the custom access policy \u{201c}{}\u{201d}: {}.",
                custom.name, custom.permissions
            ),
        ));
    }
    Ok(writes)
}

fn assignment_writes(
    id: &ResourceId,
    current: &Current,
    desired: &Desired,
) -> Result<Vec<Write>, PlanError> {
    let known = |policy: &PolicyName| {
        BuiltInPolicy::named(policy).is_some()
            || current.policies.iter().any(|p| p.name == *policy)
            || desired.custom_policies.iter().any(|c| c.name == *policy)
    };
    let mut seen = HashSet::new();
    let mut writes = Vec::new();
    for grant in &desired.grants {
        let who = describe(&grant.principal);
        if !seen.insert(&grant.principal.object_id) {
            return Err(PlanError::DuplicatePrincipal { principal: who });
        }
        if !known(&grant.policy) {
            return Err(PlanError::UnknownPolicy {
                policy: grant.policy.clone(),
            });
        }
        let existing = current.assignment_of(&grant.principal.object_id);
        if existing.is_some_and(|a| a.properties.access_policy_name == grant.policy && settled(a)) {
            continue;
        }
        let (name, summary) = match existing {
            Some(a) if a.properties.access_policy_name != grant.policy => (
                a.name.clone(),
                format!(
                    "Change the access policy of {who} from {} to {}.",
                    a.properties.access_policy_name, grant.policy
                ),
            ),
            Some(a) => (
                a.name.clone(),
                format!(
                    "Assign {} to {who} again: the last attempt did not finish.",
                    grant.policy
                ),
            ),
            None => (
                AssignmentName::for_principal(&grant.principal.object_id),
                format!("Make {who} a Redis user with {}.", grant.policy),
            ),
        };
        let properties = AssignmentProperties {
            access_policy_name: grant.policy.clone(),
            object_id: grant.principal.object_id.clone(),
            object_id_alias: grant.principal.alias().to_owned(),
            provisioning_state: None,
        };
        writes.push(Write::new(
            WriteKind::PutAssignment,
            Method::Put,
            paths::assignment(id, &name),
            json!({ "properties": properties }),
            summary,
        ));
    }
    Ok(writes)
}

/// An assignment whose last operation failed or was canceled may be half-applied: it is sent
/// again rather than trusted.
fn settled(a: &Assignment) -> bool {
    !a.properties
        .provisioning_state
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("Failed") || s.eq_ignore_ascii_case("Canceled"))
}

/// "Ada (user, ada@contoso.com)".
fn describe(p: &Principal) -> String {
    let detail = p
        .user_principal_name
        .as_deref()
        .map(str::to_owned)
        .or_else(|| p.app_id.as_ref().map(|a| format!("client id {a}")));
    match detail {
        Some(d) => format!("{} ({}, {d})", p.display_name, p.kind),
        None => format!("{} ({})", p.display_name, p.kind),
    }
}

fn enable_entra(id: &ResourceId) -> Write {
    Write::new(
        WriteKind::EnableEntra,
        Method::Patch,
        paths::cache(id),
        json!({ "properties": { "redisConfiguration": { AAD_ENABLED: "true" } } }),
        format!("Enable Microsoft Entra authentication on {}.", id.name()),
    )
}

fn disable_access_keys(id: &ResourceId) -> Write {
    Write::new(
        WriteKind::DisableAccessKeys,
        Method::Patch,
        paths::cache(id),
        json!({ "properties": { "disableAccessKeyAuthentication": true } }),
        format!("Disable access key authentication on {}.", id.name()),
    )
}

/// What the portal does when it enables Entra: make the signed-in admin a Data Owner, so at
/// least one Redis user exists. Proposed only while Entra is off and the admin holds no
/// assignment yet.
pub fn proposed_admin_assignment(current: &Current, admin: &Principal) -> Option<Grant> {
    (!current.cache.entra_enabled() && current.assignment_of(&admin.object_id).is_none()).then(
        || Grant {
            principal: admin.clone(),
            policy: BuiltInPolicy::DataOwner.name(),
        },
    )
}

#[cfg(test)]
mod tests;
