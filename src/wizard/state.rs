//! What the wizard remembers for one cache across reloads, sign-in redirects and closed tabs:
//! the admin's choices and what has been applied, in sessionStorage keyed by the cache id.
//! Never a token.
use keyless_core::ids::{ObjectId, ResourceId};
use keyless_core::plan::{CustomPolicy, Desired, Grant, Plan, Seen};
use serde::{Deserialize, Serialize};

/// The wizard's saved state for one cache.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    /// The Redis users, custom policies and options chosen so far.
    pub desired: Desired,
    /// The signed-in admin was already proposed as Data Owner: removing that proposal sticks.
    pub admin_proposed: bool,
    /// The summary of every write that completed, in order, for the last step.
    pub applied: Vec<String>,
    /// A run was started and has not reached its end: the apply step offers to resume.
    pub started: bool,
    /// The writes of the plan the admin last reviewed: a run sends none other.
    #[serde(default)]
    pub reviewed: Vec<Seen>,
}

/// The sessionStorage key for one cache. `ResourceId` renders in one canonical casing, so the
/// key is the same however the address spelled the cache.
fn key(id: &ResourceId) -> String {
    format!("keyless.wizard.{}", id.path().to_ascii_lowercase())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

impl Saved {
    /// Adds a Redis user, replacing an earlier choice for the same principal (one principal
    /// holds one assignment), with the custom policy it needs, replacing one of the same name.
    pub fn choose(&mut self, grant: Grant, custom: Option<CustomPolicy>) {
        let desired = &mut self.desired;
        if let Some(custom) = custom {
            desired.custom_policies.retain(|c| c.name != custom.name);
            desired.custom_policies.push(custom);
        }
        desired
            .grants
            .retain(|g| g.principal.object_id != grant.principal.object_id);
        desired.grants.push(grant);
        self.forget_unused_policies();
    }

    /// Takes a Redis user off the list, with a custom policy only it used.
    pub fn remove(&mut self, id: &ObjectId) {
        self.desired.grants.retain(|g| &g.principal.object_id != id);
        self.forget_unused_policies();
    }

    /// A custom policy is defined only for the users chosen with it: once none holds it, it
    /// leaves the plan instead of being created for nobody.
    fn forget_unused_policies(&mut self) {
        let Desired {
            grants,
            custom_policies,
            ..
        } = &mut self.desired;
        custom_policies.retain(|c| grants.iter().any(|g| g.policy == c.name));
    }

    /// What was saved for this cache, or a fresh start.
    pub fn load(id: &ResourceId) -> Self {
        storage()
            .and_then(|s| s.get_item(&key(id)).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Marks a run as started. A new run after a finished one starts a new list of changes;
    /// after an interrupted one, the list goes on.
    /// The admin accepted `plan` at the review and asked for it to be applied.
    pub fn begin_run(&mut self, plan: &Plan) {
        if !self.started {
            self.applied.clear();
        }
        self.started = true;
        self.reviewed = plan.seen();
    }

    /// Counts as applied each reviewed write that `plan`, made on resuming, finds in place: a
    /// run that stopped while following a write (an expired sign-in, a closed tab) never saw
    /// it end, yet the cache has it.
    pub fn note_in_place(&mut self, plan: &Plan) {
        for seen in plan.in_place(&self.reviewed) {
            if !self.applied.contains(&seen.summary) {
                self.applied.push(seen.summary.clone());
            }
        }
    }

    /// Saves; a full or disabled storage only costs resuming after a reload.
    pub fn save(&self, id: &ResourceId) {
        if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(self)) {
            let _ = storage.set_item(&key(id), &text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyless_core::acl::Permissions;
    use keyless_core::graph::Principal;
    use keyless_core::ids::PolicyName;

    fn grant(id: &str, policy: &str) -> Grant {
        let id = ObjectId::parse(id).unwrap();
        Grant {
            principal: Principal::unverified(id),
            policy: PolicyName::parse(policy).unwrap(),
        }
    }

    const ADA: &str = "3b2c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d03";
    const APP: &str = "6e5f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a06";

    #[test]
    fn choosing_a_principal_again_replaces_its_policy() {
        let mut saved = Saved::default();
        saved.choose(grant(ADA, "Data Owner"), None);
        saved.choose(grant(APP, "Data Reader"), None);
        saved.choose(grant(ADA, "Data Reader"), None);
        let chosen: Vec<_> = saved
            .desired
            .grants
            .iter()
            .map(|g| (g.principal.object_id.as_str(), g.policy.as_str()))
            .collect();
        assert_eq!(chosen, [(APP, "Data Reader"), (ADA, "Data Reader")]);
    }

    #[test]
    fn a_custom_policy_of_the_same_name_is_redefined_not_duplicated() {
        let mut saved = Saved::default();
        let define = |permissions: &str| CustomPolicy {
            name: PolicyName::parse("Orders Reader").unwrap(),
            permissions: Permissions::parse(permissions).unwrap(),
        };
        saved.choose(grant(ADA, "Orders Reader"), Some(define("+@read")));
        saved.choose(grant(APP, "orders reader"), Some(define("+get")));
        assert_eq!(saved.desired.custom_policies.len(), 1);
        assert!(saved.desired.custom_policies[0].permissions.same_as("+get"));
    }

    #[test]
    fn a_custom_policy_no_chosen_user_holds_any_more_leaves_the_plan() {
        let mut saved = Saved::default();
        let define = |name: &str| CustomPolicy {
            name: PolicyName::parse(name).unwrap(),
            permissions: Permissions::parse("+@read").unwrap(),
        };
        saved.choose(grant(ADA, "Orders Reader"), Some(define("Orders Reader")));
        saved.choose(grant(APP, "Orders Reader"), None);
        saved.choose(grant(ADA, "Cart Reader"), Some(define("Cart Reader")));
        let names = |saved: &Saved| -> Vec<String> {
            saved
                .desired
                .custom_policies
                .iter()
                .map(|c| c.name.to_string())
                .collect()
        };
        assert_eq!(names(&saved), ["Orders Reader", "Cart Reader"]);
        saved.remove(&ObjectId::parse(APP).unwrap());
        assert_eq!(names(&saved), ["Cart Reader"], "nobody holds Orders Reader");
        saved.remove(&ObjectId::parse(ADA).unwrap());
        assert!(saved.desired.custom_policies.is_empty());
    }

    #[test]
    fn only_a_run_after_a_finished_one_forgets_the_earlier_changes() {
        let mut saved = Saved {
            applied: vec!["Enable Entra.".into()],
            started: true,
            ..Saved::default()
        };
        saved.begin_run(&Plan::default());
        assert_eq!(
            saved.applied,
            ["Enable Entra."],
            "an interrupted run goes on"
        );
        saved.started = false;
        saved.begin_run(&Plan::default());
        assert!(saved.applied.is_empty() && saved.started);
    }

    #[test]
    fn the_saved_state_round_trips_through_json() {
        let mut saved = Saved {
            admin_proposed: true,
            started: true,
            ..Saved::default()
        };
        saved.choose(grant(ADA, "Data Owner"), None);
        saved
            .applied
            .push("Make Ada a Redis user with Data Owner.".into());
        let text = serde_json::to_string(&saved).unwrap();
        assert_eq!(serde_json::from_str::<Saved>(&text).unwrap(), saved);
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_reload_finds_the_state_under_any_casing_of_the_cache_id() {
        let written = ResourceId::parse(
            "/subscriptions/3c9e8d2a-1f4b-4a6c-8e7d-5b2a9c0f1e34/resourceGroups/orders-rg/providers/Microsoft.Cache/Redis/contoso-orders",
        )
        .unwrap();
        let read = ResourceId::parse(
            "/SUBSCRIPTIONS/3C9E8D2A-1F4B-4A6C-8E7D-5B2A9C0F1E34/resourcegroups/Orders-RG/providers/microsoft.cache/redis/Contoso-Orders",
        )
        .unwrap();
        let other = ResourceId::parse(
            "/subscriptions/3c9e8d2a-1f4b-4a6c-8e7d-5b2a9c0f1e34/resourceGroups/orders-rg/providers/Microsoft.Cache/Redis/contoso-sessions",
        )
        .unwrap();
        let saved = Saved {
            admin_proposed: true,
            applied: vec!["Enable Entra.".into()],
            ..Saved::default()
        };
        saved.save(&written);
        assert_eq!(Saved::load(&read), saved);
        assert_eq!(Saved::load(&other), Saved::default());
    }
}
