//! Long-running operations: which header to follow, how long to wait, when it has ended.
//!
//! Every write Keyless makes may answer before the work is done (201/202 with a status URL).
//! The app sends the write, hands the answer to [`Operation::start`], then loops: wait, GET the
//! operation's URL verbatim, hand the answer to [`Operation::observe`], until it says the
//! operation has ended. Time comes from the caller, so this stays pure.

use crate::arm::{ArmError, Backoff, ErrorDetail, ProvisioningState, parse_retry_after};
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// Header to follow first: its URL answers with a status body.
pub const AZURE_ASYNC_OPERATION: &str = "Azure-AsyncOperation";
/// Header to follow otherwise: its URL answers 202 while running, then 200 or 204.
pub const LOCATION: &str = "Location";
/// Seconds to wait before the next poll.
pub const RETRY_AFTER: &str = "Retry-After";

/// The parts of an HTTP answer that decide how to follow an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub azure_async_operation: Option<String>,
    pub location: Option<String>,
    pub retry_after: Option<String>,
}

impl Answer {
    /// Reads the three headers through `header`, a case-insensitive lookup such as the
    /// browser's `Headers.get`.
    pub fn from_headers(status: u16, header: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            status,
            azure_async_operation: header(AZURE_ASYNC_OPERATION),
            location: header(LOCATION),
            retry_after: header(RETRY_AFTER),
        }
    }
}

/// How long an operation may take and how often to poll it when the service does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub deadline: Duration,
    pub interval: Duration,
}

impl Timing {
    /// Enabling Entra reboots every node: recorded runs took about 16 minutes, the documentation
    /// says up to 30; 45 leaves room before the admin is told to check the portal.
    pub const ENABLE_ENTRA: Timing = Timing {
        deadline: Duration::from_secs(45 * 60),
        interval: Duration::from_secs(15),
    };
    /// Disabling access keys also reconfigures the nodes.
    pub const DISABLE_ACCESS_KEYS: Timing = Timing {
        deadline: Duration::from_secs(30 * 60),
        interval: Duration::from_secs(10),
    };
    /// Policies and assignments: about 90 seconds recorded.
    pub const DEFAULT: Timing = Timing {
        deadline: Duration::from_secs(10 * 60),
        interval: Duration::from_secs(5),
    };
}

/// Longest wait between polls, whatever `Retry-After` says, so progress stays live.
const MAX_POLL_WAIT: Duration = Duration::from_secs(60);

/// Which URL an operation is followed through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    AsyncOperation,
    Location,
}

/// A running operation being followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The header's URL, to GET verbatim (it is signed; never rebuild or re-encode it).
    pub url: String,
    pub via: Via,
    pub timing: Timing,
}

/// What to do after an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Still running: wait this long, then poll [`Operation::url`] again.
    Wait(Duration),
    Succeeded,
    /// The operation ended `Failed`: show the error and stop the run.
    Failed(ArmError),
    /// The operation ended `Canceled` (someone or something else stopped it).
    Canceled(ArmError),
    /// A poll was answered with an error that waiting will not fix (401, 403, 404...).
    Refused(ArmError),
    /// The deadline passed while it was still running. It may yet finish: the admin should
    /// check the cache later; resuming re-reads its state.
    TimedOut,
}

impl Operation {
    /// Decides how to follow a successful write's answer: `Azure-AsyncOperation` first, else
    /// `Location`, else `None` (the write completed synchronously).
    pub fn start(answer: &Answer, timing: Timing) -> Option<Operation> {
        let url = |h: &Option<String>| {
            h.as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_owned)
        };
        let (url, via) = match (url(&answer.azure_async_operation), url(&answer.location)) {
            (Some(u), _) => (u, Via::AsyncOperation),
            (None, Some(u)) => (u, Via::Location),
            (None, None) => return None,
        };
        Some(Operation { url, via, timing })
    }

    /// The wait before the first poll (or after any still-running answer).
    pub fn wait(&self, retry_after: Option<&str>) -> Duration {
        retry_after
            .and_then(parse_retry_after)
            .unwrap_or(self.timing.interval)
            .min(MAX_POLL_WAIT)
    }

    /// Reads a poll's answer. `elapsed` is the time since the write was sent; `retry` counts the
    /// consecutive throttled or failing polls so far (0 after a good one).
    pub fn observe(&self, poll: &Answer, body: &str, elapsed: Duration, retry: u32) -> Step {
        let retry_after = poll.retry_after.as_deref();
        let step = if !(200..300).contains(&poll.status) {
            match Backoff::default().delay(poll.status, retry_after, retry) {
                Some(delay) => Step::Wait(delay.min(MAX_POLL_WAIT)),
                None => return Step::Refused(ArmError::from_response(poll.status, body)),
            }
        } else if self.via == Via::Location {
            if poll.status == 202 {
                Step::Wait(self.wait(retry_after))
            } else {
                Step::Succeeded
            }
        } else {
            // A body that does not read as a status is treated as still running: the deadline
            // bounds the wait, and a half-read answer must not end a 30-minute operation.
            let status = serde_json::from_str::<OperationStatus>(body).ok();
            match status.map(|s| (s.status, s.error)) {
                Some((OperationState::Succeeded, _)) => Step::Succeeded,
                Some((OperationState::Failed, error)) => {
                    Step::Failed(ended(poll.status, error, "OperationFailed", "failed"))
                }
                Some((OperationState::Canceled, error)) => {
                    Step::Canceled(ended(poll.status, error, "Canceled", "was canceled"))
                }
                Some((OperationState::InProgress, _)) | None => Step::Wait(self.wait(retry_after)),
            }
        };
        match step {
            Step::Wait(_) if elapsed >= self.timing.deadline => Step::TimedOut,
            step => step,
        }
    }
}

/// The body at an `Azure-AsyncOperation` URL.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OperationStatus {
    status: OperationState,
    #[serde(default)]
    error: Option<ErrorDetail>,
}

/// `status` of an operation; values outside the spec count as still running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OperationState {
    InProgress,
    Succeeded,
    Failed,
    Canceled,
}

impl<'de> Deserialize<'de> for OperationState {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?.to_ascii_lowercase();
        Ok(match s.as_str() {
            "succeeded" => Self::Succeeded,
            "failed" => Self::Failed,
            "canceled" | "cancelled" => Self::Canceled,
            _ => Self::InProgress,
        })
    }
}

/// The operation's own error, or one saying it ended without a reason.
fn ended(status: u16, error: Option<ErrorDetail>, code: &str, how: &str) -> ArmError {
    let detail = error
        .filter(|e| e.code.is_some() || e.message.is_some())
        .unwrap_or_else(|| ErrorDetail {
            code: Some(code.to_owned()),
            message: Some(format!("The operation {how} without giving a reason.")),
            ..ErrorDetail::default()
        });
    ArmError::from_detail(status, detail)
}

/// What the UI shows while an operation runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub elapsed: Duration,
    pub deadline: Duration,
    /// The cache's provisioning state from the latest GET, when the app re-reads it.
    pub state: Option<ProvisioningState>,
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(state) = &self.state {
            write!(f, "{state}, ")?;
        }
        write!(
            f,
            "{} elapsed (allowing up to {})",
            minutes_seconds(self.elapsed),
            minutes_seconds(self.deadline)
        )
    }
}

/// "42 s", "3 min 05 s", "45 min".
pub fn minutes_seconds(d: Duration) -> String {
    let (min, s) = (d.as_secs() / 60, d.as_secs() % 60);
    match (min, s) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s:02} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASYNC: &str = "https://management.azure.com/subscriptions/s/providers/Microsoft.Cache/locations/West%20Europe/asyncOperations/abc?api-version=2024-11-01&t=638&c=MIIH&s=sig&h=xyz";
    const LOC: &str = "https://management.azure.com/subscriptions/s/providers/Microsoft.Cache/locations/West%20Europe/operationResults/abc?api-version=2024-11-01";

    fn answer(status: u16, a: Option<&str>, l: Option<&str>, r: Option<&str>) -> Answer {
        let headers = [(AZURE_ASYNC_OPERATION, a), (LOCATION, l), (RETRY_AFTER, r)];
        Answer::from_headers(status, |name| {
            headers
                .iter()
                .find(|(h, _)| h.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| v.map(str::to_owned))
        })
    }

    fn op(via_async: bool) -> Operation {
        let a = if via_async {
            answer(202, Some(ASYNC), Some(LOC), None)
        } else {
            answer(202, None, Some(LOC), None)
        };
        Operation::start(&a, Timing::ENABLE_ENTRA).unwrap()
    }

    #[test]
    fn azure_async_operation_wins_over_location_and_is_used_verbatim() {
        let o = op(true);
        assert_eq!((o.url.as_str(), &o.via), (ASYNC, &Via::AsyncOperation));
        assert_eq!(op(false).via, Via::Location);
        let lower_case_names = Answer::from_headers(201, |name| {
            name.eq_ignore_ascii_case("azure-asyncoperation")
                .then(|| ASYNC.to_owned())
        });
        assert_eq!(
            Operation::start(&lower_case_names, Timing::DEFAULT)
                .unwrap()
                .url,
            ASYNC
        );
        assert_eq!(
            Operation::start(&answer(200, None, None, None), Timing::DEFAULT),
            None
        );
        assert_eq!(
            Operation::start(&answer(201, Some(" "), None, None), Timing::DEFAULT),
            None
        );
    }

    #[test]
    fn status_bodies_decide_the_end_and_unknown_means_running() {
        let o = op(true);
        let ok = answer(200, None, None, None);
        let t = Duration::from_secs(60);
        assert_eq!(
            o.observe(&ok, r#"{"status":"InProgress"}"#, t, 0),
            Step::Wait(Timing::ENABLE_ENTRA.interval)
        );
        assert_eq!(
            o.observe(&ok, r#"{"status":"Patching"}"#, t, 0),
            Step::Wait(Timing::ENABLE_ENTRA.interval)
        );
        assert_eq!(
            o.observe(&ok, r#"{"id":"x","status":"Succeeded","error":null}"#, t, 0),
            Step::Succeeded
        );
        let Step::Failed(e) = o.observe(&ok, r#"{"status":"Failed","error":{"code":"InternalServerError","message":"Node reboot failed."}}"#, t, 0) else {
            panic!()
        };
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("InternalServerError", "Node reboot failed.")
        );
        let Step::Canceled(e) = o.observe(&ok, r#"{"status":"Canceled"}"#, t, 0) else {
            panic!()
        };
        assert_eq!(e.code, "Canceled");
        assert!(e.message.contains("was canceled"));
    }

    #[test]
    fn location_polls_end_on_200_or_204() {
        let o = op(false);
        let t = Duration::from_secs(1);
        assert_eq!(
            o.observe(&answer(202, None, None, Some("3")), "", t, 0),
            Step::Wait(Duration::from_secs(3))
        );
        assert_eq!(
            o.observe(&answer(204, None, None, None), "", t, 0),
            Step::Succeeded
        );
        assert_eq!(
            o.observe(&answer(200, None, None, None), "{}", t, 0),
            Step::Succeeded
        );
    }

    #[test]
    fn retry_after_is_honoured_but_capped_and_throttled_polls_back_off() {
        let o = op(true);
        assert_eq!(o.wait(Some("20")), Duration::from_secs(20));
        assert_eq!(o.wait(Some("600")), MAX_POLL_WAIT);
        assert_eq!(o.wait(None), Duration::from_secs(15));
        let throttled = answer(429, None, None, Some("7"));
        assert_eq!(
            o.observe(&throttled, "", Duration::ZERO, 0),
            Step::Wait(Duration::from_secs(7))
        );
        let Step::Refused(e) = o.observe(
            &answer(403, None, None, None),
            r#"{"error":{"code":"AuthorizationFailed","message":"no"}}"#,
            Duration::ZERO,
            0,
        ) else {
            panic!()
        };
        assert_eq!(e.code, "AuthorizationFailed");
    }

    #[test]
    fn enabling_entra_may_run_45_minutes_others_less() {
        let o = op(true);
        let running = answer(200, None, None, None);
        assert!(matches!(
            o.observe(
                &running,
                r#"{"status":"InProgress"}"#,
                Duration::from_secs(44 * 60),
                0
            ),
            Step::Wait(_)
        ));
        assert_eq!(
            o.observe(
                &running,
                r#"{"status":"InProgress"}"#,
                Duration::from_secs(45 * 60),
                0
            ),
            Step::TimedOut
        );
        assert!(Timing::DEFAULT.deadline < Timing::ENABLE_ENTRA.deadline);
        assert!(Timing::DISABLE_ACCESS_KEYS.deadline < Timing::ENABLE_ENTRA.deadline);
    }

    #[test]
    fn progress_reads_naturally() {
        let p = Progress {
            elapsed: Duration::from_secs(185),
            deadline: Timing::ENABLE_ENTRA.deadline,
            state: Some(ProvisioningState("ConfiguringAAD".into())),
        };
        assert_eq!(
            p.to_string(),
            "ConfiguringAAD, 3 min 05 s elapsed (allowing up to 45 min)"
        );
        assert_eq!(minutes_seconds(Duration::from_secs(42)), "42 s");
    }
}
