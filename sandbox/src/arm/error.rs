//! Resource Manager's error shape: `{"error":{"code","message","details"?}}` with the status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct ArmError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub details: Vec<Value>,
    pub retry_after: Option<u64>,
    pub www_authenticate: Option<String>,
}

impl ArmError {
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> ArmError {
        ArmError { status, code: code.into(), message: message.into(), details: Vec::new(), retry_after: None, www_authenticate: None }
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> ArmError {
        ArmError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found(code: &str, message: impl Into<String>) -> ArmError {
        ArmError::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn with_details(self, details: Vec<Value>) -> ArmError {
        ArmError { details, ..self }
    }

    pub fn with_retry_after(self, seconds: Option<u64>) -> ArmError {
        ArmError { retry_after: seconds, ..self }
    }

    pub fn body(&self) -> Value {
        let mut error = json!({ "code": self.code, "message": self.message });
        if !self.details.is_empty() {
            error["details"] = Value::Array(self.details.clone());
        }
        json!({ "error": error })
    }

    /// A cache write refused because an operation is running on it.
    pub fn busy(resource_id: &str) -> ArmError {
        ArmError::new(
            StatusCode::CONFLICT,
            "Conflict",
            format!("The resource '{resource_id}' is busy processing a previous update request or is undergoing system maintenance. As such, it is currently unable to accept the update request. Please try again later."),
        )
    }
}

impl IntoResponse for ArmError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        let headers = response.headers_mut();
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, seconds.into());
        }
        if let Some(challenge) = self.www_authenticate.and_then(|c| HeaderValue::from_str(&c).ok()) {
            headers.insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}
