//! The review: every write the plan will send, in order, exactly as it will be sent.
use super::context::use_wizard;
use super::error_view::ErrorBox;
use super::step::Step;
use keyless_core::eligibility;
use keyless_core::plan::{self, Current, Plan, Write};
use leptos::prelude::*;

/// Step 4a: the plan, then "Apply".
#[component]
pub fn ReviewStep() -> impl IntoView {
    let wizard = use_wizard();
    // The plan must describe the cache as it is now, not as it was at the check.
    wizard.current.refetch();
    view! {
        <h2>"Review the plan"</h2>
        <Transition fallback=|| view! { <p class="loading">"Reading the cache…"</p> }>
            {move || Suspend::new(async move {
                match wizard.current.await {
                    Ok(current) => view! { <Review current/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Review(current: Current) -> impl IntoView {
    let wizard = use_wizard();
    let back = wizard.go(Step::Users);
    let apply = wizard.go(Step::Apply);
    // A link can lead here without passing the check: a blocked cache gets no Apply button.
    let blocked = !eligibility::assess(&current.cache, false).can_proceed();
    let planned = Memo::new(move |_| wizard.saved.with(|s| plan::compute(&current, &s.desired)));
    view! {
        {blocked.then(|| view! {
            <p class="error" role="alert" data-testid="error">
                "This cache cannot switch to Microsoft Entra authentication. "
                <a href=wizard.path(Step::Check)>"See why."</a>
            </p>
        })}
        {move || match planned.get() {
            // Choices live in this tab's storage: a link opened elsewhere has none yet.
            Ok(_) if !wizard.saved.with(|s| s.desired.enable_entra) => view! {
                <p class="note" data-testid="nothing-chosen">
                    "Nothing has been chosen for this cache in this tab yet. "
                    <a href=wizard.path(Step::Users)>"Choose its Redis users first."</a>
                </p>
            }
            .into_any(),
            Ok(plan) => view! { <PlanView plan/> }.into_any(),
            Err(error) => view! {
                <p class="error" role="alert" data-testid="error">{error.to_string()}</p>
            }
            .into_any(),
        }}
        <div class="actions">
            <button class="secondary" on:click=move |_| back()>"Back"</button>
            <button
                data-testid="apply"
                disabled=move || blocked || !planned.with(|p| p.as_ref().is_ok_and(|p| !p.is_done()))
                on:click=move |_| {
                    if let Ok(plan) = planned.get_untracked() {
                        wizard.saved.update(|s| s.begin_run(&plan));
                        wizard.apply_requested.set(true);
                        apply();
                    }
                }
            >
                "Apply"
            </button>
        </div>
    }
}

/// The writes of a plan, numbered, and what was asked for but held back.
#[component]
pub fn PlanView(plan: Plan) -> impl IntoView {
    view! {
        {plan.is_done().then(|| view! { <p class="note" data-testid="plan-empty">"Nothing to change: the cache already matches."</p> })}
        <ol class="plan">
            {plan.writes.into_iter().map(|write| view! { <WriteItem write/> }).collect_view()}
        </ol>
        {plan
            .held_back
            .into_iter()
            .map(|why| view! { <p class="note" data-testid="held-back">{why.to_string()}</p> })
            .collect_view()}
    }
}

/// One write: what it does, then the method, path and body that will be sent.
#[component]
pub fn WriteItem(
    write: Write,
    /// Where a run stands with it: `done`, `running` or `pending`; absent before any run.
    #[prop(optional)]
    state: Option<&'static str>,
) -> impl IntoView {
    let body = serde_json::to_string_pretty(&write.body).unwrap_or_default();
    view! {
        <li
            class="plan-write"
            data-testid="plan-write"
            data-method=write.method.as_str()
            data-path=write.path.clone()
            data-state=state
        >
            <p>{write.summary.clone()}</p>
            {write.warning().map(|w| view! { <p class="warning" data-testid="write-warning">{w}</p> })}
            <code class="request">{format!("{} {}", write.method, write.path)}</code>
            <pre class="body">{body}</pre>
        </li>
    }
}
