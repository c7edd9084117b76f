//! Done: what changed, and connection code for the users just assigned.
use super::context::use_wizard;
use super::error_view::ErrorBox;
use crate::snippets_page::ConnectionCode;
use keyless_core::graph::{Principal, PrincipalKind};
use keyless_core::plan::Current;
use keyless_core::snippets::{self, AssignedPrincipal};
use leptos::prelude::*;

/// Step 5.
#[component]
pub fn DoneStep() -> impl IntoView {
    let wizard = use_wizard();
    let applied = wizard.saved.with_untracked(|s| s.applied.clone());
    view! {
        <h2 data-testid="done">"Done"</h2>
        {if applied.is_empty() {
            view! { <p class="note">"Nothing needed changing: the cache already matched."</p> }.into_any()
        } else {
            view! {
                <ul class="changed">
                    {applied.into_iter().map(|c| view! { <li data-testid="changed">{c}</li> }).collect_view()}
                </ul>
            }
            .into_any()
        }}
        <Transition fallback=|| view! { <p class="loading">"Reading the cache…"</p> }>
            {move || Suspend::new(async move {
                match wizard.current.await {
                    Ok(current) => view! { <Outcome current/> }.into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The cache as it ended up, and the code its new Redis users connect with.
#[component]
fn Outcome(current: Current) -> impl IntoView {
    let wizard = use_wizard();
    let entra = current.cache.entra_enabled();
    let props = current.cache.properties;
    let host = props.host_name.unwrap_or_default();
    let port = props.ssl_port.unwrap_or(6380);
    let grants = wizard.saved.with_untracked(|s| s.desired.grants.clone());
    let unverified = grants
        .iter()
        .any(|g| g.principal.kind == PrincipalKind::Unknown);
    let principals: Vec<_> = grants
        .iter()
        .filter_map(|g| assigned(&g.principal))
        .collect();
    view! {
        <p class="facts" data-testid="cache-state" data-entra=entra.to_string()>
            {format!(
                "Host {host} · TLS port {port} · Microsoft Entra {} · access keys {}",
                if entra { "enabled" } else { "not enabled" },
                if props.disable_access_key_authentication { "disabled" } else { "enabled" },
            )}
        </p>
        {unverified.then(|| view! {
            <p class="note">
                "Ids Microsoft Graph could not describe are not offered below: pick the identity \
                 kind yourself on the connection code page."
            </p>
        })}
        <ConnectionCode host port principals tenant_id=wizard.tenant_id.get_value()/>
    }
}

/// A principal as the connection code needs it; `None` when Graph could not say what it is.
fn assigned(principal: &Principal) -> Option<AssignedPrincipal> {
    let kind = match principal.kind {
        PrincipalKind::User => snippets::PrincipalKind::User,
        PrincipalKind::ServicePrincipal => snippets::PrincipalKind::ServicePrincipal,
        PrincipalKind::ManagedIdentity => snippets::PrincipalKind::ManagedIdentity,
        PrincipalKind::Unknown => return None,
    };
    Some(AssignedPrincipal {
        display_name: principal.display_name.clone(),
        object_id: principal.object_id.to_string(),
        client_id: principal.app_id.as_ref().map(ToString::to_string),
        kind,
    })
}
