//! Following a long-running write to its end, with live progress for the page to show.
use super::arm::Arm;
use super::http::Reply;
use super::ApiError;
use keyless_core::lro::{self, Outcome, PollTarget};
use leptos::prelude::*;

/// What the page shows while an operation runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// When the write was sent (`Date.now()` milliseconds), so the elapsed clock survives a
    /// re-render.
    pub started_ms: f64,
    /// The operation's own status (`InProgress`, …), when the service reported one.
    pub status: String,
    /// The cache's provisioning state from the latest re-read (`ConfiguringAAD`, `Updating`, …).
    pub provisioning_state: Option<String>,
}

/// Follows the operation `accepted` started on the cache `cache`, until it ends or outlives
/// `lro::deadline_for(write)`. Progress goes to `progress` after every poll.
pub async fn follow(
    arm: &Arm,
    accepted: &Reply,
    cache: &keyless_core::arm::CacheId,
    deadline: std::time::Duration,
    progress: WriteSignal<Option<Progress>>,
) -> Result<(), ApiError> {
    let started_ms = js_sys::Date::now();
    let Some(target) = PollTarget::from_headers(|name| accepted.header(name)) else {
        return Ok(());
    };
    let mut wait = lro::retry_after(accepted.header("retry-after").as_deref());
    loop {
        gloo_timers::future::sleep(wait).await;
        if js_sys::Date::now() - started_ms > deadline.as_millis() as f64 {
            return Err(ApiError::TimedOut { minutes: deadline.as_secs() / 60 });
        }
        let reply = arm.poll(target.url()).await?;
        let outcome = target.outcome(reply.status, &reply.body);
        let provisioning_state = arm.cache(cache).await.ok().map(|c| c.provisioning_state());
        progress.set(Some(Progress {
            started_ms,
            status: outcome.to_string(),
            provisioning_state,
        }));
        match outcome {
            Outcome::Running => wait = lro::retry_after(reply.header("retry-after").as_deref()),
            Outcome::Succeeded => return Ok(()),
            Outcome::Failed { status, code, message } => {
                return Err(ApiError::OperationFailed { status, code, message });
            }
        }
    }
}
