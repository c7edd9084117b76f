//! Connection code for every client library: the `/snippets` page, reachable without signing in
//! and embeddable in documentation, and [`ConnectionCode`], the wizard's last step.

mod browser;
mod form;
mod output;
#[cfg(all(test, target_arch = "wasm32"))]
mod tests;

use keyless_core::snippets::query::parse_query;
use keyless_core::snippets::{AssignedPrincipal, SnippetError, SnippetRequest};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use form::{FormState, PrincipalPicker, SnippetForm};
use output::SnippetOutput;

/// The connection-code page. Its inputs come from the query string (see
/// [`keyless_core::snippets::query`]); when framed, it tells `parent_origin` its height.
#[component]
pub fn SnippetsPage() -> impl IntoView {
    let query = use_query_map();
    let parsed = query.with_untracked(|q| parse_query(|key| q.get(key)));
    let form = FormState::new(&parsed.request);
    let snippet = form.snippet();
    if let Some(origin) = parsed.parent_origin {
        browser::report_height(origin, snippet);
    }
    view! {
        <section class="snippets" data-testid="snippets-page">
            <h1>"Connection code"</h1>
            <QueryProblems problems=parsed.problems/>
            <SnippetForm form editable_host=true/>
            <SnippetOutput snippet/>
        </section>
    }
}

/// Connection code for a cache whose host and port are known, for the principals given access.
#[component]
pub fn ConnectionCode(
    /// The cache's host name.
    host: String,
    /// The cache's TLS port.
    port: u16,
    /// The principals assigned an access policy; picking one fills in its identity and ids.
    principals: Vec<AssignedPrincipal>,
    /// The directory the principals belong to, for service-principal code.
    #[prop(optional, into)]
    tenant_id: Option<String>,
) -> impl IntoView {
    let request = SnippetRequest {
        port: Some(port),
        tenant_id,
        ..SnippetRequest::new(form::DEFAULT_LIBRARY, form::DEFAULT_IDENTITY, host)
    };
    let form = FormState::new(&request);
    if let Some(first) = principals.first() {
        form.apply(first);
    }
    let snippet = form.snippet();
    view! {
        <section class="snippets" data-testid="connection-code">
            <h2>"Connection code"</h2>
            <PrincipalPicker form principals/>
            <SnippetForm form editable_host=false/>
            <SnippetOutput snippet/>
        </section>
    }
}

/// Query values that were refused; the page goes on with defaults.
#[component]
fn QueryProblems(problems: Vec<SnippetError>) -> impl IntoView {
    (!problems.is_empty()).then(|| {
        view! {
            <div class="error" role="alert" data-testid="query-problems">
                <p>"Some of this link's settings were not used:"</p>
                <ul>{problems.iter().map(|p| view! { <li>{p.to_string()}</li> }).collect_view()}</ul>
            </div>
        }
    })
}
