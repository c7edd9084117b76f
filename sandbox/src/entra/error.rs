//! Entra's error shape: `error`, an `error_description` starting with the AADSTS code,
//! `error_codes`, `timestamp`, `trace_id` and `correlation_id`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use time::macros::format_description;

#[derive(Debug, Clone)]
pub struct EntraError {
    pub status: StatusCode,
    /// The OAuth error: invalid_request, invalid_grant, invalid_client, ...
    pub error: &'static str,
    pub code: u32,
    pub message: String,
    /// Entra's finer reason, such as `consent_required`.
    pub suberror: Option<&'static str>,
}

impl EntraError {
    pub fn new(error: &'static str, code: u32, message: impl Into<String>) -> EntraError {
        let status = if error == "invalid_client" { StatusCode::UNAUTHORIZED } else { StatusCode::BAD_REQUEST };
        EntraError { status, error, code, message: message.into(), suberror: None }
    }

    pub fn with_status(self, status: StatusCode) -> EntraError {
        EntraError { status, ..self }
    }

    pub fn with_suberror(self, suberror: &'static str) -> EntraError {
        EntraError { suberror: Some(suberror), ..self }
    }

    pub fn missing(parameter: &str) -> EntraError {
        EntraError::new("invalid_request", 900144, format!("The request body must contain the following parameter: '{parameter}'."))
    }

    /// "AADSTS<code>: <message>", as the sign-in page and the description start.
    pub fn headline(&self) -> String {
        format!("AADSTS{}: {}", self.code, self.message)
    }
}

impl IntoResponse for EntraError {
    fn into_response(self) -> Response {
        let timestamp = time::OffsetDateTime::now_utc()
            .format(format_description!("[year]-[month]-[day] [hour]:[minute]:[second]Z"))
            .expect("formattable time");
        let trace_id = crate::util::new_guid();
        let correlation_id = crate::util::new_guid();
        let mut body = json!({
            "error": self.error,
            "error_description": format!("{} Trace ID: {trace_id} Correlation ID: {correlation_id} Timestamp: {timestamp}", self.headline()),
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
        });
        if let Some(suberror) = self.suberror {
            body["suberror"] = suberror.into();
        }
        (self.status, Json(body)).into_response()
    }
}
