//! Finding the next Redis user: by name through Microsoft Graph, or by a pasted id.
use super::policy::{PolicyInput, PolicyPicker};
use crate::api::graph::{Found, Pasted};
use crate::wizard::context::use_wizard;
use crate::wizard::error_view::ErrorBox;
use keyless_core::graph::Principal;
use keyless_core::ids::ObjectId;
use keyless_core::plan::{Current, Grant};
use leptos::prelude::*;

/// Search or paste, pick a policy, add. The principal's existing assignment, if any, is named
/// so the admin knows the addition changes its policy rather than adding a second one.
#[component]
pub fn AddPrincipal(current: Current) -> impl IntoView {
    let wizard = use_wizard();
    let candidate = RwSignal::new(None::<Principal>);
    let note = RwSignal::new(None::<String>);
    let policy = RwSignal::new(PolicyInput::data_owner());
    let (policy_error, set_policy_error) = signal(None::<String>);
    // What was wrong with the policy fields is stale once they change.
    Effect::new(move |first: Option<()>| {
        policy.track();
        if first.is_some() {
            set_policy_error.set(None);
        }
    });
    let pasted = RwSignal::new(None::<PasteProblem>);

    let add = move |_| {
        let Some(principal) = candidate.get_untracked() else {
            set_policy_error.set(Some(
                "Choose a user, application or managed identity first.".into(),
            ));
            return;
        };
        match policy.with_untracked(PolicyInput::resolve) {
            Ok((name, custom)) => {
                wizard.saved.update(|s| {
                    s.choose(
                        Grant {
                            principal,
                            policy: name,
                        },
                        custom,
                    )
                });
                candidate.set(None);
                note.set(None);
                set_policy_error.set(None);
            }
            Err(why) => set_policy_error.set(Some(why)),
        }
    };
    let now = current.clone();
    let existing = move || {
        let principal = candidate.get()?;
        let held = now.assignment_of(&principal.object_id)?;
        Some(format!(
            "{} is already a Redis user with {}: adding it again changes that policy.",
            principal.display_name, held.properties.access_policy_name
        ))
    };

    view! {
        <fieldset class="add-principal">
            <legend>"Add a Redis user"</legend>
            <Search candidate note pasted/>
            <Paste candidate note pasted/>
            {move || {
                candidate
                    .get()
                    .map(|p| {
                        view! {
                            <p class="candidate" data-testid="candidate" data-object-id=p.object_id.to_string()>
                                {format!("{} ({}) · object id {}", p.display_name, p.kind, p.object_id)}
                            </p>
                        }
                    })
            }}
            {move || note.get().map(|n| view! { <p class="note" data-testid="principal-note">{n}</p> })}
            {move || existing().map(|e| view! { <p class="note" data-testid="existing-assignment">{e}</p> })}
            <PolicyPicker existing=current.policies input=policy error=policy_error/>
            <button data-testid="add-principal" on:click=add>
                "Add"
            </button>
        </fieldset>
    }
}

/// Search by name: users, applications and managed identities; groups listed as refused.
#[component]
fn Search(
    candidate: RwSignal<Option<Principal>>,
    note: RwSignal<Option<String>>,
    /// What was wrong with the last pasted id: a new search makes it moot.
    pasted: RwSignal<Option<PasteProblem>>,
) -> impl IntoView {
    let wizard = use_wizard();
    let (text, set_text) = signal(String::new());
    let search = Action::new_local(move |text: &String| {
        let graph = wizard.graph.get_value();
        let text = text.clone();
        async move { graph.search(&text).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = text.get_untracked();
        if !text.trim().is_empty() {
            pasted.set(None);
            search.dispatch(text);
        }
    };
    view! {
        <form class="principal-search" on:submit=submit>
            <input
                type="search"
                data-testid="principal-search"
                aria-label="Search the directory"
                placeholder="Name, sign-in name or application"
                prop:value=text
                on:input=move |ev| set_text.set(event_target_value(&ev))
            />
            <button type="submit" data-testid="principal-search-button">"Search"</button>
        </form>
        {move || search.pending().get().then(|| view! { <p class="loading">"Searching…"</p> })}
        {move || {
            search.value().get().map(|result| match result {
                Ok(found) => view! { <Results found candidate note/> }.into_any(),
                Err(error) => view! { <ErrorBox error/> }.into_any(),
            })
        }}
    }
}

#[component]
fn Results(
    found: Vec<Found>,
    candidate: RwSignal<Option<Principal>>,
    note: RwSignal<Option<String>>,
) -> impl IntoView {
    if found.is_empty() {
        return view! { <p class="note" data-testid="no-results">"Nobody by that name."</p> }
            .into_any();
    }
    view! {
        <ul class="results">
            {found
                .into_iter()
                .map(|item| match item {
                    Ok(principal) => {
                        let label = format!("{} ({})", principal.display_name, principal.kind);
                        let detail = principal.user_principal_name.clone().unwrap_or_default();
                        let id = principal.object_id.to_string();
                        let kind = principal.kind.to_string();
                        view! {
                            <li>
                                <button
                                    class="result"
                                    data-testid="principal-result"
                                    data-object-id=id
                                    data-kind=kind
                                    on:click=move |_| {
                                        candidate.set(Some(principal.clone()));
                                        note.set(None);
                                    }
                                >
                                    {label}
                                    <small>{detail}</small>
                                </button>
                            </li>
                        }
                            .into_any()
                    }
                    Err(refusal) => {
                        view! {
                            <li class="refused" data-testid="principal-refused">
                                {refusal.to_string()}
                            </li>
                        }
                            .into_any()
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// Why a pasted id was not taken.
#[derive(Clone, Debug, PartialEq)]
enum PasteProblem {
    /// Not an object id at all.
    Invalid(String),
    /// A principal Redis cannot take, such as a group.
    Refused(String),
}

/// A pasted object id, checked as a GUID first; a client id is recognised and swapped.
#[component]
fn Paste(
    candidate: RwSignal<Option<Principal>>,
    note: RwSignal<Option<String>>,
    pasted: RwSignal<Option<PasteProblem>>,
) -> impl IntoView {
    let wizard = use_wizard();
    let (text, set_text) = signal(String::new());
    let describe = Action::new_local(move |id: &ObjectId| {
        let graph = wizard.graph.get_value();
        let id = id.clone();
        async move { graph.describe(&id).await }
    });
    Effect::new(move |_| match describe.value().get() {
        Some(Ok(Pasted::Principal {
            principal,
            note: why,
        })) => {
            candidate.set(Some(principal));
            note.set(why);
        }
        Some(Ok(Pasted::Refused(refusal))) => {
            candidate.set(None);
            pasted.set(Some(PasteProblem::Refused(refusal.to_string())));
        }
        Some(Err(_)) | None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match ObjectId::parse(&text.get_untracked()) {
            Ok(id) => {
                pasted.set(None);
                describe.dispatch(id);
            }
            Err(error) => pasted.set(Some(PasteProblem::Invalid(error.to_string()))),
        }
    };
    view! {
        <form class="object-id" on:submit=submit>
            <input
                data-testid="object-id-input"
                class="mono"
                aria-label="Object id"
                placeholder="or paste an object id (client ids are recognised)"
                prop:value=text
                on:input=move |ev| set_text.set(event_target_value(&ev))
            />
            <button type="submit" data-testid="object-id-lookup">"Use this id"</button>
        </form>
        {move || describe.pending().get().then(|| view! { <p class="loading">"Looking it up…"</p> })}
        {move || pasted.get().map(|problem| match problem {
            PasteProblem::Invalid(e) => view! { <p class="inline-error" data-testid="object-id-error">{e}</p> }.into_any(),
            PasteProblem::Refused(r) => view! { <p class="refused" data-testid="principal-refused">{r}</p> }.into_any(),
        })}
        {move || describe.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error/> })}
    }
}
