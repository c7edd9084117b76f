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
    let clock = Clock::start();
    loop {
        let state = arm.cache(cache).await?.properties.provisioning_state;
        if !state.as_ref().is_some_and(ProvisioningState::is_busy) {
            return Ok(());
        }
        if clock.elapsed() >= timing.deadline {
            return Err(ApiError::TimedOut {
                minutes: timing.deadline.as_secs() / 60,
            });
        }
        let mut shown = Progress {
            elapsed: clock.elapsed(),
            deadline: timing.deadline,
            state,
        };
        progress.set(Some(shown.clone()));
        clock.sleep(timing.interval, &mut shown, progress).await;
    }
}

/// The elapsed time of one wait, as the page shows it.
struct Clock(f64);

impl Clock {
    fn start() -> Self {
        Self(js_sys::Date::now())
    }

    fn elapsed(&self) -> Duration {
        Duration::from_millis((js_sys::Date::now() - self.0).max(0.0) as u64)
    }

    /// Sleeps for `wait` in short slices, so the elapsed clock on the page keeps moving.
    async fn sleep(
        &self,
        wait: Duration,
        shown: &mut Progress,
        progress: WriteSignal<Option<Progress>>,
    ) {
        let until = self.elapsed() + wait;
        while self.elapsed() < until {
            gloo_timers::future::sleep(TICK.min(until - self.elapsed())).await;
            shown.elapsed = self.elapsed();
            progress.set(Some(shown.clone()));
        }
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
    let clock = Clock::start();
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
        clock.sleep(wait, &mut shown, progress).await;
        let poll = arm.poll(&operation.url).await?;
        if let Ok(now) = arm.cache(cache).await {
            shown.state = now.properties.provisioning_state;
        }
        shown.elapsed = clock.elapsed();
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

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::api::http::Http;
    use crate::api::stand_in::{script, sent};
    use crate::auth::Resource;
    use keyless_core::lro::Answer;
    use serde_json::json;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    const CACHE: &str = "/subscriptions/3c9e8d2a-1f4b-4a6c-8e7d-5b2a9c0f1e34/resourceGroups/orders-rg/providers/Microsoft.Cache/redis/contoso-orders";
    const CACHE_GET: &str = "GET http://arm.test/subscriptions/3c9e8d2a-1f4b-4a6c-8e7d-5b2a9c0f1e34/resourceGroups/orders-rg/providers/Microsoft.Cache/redis/contoso-orders?api-version=2024-11-01 Bearer t-1";
    /// Polls at once, so the tests take no time.
    const QUICK: Timing = Timing {
        deadline: Duration::from_secs(60),
        interval: Duration::ZERO,
    };

    fn cache(state: &str) -> serde_json::Value {
        json!({"id": CACHE, "name": "contoso-orders", "properties": {"provisioningState": state}})
    }

    /// A write's answer carrying `headers`.
    fn accepted(headers: &'static [(&'static str, &'static str)]) -> Reply {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| (*v).to_owned())
        };
        Reply {
            answer: Answer::from_headers(202, header),
            body: String::new(),
        }
    }

    async fn follow_with(accepted: Reply) -> (Result<(), ApiError>, Option<Progress>) {
        let arm = Arm::new(Http::fixed(Resource::Arm), "http://arm.test");
        let (progress, set_progress) = signal(None);
        let id = ResourceId::parse(CACHE).unwrap();
        let outcome = follow(&arm, &accepted, &id, QUICK, set_progress).await;
        (outcome, progress.get_untracked())
    }

    const OPERATION: &str = "http://arm.test/subscriptions/s/providers/Microsoft.Cache/locations/West%20Europe/asyncOperations/1?api-version=2024-11-01&t=1&c=2";

    #[wasm_bindgen_test]
    async fn the_async_operation_url_is_polled_verbatim_until_it_succeeds() {
        script(json!([
            [200, {}, {"status": "InProgress"}],
            [200, {}, cache("ConfiguringAAD")],
            [200, {}, {"status": "Succeeded"}],
            [200, {}, cache("Succeeded")],
        ]));
        let (outcome, progress) = follow_with(accepted(&[
            ("Azure-AsyncOperation", OPERATION),
            ("Location", "http://arm.test/not-this-one"),
            ("Retry-After", "0"),
        ]))
        .await;
        outcome.unwrap();
        let poll = format!("GET {OPERATION} Bearer t-1");
        assert_eq!(sent(), [poll.as_str(), CACHE_GET, poll.as_str(), CACHE_GET]);
        let state = progress.and_then(|p| p.state).map(|s| s.to_string());
        assert_eq!(state.as_deref(), Some("Succeeded"));
    }

    #[wasm_bindgen_test]
    async fn without_an_async_operation_header_the_location_is_followed_to_its_200() {
        script(json!([
            [202, {"Retry-After": "0"}, null],
            [200, {}, cache("Updating")],
            [200, {}, null],
            [200, {}, cache("Succeeded")],
        ]));
        let (outcome, _) = follow_with(accepted(&[(
            "Location",
            "http://arm.test/results/7?api-version=2024-11-01",
        )]))
        .await;
        outcome.unwrap();
        assert_eq!(
            sent()[0],
            "GET http://arm.test/results/7?api-version=2024-11-01 Bearer t-1"
        );
        assert_eq!(sent().len(), 4);
    }

    #[wasm_bindgen_test]
    async fn an_operation_that_ends_failed_stops_with_its_error() {
        script(json!([
            [200, {}, {"status": "Failed", "error": {"code": "ResourceOperationFailure", "message": "It broke."}}],
            [200, {}, cache("Failed")],
        ]));
        let (outcome, _) = follow_with(accepted(&[
            ("Azure-AsyncOperation", OPERATION),
            ("Retry-After", "0"),
        ]))
        .await;
        let error = outcome.unwrap_err();
        assert!(matches!(error, ApiError::OperationFailed(_)), "{error:?}");
        assert_eq!(error.code(), Some("ResourceOperationFailure"));
    }

    #[wasm_bindgen_test]
    async fn a_write_answered_without_an_operation_has_nothing_to_follow() {
        script(json!([]));
        let (outcome, _) = follow_with(accepted(&[])).await;
        outcome.unwrap();
        assert!(sent().is_empty());
    }
}
