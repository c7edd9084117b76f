//! Step 2: every cache in every enabled subscription, searchable, one click to choose.
use super::error_view::ErrorBox;
use super::search::matches;
use super::step::{Step, cache_path};
use crate::api::{self, arm::CacheListing};
use crate::auth::{RequireSignIn, Session, use_session};
use crate::config::use_config;
use keyless_core::eligibility::{self, Verdict};
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
    /// The check's verdict on what the listing shows: `ready`, `warnings` or `blocked`. The
    /// check itself re-reads the cache.
    verdict: &'static str,
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
                    verdict: match eligibility::assess(cache, false).verdict {
                        Verdict::Blocked(_) => "blocked",
                        Verdict::Warnings(_) => "warnings",
                        Verdict::Ready => "ready",
                    },
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
            &self.tier,
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
    let unlisted = (!listing.unlisted.is_empty()).then(|| {
        let names: Vec<String> = listing
            .unlisted
            .iter()
            .map(|s| format!("{} ({})", s.display_name, s.state))
            .collect();
        view! {
            <p class="note" data-testid="unlisted-subscriptions">
                {format!(
                    "Not listed: the caches of subscriptions that are not enabled, where Azure accepts no changes: {}.",
                    names.join(", ")
                )}
            </p>
        }
    });
    let empty = listing.caches.is_empty().then(|| {
        let why = if listing.subscriptions.is_empty() && listing.unlisted.is_empty() {
            "Your account can see no Azure subscription here. Ask for a role on the cache's \
             subscription or resource group (Contributor, to switch it), then sign in again."
        } else {
            "The subscriptions your account can see hold no Azure Cache for Redis."
        };
        view! { <p class="note" data-testid="no-caches">{why}</p> }
    });
    view! {
        {fallback}
        {unlisted}
        {empty}
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
                    <th>"Check"</th>
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
                                <td class=format!("row-verdict-{}", row.verdict) data-testid="row-verdict">
                                    {row.verdict}
                                </td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use keyless_core::arm::{Cache, Subscription};
    use leptos_router::components::Router;
    use serde_json::json;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    const PROD: &str = "3c9e8d2a-1f4b-4a6c-8e7d-5b2a9c0f1e34";
    const DEV: &str = "a7d4b1e9-6c3f-4d2a-b8e5-0f9c7a6d3b21";

    fn cache(sub: &str, rg: &str, name: &str, region: &str, aad: &str) -> Cache {
        serde_json::from_value(json!({
            "id": format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Cache/Redis/{name}"),
            "name": name,
            "type": "Microsoft.Cache/Redis",
            "location": region,
            "properties": {
                "sku": {"name": "Premium", "family": "P", "capacity": 1},
                "redisVersion": "6.0",
                "redisConfiguration": {"aad-enabled": aad}
            }
        }))
        .unwrap()
    }

    fn subscription(id: &str, name: &str) -> Subscription {
        serde_json::from_value(
            json!({"subscriptionId": id, "displayName": name, "state": "Enabled"}),
        )
        .unwrap()
    }

    fn rows(root: &web_sys::HtmlElement) -> Vec<(String, String)> {
        let found = root
            .query_selector_all(r#"[data-testid="cache-row"]"#)
            .unwrap();
        (0..found.length())
            .map(|i| {
                let row: web_sys::HtmlElement = found.item(i).unwrap().unchecked_into();
                (row.get_attribute("data-name").unwrap(), row.inner_text())
            })
            .collect()
    }

    #[wasm_bindgen_test]
    async fn rows_show_the_subscription_name_and_the_search_narrows_them() {
        let mut legacy = cache(DEV, "dev-rg", "contoso-dev-basic", "East US", "false");
        legacy.properties.redis_version = Some("4.0".into());
        legacy.properties.sku.as_mut().unwrap().name = "Basic".into();
        let listing = CacheListing {
            subscriptions: vec![
                subscription(PROD, "Contoso Production"),
                subscription(DEV, "Contoso Development"),
            ],
            caches: vec![
                cache(PROD, "orders-rg", "contoso-orders", "West Europe", "False"),
                cache(
                    PROD,
                    "platform-rg",
                    "contoso-identity",
                    "West Europe",
                    "TRUE",
                ),
                legacy,
            ],
            unlisted: vec![],
            graph_failure: None,
        };
        let document = web_sys::window().unwrap().document().unwrap();
        let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&root).unwrap();
        let (query, set_query) = signal(String::new());
        let _mounted = leptos::mount::mount_to(root.clone(), move || {
            view! {
                <Router>
                    <CacheTable listing=listing.clone() query/>
                </Router>
            }
        });

        let all = rows(&root);
        assert_eq!(all.len(), 3);
        let identity = &all
            .iter()
            .find(|(name, _)| name == "contoso-identity")
            .unwrap()
            .1;
        assert!(
            identity.contains("Contoso Production") && identity.contains("enabled"),
            "{identity}"
        );
        let orders = &all
            .iter()
            .find(|(name, _)| name == "contoso-orders")
            .unwrap()
            .1;
        assert!(orders.contains("off") && orders.ends_with("ready"), "{orders}");
        let legacy = &all.iter().find(|(name, _)| name == "contoso-dev-basic").unwrap().1;
        assert!(legacy.ends_with("blocked"), "Redis 4: {legacy}");

        set_query.set("premium".into());
        gloo_timers::future::TimeoutFuture::new(0).await;
        assert_eq!(rows(&root).len(), 2, "found by their tier");

        set_query.set("development".into());
        gloo_timers::future::TimeoutFuture::new(0).await;
        let names: Vec<_> = rows(&root).into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["contoso-dev-basic"]);

        set_query.set("west platform".into());
        gloo_timers::future::TimeoutFuture::new(0).await;
        let names: Vec<_> = rows(&root).into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["contoso-identity"]);
        let count = root
            .query_selector(r#"[data-testid="cache-count"]"#)
            .unwrap()
            .unwrap();
        assert_eq!(count.text_content().unwrap(), "1 of 3 caches");
    }
}
