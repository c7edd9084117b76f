//! Following a long-running write to its end, with live progress for the page to show.
use super::ApiError;
use super::arm::Arm;
use super::http::Reply;
use keyless_core::arm::ProvisioningState;
use keyless_core::ids::ResourceId;
use keyless_core::lro::{Operation, Progress, Step, Timing};
use leptos::prelude::*;
use std::time::Duration;

/// How often the elapsed clock moves while waiting between polls.
const TICK: Duration = Duration::from_secs(1);

/// Waits until `cache` is no longer busy with an earlier operation (perhaps one started before
/// a reload), so the next write is not sent into it: a second write would be refused with 409,
/// or worse, disable access keys while Entra is still being switched on.
pub async fn settle(
    arm: &Arm,
    cache: &ResourceId,
    timing: Timing,
    progress: WriteSignal<Option<Progress>>,
) -> Result<(), ApiError> {
    let started = js_sys::Date::now();
    loop {
        let state = arm.cache(cache).await?.properties.provisioning_state;
        if !state.as_ref().is_some_and(ProvisioningState::is_busy) {
            return Ok(());
        }
        let elapsed = Duration::from_millis((js_sys::Date::now() - started).max(0.0) as u64);
        if elapsed >= timing.deadline {
            return Err(ApiError::TimedOut {
                minutes: timing.deadline.as_secs() / 60,
            });
        }
        progress.set(Some(Progress {
            elapsed,
            deadline: timing.deadline,
            state,
        }));
        gloo_timers::future::sleep(timing.interval).await;
    }
}

/// Follows the operation that `accepted` (the write's answer) started on `cache`, until it ends
/// or outlives `timing.deadline`. Each poll also re-reads the cache, so `progress` shows its
/// provisioning state (`ConfiguringAAD`, …) beside the elapsed time.
pub async fn follow(
    arm: &Arm,
    accepted: &Reply,
    cache: &ResourceId,
    timing: Timing,
    progress: WriteSignal<Option<Progress>>,
) -> Result<(), ApiError> {
    let started = js_sys::Date::now();
    let elapsed = move || Duration::from_millis((js_sys::Date::now() - started).max(0.0) as u64);
    let Some(operation) = Operation::start(&accepted.answer, timing) else {
        return Ok(());
    };
    let mut shown = Progress {
        elapsed: Duration::ZERO,
        deadline: timing.deadline,
        state: None,
    };
    let mut wait = operation.wait(accepted.answer.retry_after.as_deref());
    loop {
        // Sleep in short slices so the elapsed clock on the page keeps moving.
        let until = elapsed() + wait;
        while elapsed() < until {
            gloo_timers::future::sleep(TICK.min(until - elapsed())).await;
            shown.elapsed = elapsed();
            progress.set(Some(shown.clone()));
        }
        let poll = arm.poll(&operation.url).await?;
        if let Ok(now) = arm.cache(cache).await {
            shown.state = now.properties.provisioning_state;
        }
        shown.elapsed = elapsed();
        progress.set(Some(shown.clone()));
        match operation.observe(&poll.answer, &poll.body, shown.elapsed, 0) {
            Step::Wait(next) => wait = next,
            Step::Succeeded => return Ok(()),
            Step::Failed(error) | Step::Canceled(error) => {
                return Err(ApiError::OperationFailed(error));
            }
            Step::Refused(error) => return Err(ApiError::Arm(error)),
            Step::TimedOut => {
                return Err(ApiError::TimedOut {
                    minutes: timing.deadline.as_secs() / 60,
                });
            }
        }
    }
}
