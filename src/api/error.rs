//! The one error type of the browser's calls to Resource Manager and Microsoft Graph, carrying
//! what the user must see: the service's own code and message, and advice when there is some.
use keyless_core::arm::ArmError;
use std::fmt;

/// Why a call to Azure did not give the answer the wizard needed.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The session left for the sign-in page; the page is about to unload, so show nothing.
    Redirecting,
    /// No token could be had for the call.
    SignIn(String),
    /// Resource Manager answered with an error.
    Arm(ArmError),
    /// Microsoft Graph answered with an error (same body shape, different advice).
    Graph(ArmError),
    /// The request got no answer at all (network down, CORS refusal, origin unreachable).
    Network(String),
    /// The answer arrived but was not what the published spec describes.
    Unreadable(String),
    /// A long-running operation ended `Failed` or `Canceled`, or one of its polls was refused.
    OperationFailed(ArmError),
    /// A long-running operation outlived the time it is allowed.
    TimedOut { minutes: u64 },
}

impl ApiError {
    /// The service's error code, when there is one: what end-to-end checks and support look for.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Arm(e) | Self::Graph(e) | Self::OperationFailed(e) => Some(&e.code),
            _ => None,
        }
    }

    /// The HTTP status of a service error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Arm(e) | Self::Graph(e) => Some(e.status),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Redirecting => f.write_str("Signing in again…"),
            Self::SignIn(why) => write!(f, "Sign-in failed: {why}"),
            Self::Arm(e) => e.fmt(f),
            Self::Graph(e) if e.status == 403 => write!(
                f,
                "{} ({}, HTTP 403) Your account may not search this directory: paste the object id \
                 instead.",
                e.message.trim(),
                e.code
            ),
            Self::Graph(e) => write!(f, "{} ({}, HTTP {})", e.message.trim(), e.code, e.status),
            Self::Network(why) => write!(f, "No answer from Azure: {why}"),
            Self::Unreadable(why) => write!(f, "Unexpected answer from Azure: {why}"),
            Self::OperationFailed(e) => write!(f, "The change did not complete: {e}"),
            Self::TimedOut { minutes } => {
                write!(
                    f,
                    "The operation was still running after {minutes} minutes."
                )
            }
        }
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arm_error_keeps_its_code_and_explains_a_missing_role() {
        let body = r#"{"error":{"code":"AuthorizationFailed","message":"The client 'reader' does not have authorization to perform action 'Microsoft.Cache/redis/write'."}}"#;
        let error = ApiError::Arm(ArmError::from_response(403, body));
        assert_eq!(error.code(), Some("AuthorizationFailed"));
        let text = error.to_string();
        assert!(text.contains("does not have authorization"), "{text}");
        assert!(text.contains("Contributor"), "{text}");
    }

    #[test]
    fn a_graph_refusal_points_to_pasting_the_object_id() {
        let body = r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges."}}"#;
        let text = ApiError::Graph(ArmError::from_response(403, body)).to_string();
        assert!(
            text.contains("Insufficient privileges") && text.contains("paste the object id"),
            "{text}"
        );
    }

    #[test]
    fn errors_without_a_service_carry_no_code() {
        assert_eq!(ApiError::Network("refused".into()).code(), None);
        assert_eq!(ApiError::TimedOut { minutes: 45 }.code(), None);
    }
}
