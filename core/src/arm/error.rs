//! Resource Manager error bodies, turned into what the person running the wizard must see.

use super::retry::is_retryable_status;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One `error` object (`ErrorDetail` in the common types), nested in `details`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ErrorDetail {
    pub code: Option<String>,
    pub message: Option<String>,
    pub target: Option<String>,
    pub details: Vec<ErrorDetail>,
}

#[derive(Deserialize)]
struct ErrorResponse {
    error: ErrorDetail,
}

/// A failed Resource Manager call: the HTTP status with ARM's code and message, shown verbatim,
/// plus advice for the codes an admin meets while switching a cache.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub target: Option<String>,
    pub details: Vec<ErrorDetail>,
}

/// Longest excerpt of a non-JSON body kept in the message (gateways answer with whole pages).
const EXCERPT_CHARS: usize = 200;

impl ArmError {
    /// Reads an error answer. Accepts `{"error":{...}}`, a bare `{"code","message"}`, and bodies
    /// that are not JSON at all (proxies, gateways), which keep a short excerpt as the message.
    pub fn from_response(status: u16, body: &str) -> Self {
        let detail = serde_json::from_str::<ErrorResponse>(body)
            .map(|r| r.error)
            .or_else(|_| serde_json::from_str::<ErrorDetail>(body))
            .ok()
            .filter(|d| d.code.is_some() || d.message.is_some());
        match detail {
            Some(detail) => Self::from_detail(status, detail),
            None => {
                let excerpt: String = body.trim().chars().take(EXCERPT_CHARS).collect();
                Self::from_detail(
                    status,
                    ErrorDetail {
                        message: Some(excerpt),
                        ..ErrorDetail::default()
                    },
                )
            }
        }
    }

    /// An error carried inside a body, such as a long-running operation that ended `Failed`.
    pub fn from_detail(status: u16, detail: ErrorDetail) -> Self {
        let message = detail
            .message
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| {
                format!("Azure Resource Manager answered HTTP {status} without an explanation.")
            });
        Self {
            status,
            code: detail
                .code
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| format!("HTTP{status}")),
            message,
            target: detail.target,
            details: detail.details,
        }
    }

    /// Whether repeating the same call later may succeed (busy, throttled, transient failure).
    pub fn is_retryable(&self) -> bool {
        is_retryable_status(self.status)
    }

    /// What to do about it, for the errors an admin is expected to meet.
    pub fn advice(&self) -> Option<&'static str> {
        let code = self.code.to_ascii_lowercase();
        Some(match (code.as_str(), self.status) {
            ("authorizationfailed" | "linkedauthorizationfailed", _) | (_, 403) => {
                "Your account is not allowed to do this on the cache. Ask for the Contributor role \
                 (or Redis Cache Contributor) on the cache or its resource group, then sign in again."
            }
            (
                "invalidauthenticationtoken"
                | "expiredauthenticationtoken"
                | "invalidauthenticationtokentenant",
                _,
            )
            | (_, 401) => {
                "Your sign-in is no longer valid. Sign in again: the wizard resumes where it stopped."
            }
            ("resourcenotfound" | "resourcegroupnotfound" | "subscriptionnotfound", _)
            | (_, 404) => {
                "The cache no longer exists or is no longer visible to you. Pick it again from the list."
            }
            ("invalidaccesspolicyassignment", _) => {
                "Only users, service principals and managed identities of the cache's own directory \
                 can be Redis users; groups cannot."
            }
            (_, 409) => {
                "The cache is busy with another update. Wait until it is back to Succeeded, then retry."
            }
            (_, 429) => "Azure is limiting the rate of requests. Wait a minute, then retry.",
            (_, 500..=599) => "Azure had a temporary problem. Retry in a few minutes.",
            _ => return None,
        })
    }
}

impl fmt::Display for ArmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}, HTTP {})",
            self.message.trim(),
            self.code,
            self.status
        )?;
        for detail in &self.details {
            if let Some(m) = detail.message.as_deref().filter(|m| *m != self.message) {
                write!(f, " {}", m.trim())?;
            }
        }
        if let Some(advice) = self.advice() {
            write!(f, " {advice}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ArmError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authorization_failure_keeps_code_and_message_and_explains() {
        let body = r#"{"error":{"code":"AuthorizationFailed","message":"The client 'reader@contoso.com' with object id '1b3f' does not have authorization to perform action 'Microsoft.Cache/redis/write' over scope '/subscriptions/x/resourceGroups/rg1/providers/Microsoft.Cache/redis/cache1' or the scope is invalid."}}"#;
        let e = ArmError::from_response(403, body);
        assert_eq!((e.status, e.code.as_str()), (403, "AuthorizationFailed"));
        assert!(e.message.starts_with("The client 'reader@contoso.com'"));
        let shown = e.to_string();
        assert!(shown.contains("AuthorizationFailed, HTTP 403"), "{shown}");
        assert!(shown.contains("Contributor"), "{shown}");
        assert!(!e.is_retryable());
    }

    #[test]
    fn nested_details_and_target_are_kept() {
        let body = r#"{"error":{"code":"BadRequest","message":"Invalid request.","target":"properties","details":[{"code":"InvalidAccessPolicyAssignment","message":"Groups are not supported."}],"additionalInfo":[]}}"#;
        let e = ArmError::from_response(400, body);
        assert_eq!(e.target.as_deref(), Some("properties"));
        assert_eq!(
            e.details[0].code.as_deref(),
            Some("InvalidAccessPolicyAssignment")
        );
        assert!(e.to_string().contains("Groups are not supported."));
    }

    #[test]
    fn a_busy_cache_is_retryable() {
        let e = ArmError::from_response(
            409,
            r#"{"error":{"code":"Conflict","message":"The resource 'cache1' is busy processing a previous update request or is undergoing system maintenance."}}"#,
        );
        assert!(e.is_retryable());
        assert!(e.to_string().contains("busy with another update"));
    }

    #[test]
    fn bodies_that_are_not_json_or_empty_still_explain() {
        let e = ArmError::from_response(502, "<html><body>Bad Gateway</body></html>");
        assert_eq!(e.code, "HTTP502");
        assert!(e.message.contains("Bad Gateway"));
        assert!(e.is_retryable());
        let e = ArmError::from_response(500, "");
        assert!(e.message.contains("HTTP 500"), "{}", e.message);
        let e = ArmError::from_response(400, r#"{"code":"BadRequest","message":"bare"}"#);
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("BadRequest", "bare")
        );
        let long = "x".repeat(5000);
        assert_eq!(
            ArmError::from_response(500, &long).message.len(),
            EXCERPT_CHARS
        );
    }
}
