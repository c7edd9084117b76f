//! The request log the control API serves: every request to an emulated service, in order,
//! with secrets masked. A request whose connection was dropped keeps `status: null`.

use super::{body_bytes, Ctx};
use crate::state::Service;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub service: Service,
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: BTreeMap<String, String>,
    pub body: Value,
    pub status: Option<u16>,
}

/// Form fields that carry secrets or grants.
const SECRET_FIELDS: [&str; 6] = ["code", "code_verifier", "refresh_token", "client_secret", "client_assertion", "password"];
const MASK: &str = "***";

pub async fn record(State(ctx): State<Ctx>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = body_bytes(body).await;
    let entry = LoggedRequest {
        service: ctx.service,
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), mask_header(name, value.to_str().unwrap_or("<binary>"))))
            .collect(),
        body: loggable_body(parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()), &bytes),
        status: None,
    };
    let index = {
        let mut log = ctx.shared.log.lock().expect("log lock");
        log.push(entry);
        log.len() - 1
    };
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    if let Some(entry) = ctx.shared.log.lock().expect("log lock").get_mut(index) {
        entry.status = Some(response.status().as_u16());
    }
    response
}

fn mask_header(name: &header::HeaderName, value: &str) -> String {
    if name == header::AUTHORIZATION {
        match value.split_once(' ') {
            Some((scheme, _)) => format!("{scheme} {MASK}"),
            None => MASK.into(),
        }
    } else if name == header::COOKIE {
        MASK.into()
    } else {
        value.to_owned()
    }
}

/// JSON bodies as JSON, form bodies as an object of fields with secrets masked.
fn loggable_body(content_type: Option<&str>, bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    if content_type.is_some_and(|t| t.starts_with("application/x-www-form-urlencoded")) {
        let fields: Map<String, Value> = url::form_urlencoded::parse(bytes)
            .map(|(k, v)| {
                let value = if SECRET_FIELDS.contains(&k.as_ref()) { MASK.to_owned() } else { v.into_owned() };
                (k.into_owned(), Value::String(value))
            })
            .collect();
        return Value::Object(fields);
    }
    serde_json::from_slice(bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_reach_the_log() {
        let body = loggable_body(Some("application/x-www-form-urlencoded"), b"grant_type=refresh_token&refresh_token=abc&scope=openid");
        assert_eq!(body["refresh_token"], MASK);
        assert_eq!(body["grant_type"], "refresh_token");
        assert_eq!(mask_header(&header::AUTHORIZATION, "Bearer eyJ.secret"), "Bearer ***");
    }
}
