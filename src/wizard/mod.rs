//! The wizard's steps after sign-in: pick a cache, Redis users, review and apply, done.
use leptos::prelude::*;

/// Step 2: every cache the signed-in user can see.
#[component]
pub fn PickCache() -> impl IntoView {
    view! { <h1>"Caches"</h1> }
}

/// Steps 2b-5 for one cache, chosen by the `:step` segment of the address.
#[component]
pub fn CacheStep() -> impl IntoView {
    view! { <h1>"Cache"</h1> }
}
