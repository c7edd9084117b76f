//! The Keyless single-page app: routes and the context every page shares.
//! `main.rs` only mounts [`App`], so browser tests can import the components.

pub mod api;
pub mod auth;
pub mod config;
pub mod snippets_page;
pub mod wizard;

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::config::{Config, ConfigError};

/// The root component: takes any sign-in answer out of the address, loads `/config.json`,
/// then shows the app, or says why it cannot.
#[component]
pub fn App() -> impl IntoView {
    let answer = StoredValue::new(auth::take_sign_in_answer());
    let config = LocalResource::new(config::load);
    view! {
        <Router>
            <Suspense fallback=|| view! { <p class="loading">"Loading Keyless..."</p> }>
                {move || {
                    config.get().map(|loaded| match loaded {
                        Ok(config) => {
                            let answer = answer.try_update_value(Option::take).flatten();
                            view! { <Shell config answer/> }.into_any()
                        }
                        Err(error) => view! { <ConfigProblem error/> }.into_any(),
                    })
                }}
            </Suspense>
        </Router>
    }
}

/// The signed-in shell: header and routes, with the configuration and sign-in state provided.
#[component]
fn Shell(
    config: Config,
    /// The sign-in answer this page load brought back from Entra, if any.
    answer: Option<keyless_core::auth::RedirectResponse>,
) -> impl IntoView {
    auth::provide_auth(&config, answer);
    provide_context(config);
    view! {
        <auth::AccountBar/>
        <main id="app">
            <Routes fallback=|| view! { <p class="error">"This page does not exist."</p> }>
                <Route path=path!("/") view=auth::Home/>
                <Route path=path!("/caches") view=wizard::PickCache/>
                <Route path=path!("/cache/:sub/:rg/:name/:step") view=wizard::CacheStep/>
                <Route path=path!("/snippets") view=snippets_page::SnippetsPage/>
            </Routes>
        </main>
    }
}

/// Shown instead of the app when the configuration is missing or invalid.
#[component]
fn ConfigProblem(error: ConfigError) -> impl IntoView {
    view! {
        <main id="app">
            <h1>"Keyless"</h1>
            <p class="error" role="alert" data-testid="config-error">{error.to_string()}</p>
        </main>
    }
}
