//! The answer Entra puts in the redirect URI's fragment: a code, or an error.

use super::entra_error::EntraError;
use super::error::AuthError;
use super::form;

/// A sign-in answer read from `#code=..&state=..` or `#error=..&error_description=..&state=..`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirectResponse {
    Code {
        code: String,
        state: Option<String>,
    },
    Error {
        error: EntraError,
        state: Option<String>,
    },
}

impl RedirectResponse {
    /// `None` when the text carries neither `code` nor `error`: not a sign-in answer at all.
    pub fn parse(fragment: &str) -> Option<Self> {
        let pairs = form::decode(fragment);
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, v)| v.clone())
        };
        let state = get("state");
        if let Some(error) = EntraError::from_pairs(&pairs) {
            return Some(RedirectResponse::Error { error, state });
        }
        Some(RedirectResponse::Code {
            code: get("code")?,
            state,
        })
    }

    /// The code, once the `state` proves this tab asked for it. An error is reported unless its
    /// state names another sign-in (then it is not this tab's to show).
    pub fn into_code(self, expected_state: &str) -> Result<String, AuthError> {
        match self {
            RedirectResponse::Code { state: None, .. } => Err(AuthError::MissingState),
            RedirectResponse::Code {
                state: Some(state),
                code,
            } if state == expected_state => Ok(code),
            RedirectResponse::Error {
                state: Some(state), ..
            } if state != expected_state => Err(AuthError::StateMismatch),
            RedirectResponse::Error { error, .. } => Err(AuthError::Entra(error)),
            RedirectResponse::Code { .. } => Err(AuthError::StateMismatch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_code_and_checks_its_state() {
        let response =
            RedirectResponse::parse("#code=0.AX%2Bcode&state=s-1&session_state=x").unwrap();
        assert_eq!(response.clone().into_code("s-1"), Ok("0.AX+code".into()));
        assert_eq!(response.into_code("s-2"), Err(AuthError::StateMismatch));
    }

    #[test]
    fn reads_an_answer_sent_by_query_too() {
        let response = RedirectResponse::parse("?code=abc&state=s-1").unwrap();
        assert_eq!(response.into_code("s-1"), Ok("abc".into()));
    }

    #[test]
    fn a_code_without_state_is_refused() {
        let response = RedirectResponse::parse("code=abc").unwrap();
        assert_eq!(response.into_code("s-1"), Err(AuthError::MissingState));
    }

    #[test]
    fn reads_an_error_with_its_aadsts_code() {
        let fragment = "#error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent.&state=s-1";
        let Err(AuthError::Entra(error)) =
            RedirectResponse::parse(fragment).unwrap().into_code("s-1")
        else {
            panic!("an Entra error was expected");
        };
        assert_eq!(error.error, "access_denied");
        assert_eq!(error.aadsts(), Some(65004));
    }

    #[test]
    fn an_error_for_another_sign_in_is_not_shown_as_ours() {
        let response = RedirectResponse::parse("error=login_required&state=other").unwrap();
        assert_eq!(response.into_code("s-1"), Err(AuthError::StateMismatch));
    }

    #[test]
    fn an_ordinary_fragment_is_not_a_sign_in_answer() {
        assert_eq!(RedirectResponse::parse(""), None);
        assert_eq!(RedirectResponse::parse("#section-2"), None);
        assert_eq!(RedirectResponse::parse("#state=s-1"), None);
    }
}
