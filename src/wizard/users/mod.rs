//! The Redis users step: who already holds an assignment, who is to be added or changed, and
//! whether access keys are to be disabled afterwards.
mod add;
mod policy;

use super::context::use_wizard;
use super::error_view::ErrorBox;
use super::step::Step;
use add::AddPrincipal;
use keyless_core::eligibility::Reason;
use keyless_core::plan::{self, Current};
use leptos::prelude::*;

/// Step 3 of the wizard.
#[component]
pub fn UsersStep() -> impl IntoView {
    let wizard = use_wizard();
    view! {
        <h2>"Redis users"</h2>
        <Transition fallback=|| view! { <p class="loading">"Reading the cache's users…"</p> }>
            {move || Suspend::new(async move {
                match wizard.current.await {
                    Ok(current) => view! { <Users current/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Users(current: Current) -> impl IntoView {
    let wizard = use_wizard();
    propose_admin(&current);
    let next = wizard.go(Step::Review);
    let back = wizard.go(Step::Check);
    view! {
        <CurrentAssignments current=current.clone()/>
        <Chosen current=current.clone()/>
        <AddPrincipal current=current.clone()/>
        <KeysOption current/>
        <div class="actions">
            <button class="secondary" on:click=move |_| back()>"Back"</button>
            <button data-testid="continue" on:click=move |_| next()>
                "Review the plan"
            </button>
        </div>
    }
}

/// Entra is the point of the wizard; the signed-in admin becomes Data Owner, as in the portal,
/// unless that was already proposed once (then the admin's removal stands).
fn propose_admin(current: &Current) {
    let wizard = use_wizard();
    let admin = wizard.admin.get_value();
    wizard.saved.update(|saved| {
        saved.desired.enable_entra = true;
        if saved.admin_proposed {
            return;
        }
        saved.admin_proposed = true;
        if let Some(grant) =
            admin.and_then(|admin| plan::proposed_admin_assignment(current, &admin))
        {
            saved.choose(grant, None);
        }
    });
}

/// The assignments the cache has now.
#[component]
fn CurrentAssignments(current: Current) -> impl IntoView {
    if current.assignments.is_empty() {
        return view! { <p class="note" data-testid="no-assignments">"This cache has no Redis users yet: those chosen below are added when the plan is applied."</p> }
            .into_any();
    }
    view! {
        <table class="assignments">
            <caption>"Redis users now"</caption>
            <thead>
                <tr>
                    <th>"Name"</th>
                    <th>"Object id (Redis username)"</th>
                    <th>"Access policy"</th>
                    <th>"State"</th>
                </tr>
            </thead>
            <tbody>
                {current
                    .assignments
                    .into_iter()
                    .map(|a| {
                        let p = a.properties;
                        view! {
                            <tr data-testid="assignment" data-object-id=p.object_id.to_string()>
                                <td>{p.object_id_alias}</td>
                                <td class="mono">{p.object_id.to_string()}</td>
                                <td>{p.access_policy_name.to_string()}</td>
                                <td>{p.provisioning_state.unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The users chosen in this wizard, each removable.
#[component]
fn Chosen(current: Current) -> impl IntoView {
    let wizard = use_wizard();
    move || {
        let grants = wizard.saved.with(|s| s.desired.grants.clone());
        (!grants.is_empty()).then(|| {
            view! {
                <ul class="chosen">
                    {grants
                        .into_iter()
                        .map(|grant| {
                            let id = grant.principal.object_id.clone();
                            let change = current
                                .assignment_of(&id)
                                .map(|a| format!(" (now {})", a.properties.access_policy_name));
                            let remove = move |_| {
                                wizard.saved.update(|s| s.remove(&id));
                            };
                            view! {
                                <li data-testid="grant" data-object-id=grant.principal.object_id.to_string()>
                                    {format!(
                                        "{} ({}) → {}{}",
                                        grant.principal.display_name,
                                        grant.principal.kind,
                                        grant.policy,
                                        change.unwrap_or_default(),
                                    )}
                                    <button class="link" data-testid="remove-grant" on:click=remove>
                                        "Remove"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    }
}

/// Disabling access keys: offered when the cache can take it, with what it ends.
#[component]
fn KeysOption(current: Current) -> impl IntoView {
    let wizard = use_wizard();
    let props = &current.cache.properties;
    if props.disable_access_key_authentication {
        return view! { <p class="note">{Reason::AccessKeysAlreadyDisabled.to_string()}</p> }
            .into_any();
    }
    if current.cache.geo_replicated() {
        return view! { <p class="note" data-testid="geo-replicated">{Reason::GeoReplicated.to_string()}</p> }
            .into_any();
    }
    let has_user = !current.assignments.is_empty();
    let checked = move || wizard.saved.with(|s| s.desired.disable_access_keys);
    view! {
        <fieldset class="keys-option">
            <label>
                <input
                    type="checkbox"
                    data-testid="disable-keys"
                    disabled=move || !has_user && wizard.saved.with(|s| s.desired.grants.is_empty())
                    prop:checked=checked
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        wizard.saved.update(|s| s.desired.disable_access_keys = on);
                    }
                />
                " Disable access keys once Microsoft Entra authentication is on"
            </label>
            <p class="warning">
                "Every connection that authenticates with an access key ends at once, and keys stop \
                 working for new ones. Move every client to Microsoft Entra first."
            </p>
        </fieldset>
    }
    .into_any()
}
