//! Sign-in with Microsoft Entra ID (authorization code + PKCE) and the token store.
//!
//! Other pages need only [`use_session`], [`Session::token`] and [`RequireSignIn`].

mod browser;
mod session;
mod sign_in;
mod views;

use std::rc::Rc;

use keyless_core::auth::RedirectResponse;
pub use keyless_core::auth::{Account, AuthError, Resource};
use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};

pub use session::Session;
use session::{Host, SessionSlot};
pub use views::{AccountBar, Home, RequireSignIn};

use crate::config::Config;

/// Where a sign-in answer brought back by Entra stands.
#[derive(Clone, Debug, PartialEq)]
enum Completion {
    /// No answer came back with this page load.
    None,
    /// The code is being redeemed.
    Pending,
    Failed(AuthError),
}

/// The sign-in state the whole page shares.
#[derive(Clone, Copy)]
struct Auth {
    session: SessionSlot,
    completion: RwSignal<Completion>,
    /// The last sign-in renewed one that had ended: say so until the user dismisses it.
    signed_in_again: RwSignal<bool>,
    host: StoredValue<Host, LocalStorage>,
    /// The sign-in answer this page load brought, until the home page redeems it.
    answer: StoredValue<Option<RedirectResponse>>,
}

/// Reads a sign-in answer from the address and removes it: call first thing at start-up.
pub fn take_sign_in_answer() -> Option<RedirectResponse> {
    sign_in::take_answer()
}

/// Provides the sign-in state to the page, restoring this tab's session if it has one.
/// Must be called inside the router.
pub fn provide_auth(config: &Config, answer: Option<RedirectResponse>) {
    let navigate = use_navigate();
    let slot: SessionSlot = RwSignal::new_local(None);
    let host = Host {
        client: config.client(),
        slot,
        navigate: Rc::new(move |path| navigate(path, NavigateOptions::default())),
    };
    slot.set(Session::restore(host.clone()));
    provide_context(Auth {
        session: slot,
        completion: RwSignal::new(Completion::None),
        signed_in_again: RwSignal::new(false),
        host: StoredValue::new_local(host),
        answer: StoredValue::new(answer),
    });
}

/// The signed-in session, `None` when signed out. Reactive: re-read on sign-in and sign-out.
pub fn use_session() -> Option<Session> {
    expect_context::<Auth>().session.get()
}
