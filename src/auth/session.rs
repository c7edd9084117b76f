//! The signed-in session: the account, the newest refresh token, and one access token per
//! resource, renewed silently before it expires.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use keyless_core::auth::{AccessToken, Account, AuthError, Client, Resource, TokenResponse};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::browser;
use super::sign_in::{self, SignedIn};

/// The account and refresh token, kept so a reload of this tab does not ask to sign in again.
const SESSION_KEY: &str = "keyless.session";

/// Where the session lives on the page: `None` when signed out.
pub(super) type SessionSlot = RwSignal<Option<Session>, LocalStorage>;

/// What every session of this tab shares with the page around it.
#[derive(Clone)]
pub(super) struct Host {
    pub(super) client: Client,
    pub(super) slot: SessionSlot,
    /// The router's navigation, to return to `/` on sign-out without reloading.
    pub(super) navigate: Rc<dyn Fn(&str)>,
}

/// What survives a reload: never an access token.
#[derive(Serialize, Deserialize)]
struct Stored {
    account: Account,
    refresh_token: String,
    home_account_id: Option<String>,
}

/// A signed-in user. Cheap to clone; every clone is the same session.
#[derive(Clone)]
pub struct Session(Rc<Inner>);

struct Inner {
    host: Host,
    account: Account,
    /// `uid.utid` from `client_info`: every later answer must be for the same account.
    home_account_id: Option<String>,
    refresh_token: RefCell<String>,
    access: RefCell<Vec<(Resource, AccessToken)>>,
    /// One renewal at a time: each one rotates the refresh token the next one must use.
    renewing: Cell<bool>,
    /// Set once a sign-in redirect has started: later calls must not start another, which
    /// would replace the request state the first one is coming back with.
    redirecting: Cell<bool>,
}

impl Session {
    /// The session a completed sign-in starts, saved (by `remember`) for reloads of this tab.
    pub(super) fn start(host: Host, signed_in: SignedIn) -> Result<Self, AuthError> {
        let SignedIn {
            account,
            tokens,
            resource,
            ..
        } = signed_in;
        let refresh_token = tokens
            .refresh_token
            .clone()
            .ok_or_else(|| AuthError::Malformed("the answer has no refresh token".into()))?;
        let session = Self::new(
            host,
            account,
            refresh_token,
            sign_in::home_account_id(&tokens)?,
        );
        session.remember(resource, &tokens);
        Ok(session)
    }

    /// The session saved by an earlier page load of this tab, if any.
    pub(super) fn restore(host: Host) -> Option<Self> {
        let stored: Stored = browser::load(SESSION_KEY)?;
        Some(Self::new(
            host,
            stored.account,
            stored.refresh_token,
            stored.home_account_id,
        ))
    }

    fn new(host: Host, account: Account, refresh_token: String, home: Option<String>) -> Self {
        Self(Rc::new(Inner {
            host,
            account,
            home_account_id: home,
            refresh_token: RefCell::new(refresh_token),
            access: RefCell::default(),
            renewing: Cell::new(false),
            redirecting: Cell::new(false),
        }))
    }

    /// An access token for `resource`, renewed when within five minutes of expiry. When only a
    /// new sign-in can help, starts it (back to the current page) and answers `Redirecting`.
    pub async fn token(&self, resource: Resource) -> Result<String, AuthError> {
        if let Some(token) = self.cached(resource) {
            return Ok(token);
        }
        let _turn = self.take_turn().await;
        if self.0.redirecting.get() {
            return Err(AuthError::Redirecting);
        }
        // A page still holding a signed-out session must not sign it back in.
        if !self.is_current() {
            return Err(AuthError::SignedOut);
        }
        // Another call may have renewed it while this one waited.
        if let Some(token) = self.cached(resource) {
            return Ok(token);
        }
        match self.renew(resource).await {
            Err(error) if error.needs_redirect() => Err(self.sign_in_again(resource)),
            result => result,
        }
    }

    /// Forgets `token` for `resource` when the resource refused it (revoked before its expiry),
    /// so the next call renews it, or signs in again when the refresh token is dead too.
    pub fn token_refused(&self, resource: Resource, token: &str) {
        self.0
            .access
            .borrow_mut()
            .retain(|(r, held)| *r != resource || held.secret() != token);
    }

    /// Who is signed in.
    pub fn account(&self) -> Account {
        self.0.account.clone()
    }

    /// Forgets every token and everything this tab stored, and returns to `/`.
    pub fn sign_out(&self) {
        self.0.access.borrow_mut().clear();
        self.0.refresh_token.borrow_mut().clear();
        browser::clear_tab_storage();
        self.0.host.slot.set(None);
        (self.0.host.navigate)("/");
    }

    /// Waits until no other renewal is under way; the turn ends when the guard drops.
    async fn take_turn(&self) -> Turn<'_> {
        while self.0.renewing.replace(true) {
            TimeoutFuture::new(25).await;
        }
        Turn(&self.0.renewing)
    }

    fn cached(&self, resource: Resource) -> Option<String> {
        let now = browser::now_ms();
        let access = self.0.access.borrow();
        access
            .iter()
            .find(|(r, token)| *r == resource && token.is_fresh(now))
            .map(|(_, token)| token.secret().to_owned())
    }

    async fn renew(&self, resource: Resource) -> Result<String, AuthError> {
        let client = &self.0.host.client;
        let refresh_token = self.0.refresh_token.borrow().clone();
        let tokens = sign_in::redeem(client, client.refresh_form(&refresh_token, resource)).await?;
        if !self.is_current() {
            return Err(AuthError::SignedOut);
        }
        let home = sign_in::home_account_id(&tokens)?;
        if home.is_some() && self.0.home_account_id.is_some() && home != self.0.home_account_id {
            return Err(AuthError::AccountChanged);
        }
        Ok(self.remember(resource, &tokens))
    }

    /// Keeps the answer's access token, and its refresh token as the newest one.
    fn remember(&self, resource: Resource, tokens: &TokenResponse) -> String {
        let token = tokens.access_token(browser::now_ms());
        let secret = token.secret().to_owned();
        let mut access = self.0.access.borrow_mut();
        access.retain(|(r, _)| *r != resource);
        access.push((resource, token));
        drop(access);
        if let Some(newest) = &tokens.refresh_token {
            *self.0.refresh_token.borrow_mut() = newest.clone();
            self.save();
        }
        secret
    }

    fn save(&self) {
        let stored = Stored {
            account: self.0.account.clone(),
            refresh_token: self.0.refresh_token.borrow().clone(),
            home_account_id: self.0.home_account_id.clone(),
        };
        // Without storage the session still works; only a reload will ask to sign in again.
        let _ = browser::save(SESSION_KEY, &stored);
    }

    /// Whether this is still the page's session (not signed out or replaced meanwhile).
    fn is_current(&self) -> bool {
        self.0.host.slot.with_untracked(|slot| {
            slot.as_ref()
                .is_some_and(|current| Rc::ptr_eq(&current.0, &self.0))
        })
    }

    /// Signs in again as the same account, asking for `resource` in case it lacks consent.
    fn sign_in_again(&self, resource: Resource) -> AuthError {
        self.0.redirecting.set(true);
        sign_in::start(
            &self.0.host.client,
            browser::current_path(),
            resource,
            Some(&self.0.account),
        )
    }
}

/// A renewal turn; dropping it lets the next renewal start.
struct Turn<'a>(&'a Cell<bool>);

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}
