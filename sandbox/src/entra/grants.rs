//! What sign-in hands out and remembers: authorization codes, refresh tokens, browser sessions
//! and issued access tokens. Revoking a principal bumps its generation, which voids everything
//! issued to it before.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Authorization codes live this long, as in Entra.
pub const CODE_LIFETIME: Duration = Duration::from_secs(600);

#[derive(Debug, Clone)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub object_id: String,
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    pub issued: Instant,
    pub signed_in: SignIn,
}

/// A sign-in: who, when (unix seconds, for `auth_time`), and under which generation.
#[derive(Debug, Clone, Copy)]
pub struct SignIn {
    pub at: u64,
    pub at_instant: Instant,
    pub generation: u32,
}

#[derive(Debug, Clone)]
pub struct RefreshGrant {
    pub client_id: String,
    pub object_id: String,
    pub signed_in: SignIn,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub object_id: String,
    pub signed_in: SignIn,
}

#[derive(Debug, Default)]
pub struct Grants {
    pub codes: HashMap<String, AuthCode>,
    /// Codes already redeemed, so a replay is told apart from a made-up code.
    pub redeemed: HashMap<String, String>,
    pub refresh_tokens: HashMap<String, RefreshGrant>,
    pub sessions: HashMap<String, Session>,
    access_tokens: HashMap<String, (String, u32)>,
    generations: HashMap<String, u32>,
}

impl Grants {
    pub fn generation(&self, object_id: &str) -> u32 {
        self.generations.get(&object_id.to_ascii_lowercase()).copied().unwrap_or(0)
    }

    pub fn sign_in(&self, object_id: &str) -> SignIn {
        SignIn { at: crate::util::unix_now(), at_instant: Instant::now(), generation: self.generation(object_id) }
    }

    pub fn is_current(&self, object_id: &str, signed_in: SignIn) -> bool {
        self.generation(object_id) == signed_in.generation
    }

    /// Voids every token, code and session issued to the principal so far.
    pub fn revoke(&mut self, object_id: &str) {
        *self.generations.entry(object_id.to_ascii_lowercase()).or_default() += 1;
    }

    pub fn record_access_token(&mut self, uti: String, object_id: &str) {
        let generation = self.generation(object_id);
        self.access_tokens.insert(uti, (object_id.to_ascii_lowercase(), generation));
    }

    pub fn access_token_current(&self, uti: &str) -> bool {
        self.access_tokens.get(uti).is_some_and(|(object_id, generation)| self.generation(object_id) == *generation)
    }

    /// The principal a session cookie belongs to, if the session is still good.
    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.get(id).filter(|s| self.is_current(&s.object_id, s.signed_in))
    }
}
