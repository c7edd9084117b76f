//! The sign-in screens: the home page, the guard for pages that need a session, the header.

use keyless_core::auth::{AuthError, Resource, ReturnPath};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{NavigateOptions, hooks::use_navigate};

use super::{Auth, Completion, Session, browser, sign_in};

/// Replaces the current history entry, so Back does not return to a spent sign-in page.
fn replacing() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..NavigateOptions::default()
    }
}

/// The landing page: says what Keyless does, offers sign-in, completes the sign-in Entra sends
/// back, and moves on to the caches once signed in.
#[component]
pub fn Home() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let navigate = use_navigate();
    match auth.answer.try_update_value(Option::take).flatten() {
        Some(answer) => {
            auth.completion.set(Completion::Pending);
            spawn_local(async move {
                let host = auth.host.get_value();
                let signed_in = sign_in::complete(&host.client, answer)
                    .await
                    .and_then(|done| {
                        let (return_to, again) = (done.return_to.clone(), done.again);
                        Ok((Session::start(host, done)?, return_to, again))
                    });
                match signed_in {
                    Ok((session, return_to, again)) => {
                        auth.signed_in_again.set(again);
                        auth.session.set(Some(session));
                        auth.completion.set(Completion::None);
                        navigate(return_to.as_str(), replacing());
                    }
                    Err(error) => auth.completion.set(Completion::Failed(error)),
                }
            });
        }
        None => {
            Effect::new(move || {
                if auth.session.with(Option::is_some) {
                    navigate(ReturnPath::default().as_str(), replacing());
                }
            });
        }
    }

    view! {
        <section class="home">
            <h1>"Keyless"</h1>
            <p class="lede">
                "Move an Azure Cache for Redis from access keys to Microsoft Entra ID authentication."
            </p>
            <p>
                "Sign in, pick a cache and choose who may use it: Keyless adds the Redis users, \
                 enables Entra and gives you the connection code."
            </p>
            {move || match auth.completion.get() {
                Completion::Pending => {
                    view! { <p class="notice" role="status">"Signing you in..."</p> }.into_any()
                }
                Completion::Failed(error) => {
                    view! {
                        <AuthProblem error/>
                        <SignInButton to=ReturnPath::default()/>
                    }
                        .into_any()
                }
                Completion::None => view! { <SignInButton to=ReturnPath::default()/> }.into_any(),
            }}
        </section>
    }
}

/// Renders its children when signed in; otherwise offers to sign in and come back here.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <Show
            when=move || auth.session.with(Option::is_some)
            fallback=|| {
                view! {
                    <section class="sign-in-required">
                        <p>"Sign in with your Azure account to continue."</p>
                        <SignInButton/>
                    </section>
                }
            }
        >
            {children()}
        </Show>
    }
}

/// The page header: the product name, and the signed-in account with a way to sign out.
#[component]
pub fn AccountBar() -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <header class="app-header">
            <a class="brand" href="/">"Keyless"</a>
            {move || {
                auth.session.get().map(|session| {
                    let account = session.account();
                    view! {
                        <div class="account">
                            <span data-testid="account" title=account.upn>{account.name}</span>
                            <button
                                type="button"
                                class="secondary"
                                data-testid="sign-out"
                                on:click=move |_| session.sign_out()
                            >
                                "Sign out"
                            </button>
                        </div>
                    }
                })
            }}
        </header>
        <Show when=move || auth.signed_in_again.get()>
            <p class="notice" role="status" data-testid="signed-in-again">
                "Your sign-in had ended (it expired or was revoked), so Microsoft Entra asked you to sign in again. \
                 You are back where you were; nothing you chose was lost."
                <button type="button" class="secondary" on:click=move |_| auth.signed_in_again.set(false)>
                    "OK"
                </button>
            </p>
        </Show>
    }
}

/// Starts a sign-in by redirect.
#[component]
fn SignInButton(
    /// Where to land once signed in; the current page when absent.
    #[prop(optional)]
    to: Option<ReturnPath>,
) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let problem = RwSignal::new(None::<AuthError>);
    let sign_in = move |_| {
        let return_to = to.clone().unwrap_or_else(browser::current_path);
        let client = auth.host.with_value(|host| host.client.clone());
        match sign_in::start(&client, return_to, Resource::Arm, None) {
            AuthError::Redirecting => {}
            error => problem.set(Some(error)),
        }
    };
    view! {
        <button type="button" id="sign-in" on:click=sign_in>
            "Sign in with Microsoft"
        </button>
        {move || problem.get().map(|error| view! { <AuthProblem error/> })}
    }
}

/// A sign-in error, worded for the user.
#[component]
fn AuthProblem(error: AuthError) -> impl IntoView {
    view! {
        <p class="error" role="alert" data-testid="auth-error">
            {error.to_string()}
        </p>
    }
}
