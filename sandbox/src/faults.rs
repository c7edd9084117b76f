//! Scripted faults, as data: the next N requests matching a rule get the fault instead of (or
//! on top of) their normal answer.

use crate::state::Service;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// Answer with this status in the service's error shape, with Retry-After when given.
    Status {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
    },
    /// Close the connection without answering.
    Drop,
    /// Let the request start its long-running operation, which then ends Failed.
    LroFailed,
    /// Revoke every token and session of the caller, from this request on.
    RevokeTokens,
}

/// Statuses a fault may answer with.
const FAULT_STATUSES: [u16; 4] = [409, 429, 500, 503];

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    pub service: Service,
    /// Matches only this HTTP method (any but OPTIONS when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Matches only requests whose path and query contain this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_contains: Option<String>,
    /// How many matching requests get the fault.
    pub count: u32,
    pub fault: Fault,
}

impl FaultRule {
    fn matches(&self, service: Service, method: &str, path_and_query: &str) -> bool {
        let method_matches = match &self.method {
            Some(wanted) => wanted.eq_ignore_ascii_case(method),
            None => method != "OPTIONS",
        };
        self.service == service
            && method_matches
            && self.path_contains.as_deref().is_none_or(|part| path_and_query.contains(part))
    }
}

#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<FaultRule>,
}

impl Faults {
    pub fn add(&mut self, rule: FaultRule) -> Result<(), String> {
        if rule.count == 0 {
            return Err("count must be at least 1".into());
        }
        if let Fault::Status { status, .. } = rule.fault
            && !FAULT_STATUSES.contains(&status)
        {
            return Err(format!("status must be one of {FAULT_STATUSES:?}"));
        }
        self.rules.push(rule);
        Ok(())
    }

    pub fn pending(&self) -> &[FaultRule] {
        &self.rules
    }

    /// The fault for this request, if a rule matches; the first matching rule is used up by one.
    pub fn take(&mut self, service: Service, method: &str, path_and_query: &str) -> Option<Fault> {
        let index = self.rules.iter().position(|r| r.matches(service, method, path_and_query))?;
        let rule = &mut self.rules[index];
        rule.count -= 1;
        let fault = rule.fault.clone();
        if rule.count == 0 {
            self.rules.remove(index);
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(count: u32) -> FaultRule {
        serde_json::from_value(serde_json::json!({
            "service": "arm", "method": "PUT", "path_contains": "accessPolicyAssignments", "count": count,
            "fault": {"kind": "status", "status": 429, "retry_after": 2}
        }))
        .unwrap()
    }

    #[test]
    fn a_rule_serves_exactly_count_matching_requests() {
        let mut faults = Faults::default();
        faults.add(rule(2)).unwrap();
        assert_eq!(faults.take(Service::Arm, "GET", "/x/accessPolicyAssignments/a"), None);
        assert_eq!(faults.take(Service::Graph, "PUT", "/x/accessPolicyAssignments/a"), None);
        let expected = Some(Fault::Status { status: 429, retry_after: Some(2) });
        assert_eq!(faults.take(Service::Arm, "PUT", "/x/accessPolicyAssignments/a"), expected);
        assert_eq!(faults.take(Service::Arm, "put", "/x/accessPolicyAssignments/b"), expected);
        assert_eq!(faults.take(Service::Arm, "PUT", "/x/accessPolicyAssignments/c"), None);
    }

    #[test]
    fn unsupported_statuses_and_zero_counts_are_refused() {
        let mut faults = Faults::default();
        assert!(faults.add(rule(0)).is_err());
        let mut teapot = rule(1);
        teapot.fault = Fault::Status { status: 418, retry_after: None };
        assert!(faults.add(teapot).is_err());
    }
}
