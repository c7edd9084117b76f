//! The fetch layer under both clients: a bearer token on every call, one more try after a 401,
//! and patient retries when Azure says "busy" (409) or "slow down" (429), as `Retry-After` asks.
use super::ApiError;
use crate::auth::{AuthError, Resource, Session};
use gloo_net::http::{Method, RequestBuilder};
use keyless_core::arm::{ArmError, Backoff};
use keyless_core::lro::Answer;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

/// An answer: its status and body, and the headers that say how to follow or retry it.
pub struct Reply {
    pub answer: Answer,
    pub body: String,
}

impl Reply {
    /// The body as the spec's type; an empty body reads as JSON `null`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        let text = if self.body.trim().is_empty() {
            "null"
        } else {
            &self.body
        };
        serde_json::from_str(text).map_err(|e| ApiError::Unreadable(e.to_string()))
    }
}

/// A back-off under way, so a long wait is never silent.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiting {
    /// The status that asked for it: 409 (busy) or 429 (throttled), or a transient 5xx.
    pub status: u16,
    pub seconds: u64,
    /// 1 for the first retry.
    pub retry: u32,
}

/// An authenticated JSON caller for one resource (Resource Manager or Graph).
#[derive(Clone)]
pub struct Http {
    session: Session,
    resource: Resource,
    backoff: Backoff,
    waiting: Option<WriteSignal<Option<Waiting>>>,
}

impl Http {
    pub fn new(session: Session, resource: Resource) -> Self {
        Self {
            session,
            resource,
            backoff: Backoff::default(),
            waiting: None,
        }
    }

    /// Reports each back-off to `signal`, and clears it when the call is answered.
    pub fn reporting(mut self, signal: WriteSignal<Option<Waiting>>) -> Self {
        self.waiting = Some(signal);
        self
    }

    /// Sends one request and returns its success answer, retrying only what Azure asks to retry.
    pub async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&serde_json::Value>,
        extra_headers: &[(&str, &str)],
    ) -> Result<Reply, ApiError> {
        let mut asked_again = false;
        let mut retry = 0;
        loop {
            let token = self.token().await?;
            let reply = send_once(method.clone(), url, body, extra_headers, &token).await?;
            let status = reply.answer.status;
            if (200..300).contains(&status) {
                self.report(None);
                return Ok(reply);
            }
            // A token refused before its expiry: ask the session once more and retry with what
            // it hands out, unless that is the same refused token; then report ARM's own code.
            if status == 401 && !asked_again {
                asked_again = true;
                if self.token().await? != token {
                    continue;
                }
            }
            if let Some(wait) =
                self.backoff
                    .delay(status, reply.answer.retry_after.as_deref(), retry)
            {
                retry += 1;
                self.report(Some(Waiting {
                    status,
                    seconds: wait.as_secs(),
                    retry,
                }));
                gloo_timers::future::sleep(wait).await;
                continue;
            }
            self.report(None);
            let error = ArmError::from_response(status, &reply.body);
            return Err(match self.resource {
                Resource::Arm => ApiError::Arm(error),
                Resource::Graph => ApiError::Graph(error),
            });
        }
    }

    pub async fn get<T: DeserializeOwned>(&self, url: &str) -> Result<T, ApiError> {
        self.send(Method::GET, url, None, &[]).await?.json()
    }

    async fn token(&self) -> Result<String, ApiError> {
        self.session
            .token(self.resource)
            .await
            .map_err(|e| match e {
                AuthError::Redirecting => ApiError::Redirecting,
                other => ApiError::SignIn(other.to_string()),
            })
    }

    fn report(&self, waiting: Option<Waiting>) {
        if let Some(signal) = self.waiting {
            signal.set(waiting);
        }
    }
}

async fn send_once(
    method: Method,
    url: &str,
    body: Option<&serde_json::Value>,
    extra_headers: &[(&str, &str)],
    token: &str,
) -> Result<Reply, ApiError> {
    let mut builder = RequestBuilder::new(url)
        .method(method)
        .header("Authorization", &format!("Bearer {token}"));
    for (name, value) in extra_headers {
        builder = builder.header(name, value);
    }
    let request = match body {
        Some(json) => builder.json(json),
        None => builder.build(),
    }
    .map_err(|e| ApiError::Network(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let body = response
        .text()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let headers = response.headers();
    let answer = Answer::from_headers(response.status(), |name| headers.get(name));
    Ok(Reply { answer, body })
}
