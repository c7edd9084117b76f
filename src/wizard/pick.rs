//! Step 2: every cache in every enabled subscription, searchable, one click to choose.
use super::error_view::ErrorBox;
use super::search::matches;
use super::step::{Step, cache_path};
use crate::api::{self, arm::CacheListing};
use crate::auth::{RequireSignIn, Session, use_session};
use crate::config::use_config;
use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};

/// Step 2: the caches the signed-in user can see.
#[component]
pub fn PickCache() -> impl IntoView {
    view! {
        <RequireSignIn>
            {move || use_session().map(|session| view! { <CacheList session/> })}
        </RequireSignIn>
    }
}

/// One cache as the list shows it.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    subscription_id: String,
    subscription: String,
    resource_group: String,
    name: String,
    region: String,
    tier: String,
    version: String,
    entra: bool,
}

impl Row {
    /// The rows of a listing; anything that is not a `Microsoft.Cache/redis` id is left out.
    fn all(listing: &CacheListing) -> Vec<Row> {
        listing
            .caches
            .iter()
            .filter_map(|cache| {
                let id = cache.resource_id().ok()?;
                Some(Row {
                    subscription_id: id.subscription().to_string(),
                    subscription: listing.subscription_name(cache),
                    resource_group: id.resource_group().to_string(),
                    name: id.name().to_string(),
                    region: cache.location.clone(),
                    tier: cache.tier(),
                    version: cache.properties.redis_version.clone().unwrap_or_default(),
                    entra: cache.entra_enabled(),
                })
            })
            .collect()
    }

    fn matches(&self, query: &str) -> bool {
        let fields = [
            self.name.as_str(),
            &self.resource_group,
            &self.subscription,
            &self.subscription_id,
            &self.region,
        ];
        matches(&fields, query)
    }

    fn path(&self) -> String {
        cache_path(
            &self.subscription_id,
            &self.resource_group,
            &self.name,
            Step::Check,
        )
    }
}

#[component]
fn CacheList(session: Session) -> impl IntoView {
    let (_, set_waiting) = signal(None);
    let arm = api::arm(&session, &use_config(), set_waiting);
    let listing = LocalResource::new(move || {
        let arm = arm.clone();
        async move { arm.all_caches().await }
    });
    let (query, set_query) = signal(String::new());
    view! {
        <section class="pick-cache">
            <h1>"Choose a cache"</h1>
            <input
                type="search"
                class="cache-search"
                data-testid="cache-search"
                aria-label="Filter caches"
                placeholder="Filter by name, resource group, subscription or region"
                prop:value=query
                on:input=move |ev| set_query.set(event_target_value(&ev))
            />
            <Transition fallback=|| {
                view! { <p class="loading" data-testid="loading">"Listing your caches…"</p> }
            }>
                {move || Suspend::new(async move {
                    match listing.await {
                        Ok(listing) => view! { <CacheTable listing query/> }.into_any(),
                        Err(error) => view! { <ErrorBox error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The listing, filtered by `query`.
#[component]
fn CacheTable(listing: CacheListing, query: ReadSignal<String>) -> impl IntoView {
    let rows = Row::all(&listing);
    let total = rows.len();
    let shown = Memo::new(move |_| {
        query.with(|q| {
            rows.iter()
                .filter(|r| r.matches(q))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let navigate = use_navigate();
    let fallback = listing.graph_failure.map(|failure| {
        view! {
            <p class="note" data-testid="graph-fallback">
                {format!(
                    "Resource Graph could not be used ({failure}); the caches were listed subscription by subscription."
                )}
            </p>
        }
    });
    view! {
        {fallback}
        <p class="count" data-testid="cache-count">
            {move || format!("{} of {total} caches", shown.with(Vec::len))}
        </p>
        <table class="caches">
            <thead>
                <tr>
                    <th>"Name"</th>
                    <th>"Resource group"</th>
                    <th>"Subscription"</th>
                    <th>"Region"</th>
                    <th>"Tier"</th>
                    <th>"Redis"</th>
                    <th>"Entra"</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || shown.get() key=Row::path let:row>
                    {
                        let path = row.path();
                        let name = row.name.clone();
                        let navigate = navigate.clone();
                        let open = move || navigate(&path, NavigateOptions::default());
                        let on_key = open.clone();
                        view! {
                            <tr
                                class="cache-row"
                                data-testid="cache-row"
                                data-name=name
                                role="link"
                                tabindex="0"
                                on:click=move |_| open()
                                on:keydown=move |ev| {
                                    if ev.key() == "Enter" {
                                        on_key()
                                    }
                                }
                            >
                                <td class="name">{row.name}</td>
                                <td>{row.resource_group}</td>
                                <td>{row.subscription}</td>
                                <td>{row.region}</td>
                                <td>{row.tier}</td>
                                <td>{row.version}</td>
                                <td data-testid="entra-state">
                                    {if row.entra { "enabled" } else { "off" }}
                                </td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}
