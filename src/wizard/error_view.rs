//! The one place an Azure error is rendered: the service's code, its message and advice.
use crate::api::ApiError;
use leptos::prelude::*;

/// Shows `error` with ARM's (or Graph's) code, its message and what to do next (the advice
/// is part of the error's text).
/// A session that is redirecting to sign-in shows nothing: the page is about to unload.
#[component]
pub fn ErrorBox(
    /// The failure to explain.
    error: ApiError,
) -> impl IntoView {
    if error == ApiError::Redirecting {
        return None;
    }
    let code = error.code().map(str::to_owned);
    let code_attr = code.clone().unwrap_or_default();
    Some(view! {
        <div class="error" role="alert" data-testid="error" data-code=code_attr>
            {code.map(|code| view! { <strong class="error-code">{code}</strong> })}
            <p>{error.to_string()}</p>
        </div>
    })
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use keyless_core::arm::ArmError;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn mounted(error: ApiError) -> web_sys::HtmlElement {
        let document = web_sys::window().unwrap().document().unwrap();
        let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&root).unwrap();
        leptos::mount::mount_to(
            root.clone(),
            move || view! { <ErrorBox error=error.clone()/> },
        )
        .forget();
        root
    }

    #[wasm_bindgen_test]
    fn a_refused_write_shows_arms_code_message_and_what_to_ask_for() {
        let body = r#"{"error":{"code":"AuthorizationFailed","message":"The client 'reader@contoso.onmicrosoft.com' does not have authorization to perform action 'Microsoft.Cache/redis/write'."}}"#;
        let root = mounted(ApiError::Arm(ArmError::from_response(403, body)));
        let shown = root
            .query_selector(r#"[data-testid="error"]"#)
            .unwrap()
            .unwrap();
        assert_eq!(
            shown.get_attribute("data-code").as_deref(),
            Some("AuthorizationFailed")
        );
        let text = shown.text_content().unwrap();
        assert!(text.contains("does not have authorization"), "{text}");
        assert!(text.contains("Contributor"), "{text}");
    }

    #[wasm_bindgen_test]
    fn a_sign_in_redirect_under_way_shows_nothing() {
        let root = mounted(ApiError::Redirecting);
        assert!(
            root.query_selector(r#"[data-testid="error"]"#)
                .unwrap()
                .is_none()
        );
        assert_eq!(root.text_content().unwrap_or_default().trim(), "");
    }
}
