//! The app shell in a real browser: configuration problems, completing a sign-in, tokens,
//! a restored session, sign-out, and sign-in answers that do not belong to this tab.
//! Entra's token endpoint is played by a stand-in `fetch`.
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p keyless --test web`

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use keyless::auth::{
    AccountBar, AuthError, Home, RequireSignIn, Session, provide_auth, use_session,
};
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
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
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
    panic!(
        "{selector} never appeared; the page shows: {}",
        root.inner_text()
    );
}

/// The shell's providers around `content`, as the app sets them up once configured.
fn with_auth<V: IntoView + 'static>(
    answer: Option<RedirectResponse>,
    content: impl Fn() -> V + 'static,
) -> impl IntoView {
    let content = StoredValue::new_local(content);
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
    assert!(
        text.contains("/config.json") && text.contains("client_id"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn a_reload_restores_the_session_and_sign_out_forgets_it() {
    let root = fresh_root();
    let stored = r#"{"account":{"name":"Avery Admin","upn":"admin@contoso.example",
        "object_id":"1f0e2d3c-4b5a-4697-8a1b-0c9d8e7f6a01","tenant_id":"t-1"},
        "refresh_token":"1.rt","home_account_id":"1f0e2d3c.t-1"}"#;
    tab_storage().set_item("keyless.session", stored).unwrap();
    tab_storage().set_item("wizard.state", "{}").unwrap();
    let session: Rc<RefCell<Option<Session>>> = Rc::default();
    let seen = session.clone();
    let _app = mount_to(root.clone(), move || {
        let seen = seen.clone();
        with_auth(None, move || {
            *seen.borrow_mut() = untrack(use_session);
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
    assert_eq!(
        account.get_attribute("title").unwrap(),
        "admin@contoso.example"
    );
    wait_for(&root, "#protected").await;

    let sign_out: HtmlElement = wait_for(&root, "[data-testid=sign-out]")
        .await
        .unchecked_into();
    sign_out.click();
    wait_for(&root, "#sign-in").await;
    assert!(root.query_selector("#protected").unwrap().is_none());
    assert!(
        root.query_selector("[data-testid=account]")
            .unwrap()
            .is_none()
    );
    assert_eq!(
        tab_storage().length().unwrap(),
        0,
        "sign-out leaves nothing in this tab"
    );

    fake_token_endpoint("unused");
    let kept = session.borrow().clone().expect("was signed in");
    let after = kept.token(Resource::Arm).await;
    restore_fetch();
    assert_eq!(after, Err(AuthError::SignedOut));
    assert!(
        token_requests().is_empty(),
        "a signed-out session asks Entra nothing"
    );
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
    assert!(
        root.query_selector("#sign-in").unwrap().is_some(),
        "the user can start over"
    );
    assert!(
        tab_storage().get_item("keyless.sign-in").unwrap().is_none(),
        "state is single-use"
    );
}

#[wasm_bindgen_test]
async fn an_answer_no_sign_in_of_this_tab_asked_for_is_refused() {
    let root = fresh_root();
    let answer = RedirectResponse::parse("#code=abc&state=s-1").unwrap();
    let _app = mount_to(root.clone(), move || with_auth(Some(answer.clone()), Home));

    let error = wait_for(&root, "[data-testid=auth-error]").await;
    assert!(
        error
            .text_content()
            .unwrap()
            .contains("not started from this tab")
    );
}

/// Replaces `fetch` with Entra's token endpoint as a stand-in: every request is recorded in
/// `tokenRequests`, and answered with tokens numbered by request, refresh token `rt-N`, and an
/// id token carrying `nonce`. `restore_fetch` puts the real one back.
fn fake_token_endpoint(nonce: &str) {
    js_sys::eval(&format!(
        r#"
        window.realFetch = window.realFetch || window.fetch;
        window.tokenRequests = [];
        const b64 = o => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
        window.fetch = async request => {{
            window.tokenRequests.push(await request.text());
            const n = window.tokenRequests.length;
            const idClaims = {{ aud: 'c-1', nonce: '{nonce}', oid: 'o-1', tid: 't-1', name: 'Avery Admin',
                                preferred_username: 'admin@contoso.example' }};
            const answer = {{ token_type: 'Bearer', expires_in: 3600, access_token: 'h.' + b64({{ n }}) + '.s',
                             refresh_token: 'rt-' + n, id_token: 'h.' + b64(idClaims) + '.s',
                             client_info: b64({{ uid: 'o-1', utid: 't-1' }}) }};
            return new Response(JSON.stringify(answer), {{ status: 200, headers: {{ 'Content-Type': 'application/json' }} }});
        }};
        "#
    ))
    .unwrap();
}

fn restore_fetch() {
    js_sys::eval("window.fetch = window.realFetch || window.fetch").unwrap();
}

/// The bodies the stand-in token endpoint received, in order.
fn token_requests() -> Vec<String> {
    let requests = js_sys::eval("window.tokenRequests").unwrap();
    js_sys::Array::from(&requests)
        .iter()
        .map(|body| body.as_string().unwrap())
        .collect()
}

fn pathname() -> String {
    web_sys::window().unwrap().location().pathname().unwrap()
}

#[wasm_bindgen_test]
async fn a_sign_in_is_completed_and_one_refresh_token_serves_both_resources() {
    let root = fresh_root();
    let return_to = ReturnPath::parse("/cache/s-1/rg-1/orders/users").unwrap();
    let started = SignInRequest::new(&[5; 96], return_to.clone(), Resource::Arm);
    tab_storage()
        .set_item("keyless.sign-in", &serde_json::to_string(&started).unwrap())
        .unwrap();
    fake_token_endpoint(&started.nonce);
    let answer = RedirectResponse::parse(&format!("#code=c-1&state={}", started.state)).unwrap();
    let session: Rc<RefCell<Option<Session>>> = Rc::default();
    let seen = session.clone();
    let _app = mount_to(root.clone(), move || {
        let seen = seen.clone();
        with_auth(Some(answer.clone()), move || {
            let seen = seen.clone();
            Effect::new(move || *seen.borrow_mut() = use_session());
            view! { <AccountBar/> <Home/> }
        })
    });

    let account = wait_for(&root, "[data-testid=account]").await;
    assert_eq!(account.text_content().unwrap(), "Avery Admin");
    assert_eq!(
        pathname(),
        return_to.as_str(),
        "back where the sign-in started"
    );
    let redeem = &token_requests()[0];
    for part in ["grant_type=authorization_code", "code=c-1", "client_id=c-1"] {
        assert!(redeem.contains(part), "{part} missing from {redeem}");
    }
    assert!(redeem.contains(&format!("code_verifier={}", started.verifier.secret())));
    assert!(tab_storage().get_item("keyless.sign-in").unwrap().is_none());
    let stored = tab_storage().get_item("keyless.session").unwrap().unwrap();
    assert!(
        stored.contains("rt-1") && !stored.contains("h."),
        "refresh token only: {stored}"
    );

    let session = session.borrow().clone().expect("signed in");
    let arm = session.token(Resource::Arm).await.unwrap();
    assert_eq!(
        token_requests().len(),
        1,
        "the ARM token came with the code"
    );
    let graph = session.token(Resource::Graph).await.unwrap();
    assert_ne!(graph, arm);
    let refresh = &token_requests()[1];
    assert!(refresh.contains("grant_type=refresh_token") && refresh.contains("refresh_token=rt-1"));
    assert!(refresh.contains("graph.microsoft.com"), "{refresh}");
    assert_eq!(
        session.token(Resource::Graph).await.unwrap(),
        graph,
        "cached"
    );
    assert_eq!(token_requests().len(), 2);
    let stored = tab_storage().get_item("keyless.session").unwrap().unwrap();
    assert!(
        stored.contains("rt-2"),
        "the newest refresh token is kept: {stored}"
    );
    assert_eq!(session.account().object_id, "o-1");
    restore_fetch();
}

#[wasm_bindgen_test]
async fn an_id_token_for_another_sign_in_is_refused() {
    let root = fresh_root();
    let started = SignInRequest::new(&[6; 96], ReturnPath::default(), Resource::Arm);
    tab_storage()
        .set_item("keyless.sign-in", &serde_json::to_string(&started).unwrap())
        .unwrap();
    fake_token_endpoint("a-replayed-nonce");
    let answer = RedirectResponse::parse(&format!("#code=c-1&state={}", started.state)).unwrap();
    let _app = mount_to(root.clone(), move || {
        with_auth(Some(answer.clone()), || view! { <AccountBar/> <Home/> })
    });

    let error = wait_for(&root, "[data-testid=auth-error]").await;
    restore_fetch();
    assert!(
        error
            .text_content()
            .unwrap()
            .contains("not issued for this sign-in")
    );
    assert!(
        root.query_selector("[data-testid=account]")
            .unwrap()
            .is_none()
    );
    assert!(tab_storage().get_item("keyless.session").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn renewals_take_turns_so_each_uses_the_newest_refresh_token() {
    let root = fresh_root();
    let stored = r#"{"account":{"name":"Avery Admin","upn":"admin@contoso.example",
        "object_id":"o-1","tenant_id":"t-1"},"refresh_token":"rt-stored","home_account_id":"o-1.t-1"}"#;
    tab_storage().set_item("keyless.session", stored).unwrap();
    fake_token_endpoint("unused");
    let session: Rc<RefCell<Option<Session>>> = Rc::default();
    let seen = session.clone();
    let _app = mount_to(root.clone(), move || {
        let seen = seen.clone();
        with_auth(None, move || {
            *seen.borrow_mut() = untrack(use_session);
        })
    });
    let session = session
        .borrow()
        .clone()
        .expect("restored from this tab's storage");

    let arm_result: Rc<RefCell<Option<String>>> = Rc::default();
    let arm_slot = arm_result.clone();
    let arm_session = session.clone();
    wasm_bindgen_futures::spawn_local(async move {
        *arm_slot.borrow_mut() = arm_session.token(Resource::Arm).await.ok();
    });
    let graph = session.token(Resource::Graph).await.unwrap();
    while arm_result.borrow().is_none() {
        TimeoutFuture::new(10).await;
    }
    restore_fetch();

    let requests = token_requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(
        requests[0].contains("refresh_token=rt-stored"),
        "{}",
        requests[0]
    );
    assert!(
        requests[1].contains("refresh_token=rt-1"),
        "{}",
        requests[1]
    );
    assert_ne!(arm_result.borrow().as_deref(), Some(graph.as_str()));
}
