//! The Keyless single-page app: routes and the context every page shares.
//! `main.rs` only mounts [`App`], so browser tests can import the components.

pub mod auth;
pub mod config;
pub mod snippets_page;
pub mod wizard;

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The root component: loads `/config.json`, then routes.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <main id="app">
                <Routes fallback=|| view! { <p class="error">"This page does not exist."</p> }>
                    <Route path=path!("/") view=auth::Home/>
                    <Route path=path!("/caches") view=wizard::PickCache/>
                    <Route path=path!("/cache/:sub/:rg/:name/:step") view=wizard::CacheStep/>
                    <Route path=path!("/snippets") view=snippets_page::SnippetsPage/>
                </Routes>
            </main>
        </Router>
    }
}
