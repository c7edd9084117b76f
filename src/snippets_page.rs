//! Connection code for every client library, at `/snippets` and at the end of the wizard.
use leptos::prelude::*;

/// The connection-code page; embeddable in an iframe.
#[component]
pub fn SnippetsPage() -> impl IntoView {
    view! { <h1>"Connection code"</h1> }
}
