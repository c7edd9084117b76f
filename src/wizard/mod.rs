//! The wizard's steps after sign-in: pick a cache, check it, Redis users, review, apply, done.
//! The address (`/cache/{sub}/{rg}/{name}/{step}`) names the cache and the step, so a reload or
//! a shared link lands in the same place; choices live in sessionStorage ([`state`]).
mod apply;
mod check;
mod context;
mod done;
mod error_view;
mod pick;
mod review;
mod search;
mod state;
mod step;
mod users;

pub use pick::PickCache;

use crate::api;
use crate::auth::{RequireSignIn, Session, use_session};
use crate::config::use_config;
use context::Wizard;
use keyless_core::ids::{CacheName, IdError, ResourceGroupName, ResourceId, SubscriptionId};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use step::Step;

/// Steps 2b-5 for one cache, chosen by the `:step` segment of the address.
#[component]
pub fn CacheStep() -> impl IntoView {
    view! {
        <RequireSignIn>
            {move || use_session().map(|session| view! { <CacheFromAddress session/> })}
        </RequireSignIn>
    }
}

/// Reads the cache and step from the address; the wizard is rebuilt only when the cache changes.
#[component]
fn CacheFromAddress(session: Session) -> impl IntoView {
    let session = StoredValue::new_local(session);
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            let part = |name| p.get(name).unwrap_or_default();
            cache_id(&part("sub"), &part("rg"), &part("name"))
        })
    });
    let step = Memo::new(move |_| params.with(|p| p.get("step").as_deref().and_then(Step::parse)));
    move || match id.get() {
        Ok(id) => view! { <CacheWizard session=session.get_value() id step/> }.into_any(),
        Err(error) => view! {
            <p class="error" role="alert" data-testid="error">{error.to_string()}</p>
        }
        .into_any(),
    }
}

fn cache_id(sub: &str, rg: &str, name: &str) -> Result<ResourceId, IdError> {
    Ok(ResourceId::new(
        SubscriptionId::parse(sub)?,
        ResourceGroupName::parse(rg)?,
        CacheName::parse(name)?,
    ))
}

/// One cache's wizard: provides the [`Wizard`] context and shows the step the address names.
#[component]
fn CacheWizard(session: Session, id: ResourceId, step: Memo<Option<Step>>) -> impl IntoView {
    let config = use_config();
    let (waiting, set_waiting) = signal(None);
    let name = id.name().to_string();
    let wizard = Wizard::new(
        id,
        api::arm(&session, &config, set_waiting),
        api::graph(&session, &config),
        session.account(),
        waiting,
    );
    provide_context(wizard);
    view! {
        <section class="wizard">
            <h1 class="cache-title">{name}</h1>
            <StepBar current=step/>
            <WaitingNotice/>
            {move || match step.get() {
                Some(Step::Check) => view! { <check::CheckStep/> }.into_any(),
                Some(Step::Users) => view! { <users::UsersStep/> }.into_any(),
                Some(Step::Review) => view! { <review::ReviewStep/> }.into_any(),
                Some(Step::Apply) => view! { <apply::ApplyStep/> }.into_any(),
                Some(Step::Done) => view! { <done::DoneStep/> }.into_any(),
                None => view! {
                    <p class="error" role="alert" data-testid="error">
                        "This step does not exist. "
                        <a href=wizard.path(Step::Check)>"Start with the check."</a>
                    </p>
                }
                .into_any(),
            }}
        </section>
    }
}

/// Where the admin stands among the steps.
#[component]
fn StepBar(current: Memo<Option<Step>>) -> impl IntoView {
    view! {
        <ol class="step-bar">
            {Step::ALL
                .into_iter()
                .map(|step| {
                    let here = move || (current.get() == Some(step)).then_some("step");
                    view! { <li aria-current=here>{step.title()}</li> }
                })
                .collect_view()}
        </ol>
    }
}

/// Says why nothing seems to happen while Azure asked to wait (409 busy, 429 throttled).
#[component]
fn WaitingNotice() -> impl IntoView {
    let wizard = context::use_wizard();
    move || {
        wizard.waiting.get().map(|w| {
            let why = if w.status == 409 { "the cache is busy" } else { "Azure asked to slow down" };
            view! {
                <p class="waiting" role="status" data-testid="waiting" data-status=w.status>
                    {format!("HTTP {}: {why}. Retrying in {} s (retry {}).", w.status, w.seconds, w.retry)}
                </p>
            }
        })
    }
}
