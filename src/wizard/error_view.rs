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
