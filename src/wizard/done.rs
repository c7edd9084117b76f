//! Done: what changed, and connection code for the users just assigned.
use super::context::use_wizard;
use super::error_view::ErrorBox;
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
                    Ok(current) => {
                        let entra = current.cache.entra_enabled();
                        let p = current.cache.properties;
                        view! {
                            <p class="facts" data-testid="cache-state">
                                {format!(
                                    "Host {} · TLS port {} · Entra {} · access keys {}",
                                    p.host_name.unwrap_or_default(),
                                    p.ssl_port.unwrap_or(6380),
                                    if entra { "enabled" } else { "not enabled" },
                                    if p.disable_access_key_authentication { "disabled" } else { "enabled" },
                                )}
                            </p>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
