//! Long-running operations. An operation changes one cache; it walks through timed phases and
//! lands its change when the last phase ends (or rolls it back when scripted to fail). Progress
//! is computed lazily from the clock whenever the state is read.

use crate::resources::{AccessPolicy, Assignment, Cache, Sku};
use crate::timing::Phase;
use serde_json::{Map, Value};
use std::time::{Duration, Instant};

/// What an operation does to its cache once it ends well.
#[derive(Debug, Clone)]
pub enum Change {
    Patch(CachePatch),
    PutPolicy { new: AccessPolicy, previous: Option<AccessPolicy> },
    DeletePolicy { name: String },
    PutAssignment { new: Assignment, previous: Option<Assignment> },
    DeleteAssignment { name: String },
}

/// The properties a PATCH changes; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CachePatch {
    pub redis_configuration: Map<String, Value>,
    pub enable_non_ssl_port: Option<bool>,
    pub minimum_tls_version: Option<String>,
    pub public_network_access: Option<String>,
    pub disable_access_key_authentication: Option<bool>,
    pub redis_version: Option<String>,
    pub sku: Option<Sku>,
    pub tags: Option<Map<String, Value>>,
}

impl CachePatch {
    fn apply(&self, cache: &mut Cache) {
        cache.redis_configuration.extend(self.redis_configuration.clone());
        if let Some(v) = self.enable_non_ssl_port {
            cache.enable_non_ssl_port = v;
        }
        if let Some(v) = &self.minimum_tls_version {
            cache.minimum_tls_version = v.clone();
        }
        if let Some(v) = &self.public_network_access {
            cache.public_network_access = v.clone();
        }
        if let Some(v) = self.disable_access_key_authentication {
            cache.disable_access_key_authentication = v;
        }
        if let Some(v) = &self.redis_version {
            cache.redis_version = v.clone();
        }
        if let Some(v) = &self.sku {
            cache.sku = v.clone();
        }
        if let Some(v) = &self.tags {
            cache.tags = v.clone();
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    InProgress,
    Succeeded,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InProgress => "InProgress",
            Status::Succeeded => "Succeeded",
            Status::Failed => "Failed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    pub subscription_id: String,
    /// Region display name of the cache, as it appears in the status URL.
    pub location: String,
    pub cache: usize,
    pub started: Instant,
    pub start_time: String,
    pub end_time: Option<String>,
    pub phases: Vec<Phase>,
    pub change: Change,
    /// Scripted by a fault: the operation ends Failed and its change is rolled back.
    pub fails: bool,
    pub polls: u32,
    pub status: Status,
}

impl Operation {
    fn total(&self) -> Duration {
        self.phases.iter().map(|p| p.duration).sum()
    }

    /// The phase running `elapsed` after the start, or None once all have ended.
    fn phase_at(&self, elapsed: Duration) -> Option<&Phase> {
        let mut end = Duration::ZERO;
        self.phases.iter().find(|p| {
            end += p.duration;
            elapsed < end
        })
    }

    pub fn percent_complete(&self, now: Instant) -> f64 {
        let total = self.total().as_secs_f64();
        if self.status != Status::InProgress || total == 0.0 {
            return 100.0;
        }
        (now.duration_since(self.started).as_secs_f64() / total * 100.0).min(99.0).floor()
    }

    /// Starts the change on the cache: the item being written shows Updating or Deleting.
    pub fn begin(&self, cache: &mut Cache) {
        cache.provisioning_state = self.phases.first().map_or("Updating", |p| p.state).to_owned();
        match &self.change {
            Change::Patch(_) => {}
            Change::PutPolicy { new, .. } => {
                cache.access_policies.retain(|p| !p.name.eq_ignore_ascii_case(&new.name));
                cache.access_policies.push(AccessPolicy { provisioning_state: "Updating".into(), ..new.clone() });
            }
            Change::DeletePolicy { name } => mark(&mut cache.access_policies, |p| &p.name, name, |p| &mut p.provisioning_state, "Deleting"),
            Change::PutAssignment { new, .. } => {
                cache.access_policy_assignments.retain(|a| !a.name.eq_ignore_ascii_case(&new.name));
                cache.access_policy_assignments.push(Assignment { provisioning_state: "Updating".into(), ..new.clone() });
            }
            Change::DeleteAssignment { name } => {
                mark(&mut cache.access_policy_assignments, |a| &a.name, name, |a| &mut a.provisioning_state, "Deleting")
            }
        }
    }

    /// Moves the operation and its cache to where the clock says they are.
    pub fn advance(&mut self, now: Instant, cache: &mut Cache) {
        if self.status != Status::InProgress {
            return;
        }
        let elapsed = now.duration_since(self.started);
        if let Some(phase) = self.phase_at(elapsed) {
            cache.provisioning_state = phase.state.to_owned();
            return;
        }
        if self.fails { self.roll_back(cache) } else { self.land(cache) }
        cache.provisioning_state = "Succeeded".into();
        self.status = if self.fails { Status::Failed } else { Status::Succeeded };
        self.end_time = Some(crate::util::now_rfc3339());
    }

    fn land(&self, cache: &mut Cache) {
        match &self.change {
            Change::Patch(patch) => patch.apply(cache),
            Change::PutPolicy { new, .. } => mark(&mut cache.access_policies, |p| &p.name, &new.name, |p| &mut p.provisioning_state, "Succeeded"),
            Change::DeletePolicy { name } => cache.access_policies.retain(|p| !p.name.eq_ignore_ascii_case(name)),
            Change::PutAssignment { new, .. } => {
                mark(&mut cache.access_policy_assignments, |a| &a.name, &new.name, |a| &mut a.provisioning_state, "Succeeded")
            }
            Change::DeleteAssignment { name } => cache.access_policy_assignments.retain(|a| !a.name.eq_ignore_ascii_case(name)),
        }
    }

    fn roll_back(&self, cache: &mut Cache) {
        match &self.change {
            Change::Patch(_) => {}
            Change::PutPolicy { new, previous } => {
                cache.access_policies.retain(|p| !p.name.eq_ignore_ascii_case(&new.name));
                cache.access_policies.extend(previous.clone());
            }
            Change::DeletePolicy { name } => mark(&mut cache.access_policies, |p| &p.name, name, |p| &mut p.provisioning_state, "Succeeded"),
            Change::PutAssignment { new, previous } => {
                cache.access_policy_assignments.retain(|a| !a.name.eq_ignore_ascii_case(&new.name));
                cache.access_policy_assignments.extend(previous.clone());
            }
            Change::DeleteAssignment { name } => {
                mark(&mut cache.access_policy_assignments, |a| &a.name, name, |a| &mut a.provisioning_state, "Succeeded")
            }
        }
    }
}

/// Sets the provisioning state of the named item of a list.
fn mark<T>(items: &mut [T], name: impl Fn(&T) -> &String, wanted: &str, state: impl Fn(&mut T) -> &mut String, value: &str) {
    for item in items.iter_mut().filter(|i| name(i).eq_ignore_ascii_case(wanted)) {
        *state(item) = value.to_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timing::{Profile, Timing};

    fn cache() -> Cache {
        Cache::new("s", "rg", "c", Sku { name: "Premium".into(), family: "P".into(), capacity: 1 })
    }

    fn enabling(fails: bool) -> Operation {
        let mut patch = CachePatch::default();
        patch.redis_configuration.insert("aad-enabled".into(), "True".into());
        Operation {
            id: "op".into(),
            subscription_id: "s".into(),
            location: "West Europe".into(),
            cache: 0,
            started: Instant::now(),
            start_time: String::new(),
            end_time: None,
            phases: Timing::of(Profile::Demo).enable_aad,
            change: Change::Patch(patch),
            fails,
            polls: 0,
            status: Status::InProgress,
        }
    }

    #[test]
    fn demo_enabling_walks_its_states_and_lands_at_the_end() {
        let mut cache = cache();
        let mut operation = enabling(false);
        operation.begin(&mut cache);
        let at = |secs: u64| operation.started + Duration::from_secs(secs);
        let (start, middle, late, end) = (at(1), at(25), at(29), at(31));
        operation.advance(start, &mut cache);
        assert_eq!((cache.provisioning_state.as_str(), cache.aad_enabled()), ("ConfiguringAAD", false));
        operation.advance(middle, &mut cache);
        assert_eq!(cache.provisioning_state, "Updating");
        assert!(operation.percent_complete(late) < 100.0);
        operation.advance(end, &mut cache);
        assert_eq!((cache.provisioning_state.as_str(), operation.status), ("Succeeded", Status::Succeeded));
        assert_eq!(cache.redis_configuration["aad-enabled"], "True");
    }

    #[test]
    fn a_failing_operation_leaves_the_cache_as_it_was() {
        let mut cache = cache();
        let mut operation = enabling(true);
        operation.begin(&mut cache);
        operation.advance(operation.started + Duration::from_secs(60), &mut cache);
        assert_eq!(operation.status, Status::Failed);
        assert!(!cache.aad_enabled());
        assert!(!cache.is_busy());
    }

    #[test]
    fn a_new_assignment_shows_updating_and_is_removed_if_the_operation_fails() {
        let mut cache = cache();
        let new = Assignment {
            name: "dana".into(),
            access_policy_name: "Data Owner".into(),
            object_id: "d".into(),
            object_id_alias: "dana".into(),
            provisioning_state: "Updating".into(),
        };
        let mut operation = Operation { change: Change::PutAssignment { new, previous: None }, ..enabling(true) };
        operation.begin(&mut cache);
        assert_eq!(cache.assignment("dana").unwrap().provisioning_state, "Updating");
        operation.advance(operation.started + Duration::from_secs(60), &mut cache);
        assert!(cache.assignment("dana").is_none());
    }
}
