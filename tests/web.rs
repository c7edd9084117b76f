//! The app shell in a real browser: configuration problems, a restored session, sign-out, and
//! sign-in answers that do not belong to this tab.
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p keyless --test web`

use gloo_timers::future::TimeoutFuture;
use keyless::auth::{AccountBar, Home, RequireSignIn, provide_auth};
use keyless::config::Config;
use keyless_core::auth::{RedirectResponse, Resource, ReturnPath, SignInRequest};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const CONFIG: &str = r#"{"login":"http://127.0.0.1:8401","tenant":"t-1","client_id":"c-1",
    "redirect_uri":"http://127.0.0.1:8400/","arm":"http://127.0.0.1:8402","graph":"http://127.0.0.1:8403"}"#;

fn tab_storage() -> web_sys::Storage {
    web_sys::window().unwrap().session_storage().unwrap().unwrap()
}

/// A fresh element to mount into, with this tab's storage emptied.
fn fresh_root() -> HtmlElement {
    tab_storage().clear().unwrap();
    let document = web_sys::window().unwrap().document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// The first element matching `selector` under `root`, waiting up to five seconds for it.
async fn wait_for(root: &HtmlElement, selector: &str) -> Element {
    for _ in 0..100 {
        if let Some(found) = root.query_selector(selector).unwrap() {
            return found;
        }
        TimeoutFuture::new(50).await;
    }
    panic!("{selector} never appeared; the page shows: {}", root.inner_text());
}

/// The shell's providers around `content`, as the app sets them up once configured.
fn with_auth<V: IntoView + 'static>(
    answer: Option<RedirectResponse>,
    content: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    let content = StoredValue::new(content);
    view! {
        <Router>
            {move || {
                let config = Config::parse(CONFIG).unwrap();
                provide_auth(&config, answer.clone());
                provide_context(config);
                content.with_value(|content| content())
            }}
        </Router>
    }
}

#[wasm_bindgen_test]
async fn a_missing_configuration_is_explained_not_a_blank_page() {
    let root = fresh_root();
    let _app = mount_to(root.clone(), keyless::App);
    let error = wait_for(&root, "[data-testid=config-error]").await;
    let text = error.text_content().unwrap();
    assert!(text.contains("/config.json") && text.contains("client_id"), "{text}");
}

#[wasm_bindgen_test]
async fn a_reload_restores_the_session_and_sign_out_forgets_it() {
    let root = fresh_root();
    let stored = r#"{"account":{"name":"Avery Admin","upn":"admin@contoso.example",
        "object_id":"1f0e2d3c-4b5a-4697-8a1b-0c9d8e7f6a01","tenant_id":"t-1"},
        "refresh_token":"1.rt","home_account_id":"1f0e2d3c.t-1"}"#;
    tab_storage().set_item("keyless.session", stored).unwrap();
    tab_storage().set_item("wizard.state", "{}").unwrap();
    let _app = mount_to(root.clone(), || {
        with_auth(None, || {
            view! {
                <AccountBar/>
                <RequireSignIn>
                    <p id="protected">"Caches"</p>
                </RequireSignIn>
            }
        })
    });

    let account = wait_for(&root, "[data-testid=account]").await;
    assert_eq!(account.text_content().unwrap(), "Avery Admin");
    assert_eq!(account.get_attribute("title").unwrap(), "admin@contoso.example");
    wait_for(&root, "#protected").await;

    let sign_out: HtmlElement = wait_for(&root, "[data-testid=sign-out]").await.unchecked_into();
    sign_out.click();
    wait_for(&root, "#sign-in").await;
    assert!(root.query_selector("#protected").unwrap().is_none());
    assert!(root.query_selector("[data-testid=account]").unwrap().is_none());
    assert_eq!(tab_storage().length().unwrap(), 0, "sign-out leaves nothing in this tab");
}

#[wasm_bindgen_test]
async fn an_answer_for_another_sign_in_is_refused() {
    let root = fresh_root();
    let started = SignInRequest::new(&[7; 96], ReturnPath::default(), Resource::Arm);
    tab_storage()
        .set_item("keyless.sign-in", &serde_json::to_string(&started).unwrap())
        .unwrap();
    let forged = RedirectResponse::parse("#code=stolen&state=someone-else").unwrap();
    let _app = mount_to(root.clone(), move || with_auth(Some(forged.clone()), Home));

    let error = wait_for(&root, "[data-testid=auth-error]").await;
    assert!(error.text_content().unwrap().contains("does not match"));
    assert!(root.query_selector("#sign-in").unwrap().is_some(), "the user can start over");
    assert!(tab_storage().get_item("keyless.sign-in").unwrap().is_none(), "state is single-use");
}

#[wasm_bindgen_test]
async fn an_answer_no_sign_in_of_this_tab_asked_for_is_refused() {
    let root = fresh_root();
    let answer = RedirectResponse::parse("#code=abc&state=s-1").unwrap();
    let _app = mount_to(root.clone(), move || with_auth(Some(answer.clone()), Home));

    let error = wait_for(&root, "[data-testid=auth-error]").await;
    assert!(error.text_content().unwrap().contains("not started from this tab"));
}
