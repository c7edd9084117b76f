//! One screen that fetches JSON into a resource, lists it, and runs an action, behind the
//! router: what any Keyless page needs from the framework before any logic of its own.
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_params_map;
use leptos_router::path;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct Item {
    id: String,
    name: String,
}

async fn load() -> Result<Vec<Item>, String> {
    let reply = gloo_net::http::Request::get("/items.json")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let text = reply.text().await.map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

#[component]
fn Items() -> impl IntoView {
    let items = LocalResource::new(load);
    let chosen = RwSignal::new(0);
    let count = Action::new_local(|name: &String| {
        let length = name.len();
        async move { length }
    });
    let name = use_params_map();
    view! {
        <h1>{move || name.with(|p| p.get("name").unwrap_or_default())}</h1>
        <Transition fallback=|| "Loading">
            {move || Suspend::new(async move {
                match items.await {
                    Ok(items) => items
                        .into_iter()
                        .map(|item| view! {
                            <button on:click=move |_| {
                                chosen.update(|n| *n += 1);
                                count.dispatch(item.name.clone());
                            }>{item.id.clone()}</button>
                        })
                        .collect_view()
                        .into_any(),
                    Err(error) => view! { <p>{error}</p> }.into_any(),
                }
            })}
        </Transition>
        <Show when=move || { chosen.get() > 0 }>
            <p>{move || count.value().get()}</p>
        </Show>
        <A href="/items/all">"All"</A>
    }
}

fn main() {
    mount_to_body(|| {
        view! {
            <Router>
                <Routes fallback=|| "Not found">
                    <Route path=path!("/items/:name") view=Items/>
                </Routes>
            </Router>
        }
    });
}
