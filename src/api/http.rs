//! The fetch layer under both clients: a bearer token on every call, one more try after a 401,
//! and patient retries when Azure says "busy" (409) or "slow down" (429), as `Retry-After` asks.
use super::ApiError;
use crate::auth::{AuthError, Resource, Session};
use gloo_net::http::{Headers, Method};
use keyless_core::arm::{ArmError, Backoff};
use keyless_core::lro::Answer;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

/// An answer: its status and body, and the headers that say how to follow or retry it.
#[derive(Debug)]
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

/// Where the bearer tokens come from.
#[derive(Clone)]
enum Bearer {
    Session(Session),
    /// One fixed token, for the browser tests of this layer.
    #[cfg(test)]
    Fixed(&'static str),
}

/// An authenticated JSON caller for one resource (Resource Manager or Graph).
#[derive(Clone)]
pub struct Http {
    bearer: Bearer,
    resource: Resource,
    backoff: Backoff,
    waiting: Option<WriteSignal<Option<Waiting>>>,
}

impl Http {
    pub fn new(session: Session, resource: Resource) -> Self {
        Self {
            bearer: Bearer::Session(session),
            resource,
            backoff: Backoff::default(),
            waiting: None,
        }
    }

    /// A caller that always presents the token `t-1`, for browser tests against a stand-in.
    #[cfg(test)]
    pub fn fixed(resource: Resource) -> Self {
        Self {
            bearer: Bearer::Fixed("t-1"),
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
            // A token refused before its expiry (revoked): the session forgets it and renews, or
            // starts a new sign-in; retry once with what it hands out, else report ARM's code.
            if status == 401 && !asked_again {
                asked_again = true;
                self.refused(&token);
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
        let token = match &self.bearer {
            Bearer::Session(session) => session.token(self.resource).await,
            #[cfg(test)]
            Bearer::Fixed(token) => Ok((*token).to_owned()),
        };
        token.map_err(|e| match e {
            AuthError::Redirecting => ApiError::Redirecting,
            other => ApiError::SignIn(other.to_string()),
        })
    }

    fn refused(&self, token: &str) {
        match &self.bearer {
            Bearer::Session(session) => session.token_refused(self.resource, token),
            #[cfg(test)]
            Bearer::Fixed(_) => {}
        }
    }

    fn report(&self, waiting: Option<Waiting>) {
        if let Some(signal) = self.waiting {
            signal.set(waiting);
        }
    }
}

/// Sends one request to `url` exactly as given. gloo-net's builder re-serialises the query
/// (adding a stray `&`), which a signed operation URL or a paging link must not suffer.
async fn send_once(
    method: Method,
    url: &str,
    body: Option<&serde_json::Value>,
    extra_headers: &[(&str, &str)],
    token: &str,
) -> Result<Reply, ApiError> {
    let network = |e: wasm_bindgen::JsValue| ApiError::Network(format!("{e:?}"));
    let headers = Headers::new();
    headers.set("Authorization", &format!("Bearer {token}"));
    for (name, value) in extra_headers {
        headers.set(name, value);
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method.as_str());
    if let Some(json) = body {
        headers.set("Content-Type", "application/json");
        init.set_body(&json.to_string().into());
    }
    init.set_headers(&headers.into_raw());
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(network)?;
    let response = gloo_net::http::Request::from(request)
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

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::api::Arm;
    use crate::api::stand_in::{error, script, sent};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn a_busy_cache_is_retried_after_the_delay_it_asks_for() {
        script(serde_json::json!([
            [409, {"Retry-After": "1"}, error("Conflict")],
            [201, {"Azure-AsyncOperation": "http://arm.test/op/1"}, {}],
        ]));
        let started = js_sys::Date::now();
        let reply = Http::fixed(Resource::Arm)
            .send(
                Method::PUT,
                "http://arm.test/a",
                Some(&serde_json::json!({})),
                &[],
            )
            .await
            .unwrap();
        let waited = js_sys::Date::now() - started;
        assert_eq!(reply.answer.status, 201);
        assert_eq!(
            reply.answer.azure_async_operation.as_deref(),
            Some("http://arm.test/op/1")
        );
        assert_eq!(
            sent(),
            [
                "PUT http://arm.test/a Bearer t-1",
                "PUT http://arm.test/a Bearer t-1"
            ]
        );
        assert!(
            waited >= 1000.0,
            "retried after {waited} ms, before the asked second"
        );
    }

    #[wasm_bindgen_test]
    async fn a_real_error_is_not_retried_and_keeps_arms_code() {
        script(serde_json::json!([[
            400,
            {},
            error("InvalidAccessPolicyAssignment")
        ]]));
        let failure = Http::fixed(Resource::Arm)
            .send(Method::PUT, "http://arm.test/a", None, &[])
            .await
            .unwrap_err();
        assert_eq!(failure.code(), Some("InvalidAccessPolicyAssignment"));
        assert_eq!(failure.status(), Some(400));
        assert_eq!(sent().len(), 1);
    }

    #[wasm_bindgen_test]
    async fn a_refused_token_is_not_sent_again_unchanged() {
        script(serde_json::json!([[
            401,
            {},
            error("InvalidAuthenticationToken")
        ]]));
        let failure = Http::fixed(Resource::Arm)
            .send(Method::GET, "http://arm.test/a", None, &[])
            .await
            .unwrap_err();
        assert_eq!(failure.code(), Some("InvalidAuthenticationToken"));
        assert_eq!(sent().len(), 1);
    }

    #[wasm_bindgen_test]
    async fn lists_follow_next_link_verbatim_and_keep_enabled_subscriptions() {
        let sub = |id: &str, state: &str| serde_json::json!({"subscriptionId": id, "displayName": id, "state": state});
        script(serde_json::json!([
            [200, {}, {"value": [sub("aaaaaaaa-0000-0000-0000-000000000001", "Enabled")],
                       "nextLink": "http://arm.test/subscriptions?api-version=2022-12-01&$skiptoken=x%20y"}],
            [200, {}, {"value": [sub("aaaaaaaa-0000-0000-0000-000000000002", "Disabled"),
                                 sub("aaaaaaaa-0000-0000-0000-000000000003", "Warned")]}],
        ]));
        let (subs, others) = Arm::new(Http::fixed(Resource::Arm), "http://arm.test/")
            .subscriptions()
            .await
            .unwrap();
        let ids = |subs: &[keyless_core::arm::Subscription]| -> Vec<String> {
            subs.iter().map(|s| s.subscription_id.to_string()).collect()
        };
        assert_eq!(
            ids(&subs),
            [
                "aaaaaaaa-0000-0000-0000-000000000001",
                "aaaaaaaa-0000-0000-0000-000000000003"
            ]
        );
        assert_eq!(ids(&others), ["aaaaaaaa-0000-0000-0000-000000000002"]);
        assert_eq!(
            sent(),
            [
                "GET http://arm.test/subscriptions?api-version=2022-12-01 Bearer t-1",
                "GET http://arm.test/subscriptions?api-version=2022-12-01&$skiptoken=x%20y Bearer t-1",
            ]
        );
    }
}
