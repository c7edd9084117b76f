//! Changes made to a cache outside Keyless, as a colleague with the Contributor role makes them
//! through Resource Manager while an admin has the wizard open.
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::control::Control;
use crate::error::{Error, Result};
use crate::sandbox::Ready;

/// The Resource Manager API version of the cache's own writes.
const API_VERSION: &str = "2024-11-01";
/// How long a colleague's change may take in the sandbox's test timing.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);

/// A service principal signed in to Resource Manager with client credentials.
pub struct Colleague {
    http: reqwest::Client,
    arm: String,
    token: String,
}

impl Colleague {
    /// Signs in as the service principal `who` of the demo tenant.
    pub async fn sign_in(ready: &Ready, who: &str) -> Result<Self> {
        let principal = ready.principal(who)?;
        let (Some(client_id), Some(secret)) = (&principal.client_id, &principal.secret) else {
            return Err(Error::new(format!("{who} has no client credentials")));
        };
        let http = reqwest::Client::new();
        let url = format!("{}/{}/oauth2/v2.0/token", ready.login, ready.tenant_id);
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("scope", "https://management.azure.com/.default"),
        ];
        let answer: Value = http
            .post(url)
            .form(&form)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| Error::context("signing in as a colleague", e))?
            .json()
            .await
            .map_err(|e| Error::context("reading the colleague's token", e))?;
        let token = answer["access_token"]
            .as_str()
            .ok_or_else(|| Error::new(format!("no access token in {answer}")))?
            .to_owned();
        Ok(Self {
            http,
            arm: ready.arm.clone(),
            token,
        })
    }

    /// PATCHes the cache `name` with `body` and waits until the sandbox has finished the change.
    pub async fn patch_cache(&self, control: &Control, name: &str, body: Value) -> Result<()> {
        let id = control.cache(name).await?.id();
        let url = format!("{}{id}?api-version={API_VERSION}", self.arm);
        self.http
            .patch(url)
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| Error::context("a colleague's PATCH of the cache", e))?;
        let start = Instant::now();
        while control.cache(name).await?.provisioning_state() != "Succeeded" {
            if start.elapsed() > SETTLE_TIMEOUT {
                return Err(Error::new(format!(
                    "{name} did not settle within {SETTLE_TIMEOUT:?}"
                )));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok(())
    }
}
