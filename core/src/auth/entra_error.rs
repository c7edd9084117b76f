//! Entra's error answers (`error`, `error_description` with an AADSTS code, `error_codes`),
//! turned into what the user must do about them.

use serde::Deserialize;

/// An error Entra returned, by redirect or from the token endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct EntraError {
    /// The OAuth error code: `invalid_grant`, `consent_required`, ...
    pub error: String,
    #[serde(default)]
    pub error_description: String,
    #[serde(default)]
    pub error_codes: Vec<u32>,
}

/// What the user must do about an error: the app acts on the first two by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remedy {
    /// The session ended or Entra needs the user (expired refresh token, MFA): sign in again.
    SignInAgain,
    /// A scope was never approved: sign in again and approve it.
    GrantConsent,
    /// The user cancelled or declined the permissions.
    Cancelled,
    /// The account belongs to another directory and is not a guest in this one.
    UseAnotherAccount,
    /// Keyless's app registration does not match this configuration: an administrator must fix it.
    FixAppRegistration,
    /// Entra is having trouble.
    TryLater,
    /// Nothing Keyless knows about: Entra's own words are all there is.
    Unknown,
}

impl EntraError {
    /// Reads the JSON body of a failed token request; `None` when it is not Entra's shape.
    pub fn from_json(body: &str) -> Option<Self> {
        serde_json::from_str(body).ok()
    }

    /// Reads a redirect answer's `error` and `error_description`; `None` without `error`.
    pub fn from_pairs(pairs: &[(String, String)]) -> Option<Self> {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, v)| v.clone())
        };
        Some(Self {
            error: get("error")?,
            error_description: get("error_description").unwrap_or_default(),
            error_codes: Vec::new(),
        })
    }

    /// The AADSTS number: the first of `error_codes`, else the one the description starts with.
    pub fn aadsts(&self) -> Option<u32> {
        self.error_codes.first().copied().or_else(|| {
            let rest = self.error_description.trim_start().strip_prefix("AADSTS")?;
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            rest[..end].parse().ok()
        })
    }

    /// The first line of the description without its `AADSTS...:` prefix; Entra appends trace
    /// and correlation ids on further lines, which mean nothing to the user.
    pub fn summary(&self) -> &str {
        let first = self.error_description.lines().next().unwrap_or("").trim();
        let without_code = first
            .strip_prefix("AADSTS")
            .and_then(|rest| rest.split_once(':'))
            .map_or(first, |(_, text)| text.trim());
        if without_code.is_empty() {
            &self.error
        } else {
            without_code
        }
    }

    pub fn remedy(&self) -> Remedy {
        match (self.error.as_str(), self.aadsts()) {
            (_, Some(50020 | 90072)) => Remedy::UseAnotherAccount,
            (_, Some(65004)) | ("access_denied", _) => Remedy::Cancelled,
            (_, Some(50011 | 700016 | 700054 | 9002326 | 9002327)) => Remedy::FixAppRegistration,
            ("invalid_grant" | "interaction_required" | "login_required", _) => Remedy::SignInAgain,
            ("consent_required", _) => Remedy::GrantConsent,
            ("invalid_client" | "unauthorized_client" | "invalid_request", _) => {
                Remedy::FixAppRegistration
            }
            ("temporarily_unavailable" | "server_error", _) => Remedy::TryLater,
            _ => Remedy::Unknown,
        }
    }
}

impl Remedy {
    /// Whether a new sign-in by redirect can clear the error without the user deciding anything.
    pub fn needs_redirect(self) -> bool {
        matches!(self, Remedy::SignInAgain | Remedy::GrantConsent)
    }

    fn advice(self) -> &'static str {
        match self {
            Remedy::SignInAgain => "Sign in again to continue.",
            Remedy::GrantConsent => "Sign in again and accept the permissions Keyless asks for.",
            Remedy::Cancelled => "Sign in again and accept the permissions to use Keyless.",
            Remedy::UseAnotherAccount => {
                "Sign in with an account of this directory, or ask its administrator to invite yours."
            }
            Remedy::FixAppRegistration => {
                "Keyless's app registration does not match its configuration: ask the administrator \
                 who set it up to check the client id, the SPA redirect URI and the tenant."
            }
            Remedy::TryLater => "Microsoft Entra ID is having trouble: try again in a few minutes.",
            Remedy::Unknown => {
                "Try signing in again; if it persists, show this message to your administrator."
            }
        }
    }
}

impl std::fmt::Display for EntraError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let summary = self.summary().trim_end_matches('.');
        match (self.aadsts(), self.error_description.trim().is_empty()) {
            (_, true) => write!(f, "Microsoft Entra ID answered {}. ", self.error)?,
            (Some(code), false) => write!(f, "{summary} (AADSTS{code}). ")?,
            (None, false) => write!(f, "{summary} ({}). ", self.error)?,
        }
        f.write_str(self.remedy().advice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPIRED: &str = r#"{
        "error": "invalid_grant",
        "error_description": "AADSTS700084: The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which was exceeded.\r\nTrace ID: 0c1a\r\nCorrelation ID: 77f2\r\nTimestamp: 2026-12-03 10:00:00Z",
        "error_codes": [700084],
        "timestamp": "2026-12-03 10:00:00Z",
        "trace_id": "0c1a",
        "correlation_id": "77f2"
    }"#;

    #[test]
    fn parses_a_token_endpoint_error_and_tells_the_user_to_sign_in_again() {
        let error = EntraError::from_json(EXPIRED).unwrap();
        assert_eq!(error.aadsts(), Some(700084));
        assert_eq!(error.remedy(), Remedy::SignInAgain);
        assert!(error.remedy().needs_redirect());
        let shown = error.to_string();
        assert!(
            shown.starts_with("The refresh token was issued to a single page app"),
            "{shown}"
        );
        assert!(shown.contains("(AADSTS700084). Sign in again"), "{shown}");
        assert!(!shown.contains("Trace ID"), "{shown}");
    }

    #[test]
    fn finds_the_aadsts_code_in_a_redirect_description() {
        let pairs = crate::auth::form::decode(
            "error=invalid_request&error_description=AADSTS50011%3A+The+redirect+URI+does+not+match.&state=s",
        );
        let error = EntraError::from_pairs(&pairs).unwrap();
        assert_eq!(error.aadsts(), Some(50011));
        assert_eq!(error.summary(), "The redirect URI does not match.");
        assert_eq!(error.remedy(), Remedy::FixAppRegistration);
        assert!(error.to_string().contains("SPA redirect URI"));
    }

    #[test]
    fn tells_each_kind_of_error_apart() {
        let kind = |error: &str, codes: &[u32]| {
            EntraError {
                error: error.into(),
                error_description: String::new(),
                error_codes: codes.to_vec(),
            }
            .remedy()
        };
        assert_eq!(kind("consent_required", &[65001]), Remedy::GrantConsent);
        assert_eq!(kind("interaction_required", &[50076]), Remedy::SignInAgain);
        assert_eq!(kind("access_denied", &[]), Remedy::Cancelled);
        assert_eq!(kind("invalid_request", &[90072]), Remedy::UseAnotherAccount);
        assert_eq!(kind("temporarily_unavailable", &[]), Remedy::TryLater);
        assert_eq!(kind("something_new", &[]), Remedy::Unknown);
        assert!(!Remedy::Cancelled.needs_redirect());
    }

    #[test]
    fn an_error_without_description_is_shown_by_its_name() {
        let error = EntraError::from_pairs(&[("error".into(), "access_denied".into())]).unwrap();
        assert_eq!(error.aadsts(), None);
        assert!(
            error
                .to_string()
                .starts_with("Microsoft Entra ID answered access_denied. Sign in"),
            "{error}"
        );
    }

    #[test]
    fn a_body_that_is_not_entras_shape_is_not_an_entra_error() {
        assert_eq!(EntraError::from_json("<html>502 Bad Gateway</html>"), None);
        assert_eq!(EntraError::from_pairs(&[("code".into(), "x".into())]), None);
    }
}
