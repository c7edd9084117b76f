//! Everything that can go wrong while signing in or getting a token, worded for the user.

use super::entra_error::EntraError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthError {
    /// Entra refused: its code and description, and what to do.
    Entra(EntraError),
    /// A sign-in answer arrived but this tab did not start a sign-in (or already used it).
    NoPendingSignIn,
    /// The answer carried no `state`, so nothing proves this tab asked for it.
    MissingState,
    /// The answer's `state` belongs to another sign-in: possibly a forged link.
    StateMismatch,
    /// The id token was not issued to Keyless for this sign-in (`nonce` or `aud` differ).
    IdTokenMismatch,
    /// A token answer was for another account than the one signed in.
    AccountChanged,
    /// An answer Keyless cannot read; says which part.
    Malformed(String),
    /// Entra could not be reached.
    Network(String),
    /// The browser refused something sign-in needs (storage, randomness, navigation).
    Browser(String),
    /// The user signed out while the request was under way.
    SignedOut,
    /// A sign-in redirect has started; the page is about to leave.
    Redirecting,
}

impl AuthError {
    /// Whether signing in again (by redirect, with the same account) is the way out.
    pub fn needs_redirect(&self) -> bool {
        matches!(self, AuthError::Entra(error) if error.remedy().needs_redirect())
    }
}

impl From<EntraError> for AuthError {
    fn from(error: EntraError) -> Self {
        AuthError::Entra(error)
    }
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const RETRY: &str = "Sign in again from this tab.";
        match self {
            AuthError::Entra(error) => write!(f, "Sign-in failed: {error}"),
            AuthError::NoPendingSignIn => write!(
                f,
                "This sign-in was not started from this tab, or was already completed. {RETRY}"
            ),
            AuthError::MissingState | AuthError::StateMismatch => write!(
                f,
                "The sign-in answer does not match the sign-in this tab started, so Keyless \
                 ignored it. If you followed a link to get here, do not trust it. {RETRY}"
            ),
            AuthError::IdTokenMismatch => write!(
                f,
                "The identity token was not issued for this sign-in, so Keyless ignored it. {RETRY}"
            ),
            AuthError::AccountChanged => write!(
                f,
                "Microsoft Entra ID answered for a different account than the one signed in. \
                 Sign out, then sign in with the account you want to use."
            ),
            AuthError::Malformed(what) => {
                write!(
                    f,
                    "Microsoft Entra ID sent an answer Keyless cannot read ({what}). {RETRY}"
                )
            }
            AuthError::Network(why) => write!(
                f,
                "Microsoft Entra ID could not be reached ({why}). Check your connection and try again."
            ),
            AuthError::Browser(what) => write!(
                f,
                "This browser refused {what}, which signing in needs. Allow this site to store \
                 data for the session, then reload the page."
            ),
            AuthError::SignedOut => write!(f, "You signed out. Sign in to continue."),
            AuthError::Redirecting => write!(f, "Taking you to Microsoft to sign in..."),
        }
    }
}

impl std::error::Error for AuthError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn entra(error: &str, code: u32) -> AuthError {
        EntraError {
            error: error.into(),
            error_description: format!("AADSTS{code}: Something happened."),
            error_codes: vec![code],
        }
        .into()
    }

    #[test]
    fn only_entra_errors_that_sign_in_clears_ask_for_a_redirect() {
        assert!(entra("invalid_grant", 700084).needs_redirect());
        assert!(entra("interaction_required", 50076).needs_redirect());
        assert!(entra("consent_required", 65001).needs_redirect());
        assert!(!entra("invalid_client", 700016).needs_redirect());
        assert!(!AuthError::StateMismatch.needs_redirect());
        assert!(!AuthError::Network("offline".into()).needs_redirect());
    }

    #[test]
    fn the_message_carries_the_aadsts_code() {
        let shown = entra("invalid_client", 700016).to_string();
        assert!(shown.contains("AADSTS700016"), "{shown}");
        assert!(shown.contains("app registration"), "{shown}");
    }
}
