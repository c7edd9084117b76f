//! The snippet page and the wizard's connection code in a real browser.
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p keyless --lib`

use gloo_timers::future::TimeoutFuture;
use keyless_core::snippets::{AssignedPrincipal, PrincipalKind};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

use super::{ConnectionCode, SnippetsPage};

wasm_bindgen_test_configure!(run_in_browser);

const CLIENT_ID: &str = "c11e0700-0000-4000-8000-00000000c1d0";
const OBJECT_ID: &str = "0b1ec700-0000-4000-8000-00000000001d";

fn fresh_root() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// The text of the first element with `data-testid` = `id` whose text contains `part`,
/// waiting up to five seconds for it.
async fn wait_for_text(root: &HtmlElement, id: &str, part: &str) -> String {
    for _ in 0..100 {
        if let Some(found) = root.query_selector(&format!("[data-testid={id}]")).unwrap() {
            let text = found.text_content().unwrap_or_default();
            if text.contains(part) {
                return text;
            }
        }
        TimeoutFuture::new(50).await;
    }
    panic!(
        "no {id} containing {part:?}; the page shows: {}",
        root.inner_text()
    );
}

#[wasm_bindgen(inline_js = "export function pick(select, value) {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
}")]
extern "C" {
    /// Picks `value` in a select as a person would, firing its change event.
    fn pick(select: &Element, value: &str);
}

fn choose(root: &HtmlElement, id: &str, value: &str) {
    pick(&query(root, id), value);
}

fn query(root: &HtmlElement, id: &str) -> Element {
    root.query_selector(&format!("[data-testid={id}]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no {id}"))
}

fn principals() -> Vec<AssignedPrincipal> {
    vec![
        AssignedPrincipal {
            display_name: "orders-api".into(),
            object_id: OBJECT_ID.into(),
            client_id: Some(CLIENT_ID.into()),
            kind: PrincipalKind::ManagedIdentity,
        },
        AssignedPrincipal {
            display_name: "Avery Admin".into(),
            object_id: "0b1ec700-0000-4000-8000-00000000002d".into(),
            client_id: None,
            kind: PrincipalKind::User,
        },
    ]
}

#[wasm_bindgen_test]
async fn connection_code_follows_the_chosen_principal_and_library() {
    let root = fresh_root();
    let _mounted = mount_to(root.clone(), || {
        view! { <ConnectionCode host="contoso.redis.cache.windows.net".to_string() port=6380 principals=principals()/> }
    });
    let code = wait_for_text(&root, "snippet-code", "create_from_managed_identity").await;
    assert!(
        code.contains(CLIENT_ID) && !code.contains(OBJECT_ID),
        "{code}"
    );

    choose(&root, "snippet-lib", "go-redis");
    let code = wait_for_text(&root, "snippet-code", "UserAssignedObjectID").await;
    assert!(
        code.contains(OBJECT_ID) && !code.contains(CLIENT_ID),
        "{code}"
    );

    choose(&root, "snippet-principal", "1");
    wait_for_text(&root, "snippet-code", "NewDefaultAzureCredentialsProvider").await;
    let notes = query(&root, "snippet-notes").text_content().unwrap();
    assert!(notes.contains("object id"), "{notes}");
}

#[wasm_bindgen_test]
async fn bad_query_values_are_shown_and_the_page_still_works() {
    let window = web_sys::window().unwrap();
    let query_string = "?lib=perl&port=x&parent_origin=*&host=contoso.redis.cache.windows.net&identity=service-principal";
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query_string))
        .unwrap();
    let root = fresh_root();
    let _mounted = mount_to(root.clone(), || view! { <Router><SnippetsPage/></Router> });
    let problems = wait_for_text(&root, "query-problems", "perl").await;
    assert!(
        problems.contains("\"x\" is not a port") && problems.contains("parent origin"),
        "{problems}"
    );
    let error = wait_for_text(&root, "snippet-error", "client id").await;
    assert!(error.contains("Application (client) ID"), "{error}");
    // The highlighted code is escaped text, never markup from the inputs.
    choose(&root, "snippet-identity", "system-assigned");
    let code = wait_for_text(&root, "snippet-code", "ManagedIdentityType.SYSTEM_ASSIGNED").await;
    assert!(
        code.contains("host=\"contoso.redis.cache.windows.net\""),
        "{code}"
    );
    assert!(
        query(&root, "snippet-code")
            .query_selector("span.tok-kw")
            .unwrap()
            .is_some()
    );
}
