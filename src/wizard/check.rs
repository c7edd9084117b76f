//! The check: the cache re-read through Resource Manager (Resource Graph lags), and whether it
//! can switch to Microsoft Entra authentication.
use super::context::use_wizard;
use super::error_view::ErrorBox;
use super::step::Step;
use keyless_core::arm::{Cache, Subscription};
use keyless_core::eligibility::{self, Reason, Verdict};
use leptos::prelude::*;

/// The verdict with its reasons; Continue only when the cache is not blocked.
#[component]
pub fn CheckStep() -> impl IntoView {
    let wizard = use_wizard();
    // Unreadable, it blocks nothing here: a write would still be refused with the service's
    // own explanation.
    let subscription = LocalResource::new(move || {
        let arm = wizard.arm.get_value();
        let id = wizard.id.get_value();
        async move { arm.subscription(id.subscription()).await.ok() }
    });
    view! {
        <h2>"Can this cache use Microsoft Entra authentication?"</h2>
        <Transition fallback=|| view! { <p class="loading">"Reading the cache…"</p> }>
            {move || Suspend::new(async move {
                match wizard.current.await {
                    Ok(current) => {
                        let subscription = subscription.await;
                        view! { <Assessment cache=current.cache subscription/> }.into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Assessment(cache: Cache, subscription: Option<Subscription>) -> impl IntoView {
    let wizard = use_wizard();
    let disable_keys = wizard
        .saved
        .with_untracked(|s| s.desired.disable_access_keys);
    let mut assessment = eligibility::assess(&cache, disable_keys);
    if let Some(subscription) = &subscription {
        assessment = assessment.in_subscription(subscription);
    }
    let can_proceed = assessment.can_proceed();
    let (kind, headline, reasons) = match assessment.verdict {
        Verdict::Blocked(reasons) => ("blocked", "Not possible yet", reasons),
        Verdict::Warnings(reasons) => ("warnings", "Possible, with warnings", reasons),
        Verdict::Ready => ("ready", "Ready", Vec::new()),
    };
    let facts = format!(
        "{} · Redis {} · {} · {}",
        cache.tier(),
        cache
            .properties
            .redis_version
            .as_deref()
            .unwrap_or("unknown"),
        cache.location,
        cache
            .properties
            .provisioning_state
            .as_ref()
            .map_or("state unknown", |s| s.as_str()),
    );
    let next = wizard.go(Step::Users);
    view! {
        <p class="facts">{facts}</p>
        <div class=format!("verdict verdict-{kind}") data-testid="verdict" data-verdict=kind>
            <h3>{headline}</h3>
            <ReasonList reasons testid="reason"/>
            <ReasonList reasons=assessment.notes testid="note"/>
        </div>
        <div class="actions">
            <a href="/caches">"Back to the caches"</a>
            <button data-testid="continue" disabled=!can_proceed on:click=move |_| next()>
                "Continue"
            </button>
        </div>
    }
}

#[component]
fn ReasonList(reasons: Vec<Reason>, testid: &'static str) -> impl IntoView {
    (!reasons.is_empty()).then(|| {
        view! {
            <ul class="reasons">
                {reasons
                    .into_iter()
                    .map(|reason| view! { <li data-testid=testid>{reason.to_string()}</li> })
                    .collect_view()}
            </ul>
        }
    })
}
