//! The sandbox's control API: its request log, its state, and faults scripted for the next calls.
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::state::CacheState;

/// One request the sandbox answered, as its log records it (Authorization values masked).
#[derive(Debug, Clone, Deserialize)]
pub struct LoggedRequest {
    pub service: String,
    pub method: String,
    pub path: String,
    /// The raw query string, without the `?`.
    pub query: String,
    pub headers: BTreeMap<String, String>,
    pub body: Value,
    /// None when the sandbox dropped the connection instead of answering.
    pub status: Option<u16>,
}

impl LoggedRequest {
    /// Whether this request changed something in ARM (anything but GET, HEAD and the
    /// Resource Graph query, which is a POST that only reads).
    pub fn is_arm_write(&self) -> bool {
        self.service == "arm"
            && !matches!(self.method.as_str(), "GET" | "HEAD" | "OPTIONS")
            && !self
                .path
                .to_ascii_lowercase()
                .contains("/providers/microsoft.resourcegraph/")
    }

    /// Whether the service answered 2xx.
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    /// The path percent-decoded, for comparing with a path as the app wrote it.
    pub fn decoded_path(&self) -> String {
        decode_path(&self.path)
    }
}

/// The sandbox's request log, oldest first.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct RequestLog(pub Vec<LoggedRequest>);

impl RequestLog {
    /// The requests that changed something in ARM, in the order they arrived.
    pub fn arm_writes(&self) -> Vec<&LoggedRequest> {
        self.0.iter().filter(|r| r.is_arm_write()).collect()
    }

    /// Requests to any service whose path or query contains `fragment`, ignoring case.
    pub fn mentioning(&self, fragment: &str) -> Vec<&LoggedRequest> {
        let fragment = fragment.to_ascii_lowercase();
        self.0
            .iter()
            .filter(|r| {
                format!("{}?{}", r.path, r.query)
                    .to_ascii_lowercase()
                    .contains(&fragment)
            })
            .collect()
    }
}

/// `path` without its query, percent-decoded.
pub fn decode_path(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

/// Which emulated service a fault applies to.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    Login,
    Arm,
    Graph,
}

/// What the sandbox does instead of answering normally.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    Status {
        status: u16,
        #[serde(skip_serializing_if = "Option::is_none")]
        retry_after: Option<u32>,
    },
    Drop,
    LroFailed,
    RevokeTokens,
}

/// A fault for the next `count` requests matching the service, method and path fragment.
#[derive(Debug, Clone, Serialize)]
pub struct Fault {
    service: Service,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_contains: Option<String>,
    count: u32,
    fault: FaultKind,
}

impl Fault {
    /// A fault on the next matching request of `service`.
    pub fn new(service: Service, fault: FaultKind) -> Self {
        Self {
            service,
            method: None,
            path_contains: None,
            count: 1,
            fault,
        }
    }

    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_owned());
        self
    }

    pub fn path_contains(mut self, fragment: &str) -> Self {
        self.path_contains = Some(fragment.to_owned());
        self
    }

    pub fn times(mut self, count: u32) -> Self {
        self.count = count;
        self
    }
}

/// How often [`Control::watch`] reads the log.
pub const WATCH_PERIOD: Duration = Duration::from_millis(50);

/// A request and when [`Control::watch`] first saw it in the log.
#[derive(Debug, Clone)]
pub struct Seen {
    pub at: Duration,
    pub request: LoggedRequest,
}

/// A client of the control origin printed in the sandbox's ready file.
#[derive(Clone)]
pub struct Control {
    base: String,
    http: reqwest::Client,
}

impl Control {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
        }
    }

    /// Back to the fixture's state, with an empty log and no faults pending.
    pub async fn reset(&self) -> Result<()> {
        self.send(self.http.post(self.url("/reset")), "resetting the sandbox")
            .await
            .map(drop)
    }

    pub async fn requests(&self) -> Result<RequestLog> {
        let response = self
            .send(
                self.http.get(self.url("/requests")),
                "reading the request log",
            )
            .await?;
        response
            .json()
            .await
            .map_err(|e| Error::context("parsing the request log", e))
    }

    pub async fn clear_requests(&self) -> Result<()> {
        self.send(
            self.http.delete(self.url("/requests")),
            "clearing the request log",
        )
        .await
        .map(drop)
    }

    pub async fn inject(&self, fault: &Fault) -> Result<()> {
        let request = self.http.post(self.url("/faults")).json(fault);
        self.send(request, "scripting a fault").await.map(drop)
    }

    /// Ends every session of `upn`: its refresh tokens stop working.
    pub async fn revoke(&self, upn: &str) -> Result<()> {
        let request = self
            .http
            .post(self.url("/revoke"))
            .json(&serde_json::json!({ "upn": upn }));
        self.send(request, "revoking tokens").await.map(drop)
    }

    /// The whole emulated state (subscriptions, caches, assignments) as the sandbox holds it.
    pub async fn state(&self) -> Result<Value> {
        let response = self
            .send(
                self.http.get(self.url("/state")),
                "reading the sandbox state",
            )
            .await?;
        response
            .json()
            .await
            .map_err(|e| Error::context("parsing the sandbox state", e))
    }

    /// One cache of the state.
    pub async fn cache(&self, name: &str) -> Result<CacheState> {
        CacheState::find(&self.state().await?, name)
    }

    /// Polls the log until `done` holds for it, noting when each request was first seen, so
    /// a test can measure the gap between two requests (to within the polling period).
    pub async fn watch(
        &self,
        within: Duration,
        done: impl Fn(&RequestLog) -> bool,
    ) -> Result<Vec<Seen>> {
        let start = Instant::now();
        let mut seen: Vec<Seen> = Vec::new();
        loop {
            let log = self.requests().await?;
            let at = start.elapsed();
            seen.extend(
                log.0
                    .iter()
                    .skip(seen.len())
                    .cloned()
                    .map(|request| Seen { at, request }),
            );
            if done(&log) {
                return Ok(seen);
            }
            if start.elapsed() > within {
                return Err(Error::new(format!(
                    "the request log did not reach the awaited state within {within:?}"
                )));
            }
            tokio::time::sleep(WATCH_PERIOD).await;
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(
        &self,
        request: reqwest::RequestBuilder,
        doing: &str,
    ) -> Result<reqwest::Response> {
        let response = request.send().await.map_err(|e| Error::context(doing, e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = response.text().await.unwrap_or_default();
        Err(Error::new(format!(
            "{doing}: control API answered {status}: {body}"
        )))
    }
}
