//! Sign-in with Microsoft Entra ID (authorization code + PKCE) and the token store.
use leptos::prelude::*;

/// The landing page: sign in, or go on to the caches when signed in.
#[component]
pub fn Home() -> impl IntoView {
    view! { <h1>"Keyless"</h1> }
}
