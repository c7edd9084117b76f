//! The generated code with its install line and notes, and the Copy and Download buttons.

use keyless_core::snippets::highlight::to_html;
use keyless_core::snippets::{Snippet, SnippetError};
use leptos::prelude::*;

use super::browser;

/// Shows the snippet, a prompt while no host is given, or why the inputs were refused.
#[component]
pub(super) fn SnippetOutput(snippet: Memo<Option<Result<Snippet, SnippetError>>>) -> impl IntoView {
    move || {
        match snippet.get() {
        None => view! {
            <p class="snippet-prompt" data-testid="snippet-message">"Enter the cache's host name to see its connection code."</p>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <p class="error" role="alert" data-testid="snippet-error">{error.to_string()}</p>
        }
        .into_any(),
        Some(Ok(snippet)) => view! { <Code snippet/> }.into_any(),
    }
    }
}

#[component]
fn Code(snippet: Snippet) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let Snippet {
        language,
        install,
        code,
        notes,
        file_name,
    } = snippet;
    let html = to_html(&code, language);
    let code = StoredValue::new(code);
    let copy = move |_| {
        copied.set(None);
        leptos::task::spawn_local(async move {
            copied.set(Some(browser::copy_text(&code.get_value()).await.is_ok()));
        });
    };
    let download = move |_| browser::download_text(&file_name, &code.get_value());
    view! {
        <div class="snippet-output">
            <h3>"Install"</h3>
            <pre class="snippet-install" data-testid="snippet-install">{install.join("\n")}</pre>
            <div class="snippet-toolbar">
                <h3>{language.label()}</h3>
                <button type="button" data-testid="snippet-copy" on:click=copy>"Copy"</button>
                <button type="button" data-testid="snippet-download" on:click=download>"Download"</button>
                <span class="snippet-copied" role="status" data-testid="snippet-copied">
                    {move || match copied.get() {
                        Some(true) => "Copied.",
                        Some(false) => "Copying was refused by the browser: select the code instead.",
                        None => "",
                    }}
                </span>
            </div>
            <pre class="snippet-code"><code data-testid="snippet-code" inner_html=html></code></pre>
            <h3>"Watch out"</h3>
            <ul class="snippet-notes" data-testid="snippet-notes">
                {notes.into_iter().map(|note| view! { <li>{note}</li> }).collect_view()}
            </ul>
        </div>
    }
}
