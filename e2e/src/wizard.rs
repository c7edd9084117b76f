//! The wizard's pages as the tests drive them: choose a cache, add Redis users, review, apply.
use std::time::{Duration, Instant};

use fantoccini::Locator;

use crate::browser::{Browser, STEP_TIMEOUT};
use crate::error::{Error, Result};
use crate::stack::Stack;

/// Enabling Entra is the longest write; test timing ends it quickly, but leave slack.
pub const APPLY_TIMEOUT: Duration = Duration::from_secs(90);

/// One write as the review page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedWrite {
    pub method: String,
    /// The path as it will be sent, query included.
    pub path: String,
    /// The body, as the page prints it.
    pub body: String,
}

/// The verdict of the check step: `ready`, `warnings` or `blocked`, and its reasons.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub kind: String,
    pub reasons: Vec<String>,
    pub can_continue: bool,
}

/// Drives the wizard in the stack's browser.
pub struct WizardPage<'a> {
    stack: &'a Stack,
}

impl<'a> WizardPage<'a> {
    pub fn new(stack: &'a Stack) -> Self {
        Self { stack }
    }

    fn browser(&self) -> &Browser {
        &self.stack.browser
    }

    /// Opens the cache list, chooses `cache` and waits for the check's verdict.
    pub async fn choose_cache(&self, cache: &str) -> Result<Verdict> {
        self.stack.open("/caches").await?;
        self.browser()
            .click(&format!(
                r#"[data-testid="cache-row"][data-name="{cache}"]"#
            ))
            .await?;
        self.verdict().await
    }

    /// The verdict the check step shows.
    pub async fn verdict(&self) -> Result<Verdict> {
        let browser = self.browser();
        let verdict = browser.wait_for(r#"[data-testid="verdict"]"#).await?;
        let kind = verdict
            .attr("data-verdict")
            .await
            .map_err(|e| Error::context("reading the verdict", e))?;
        let mut reasons = Vec::new();
        for reason in browser
            .find_all(r#"[data-testid="verdict"] [data-testid="reason"]"#)
            .await?
        {
            reasons.push(
                reason
                    .text()
                    .await
                    .map_err(|e| Error::context("reading a reason", e))?,
            );
        }
        let button = browser.wait_for(r#"[data-testid="continue"]"#).await?;
        let can_continue = button
            .is_enabled()
            .await
            .map_err(|e| Error::context("reading Continue", e))?;
        Ok(Verdict {
            kind: kind.unwrap_or_default(),
            reasons,
            can_continue,
        })
    }

    /// From the check to the Redis users step.
    pub async fn continue_to_users(&self) -> Result<()> {
        self.browser().click(r#"[data-testid="continue"]"#).await?;
        self.browser()
            .wait_for(r#"[data-testid="add-principal"]"#)
            .await
            .map(drop)
    }

    /// Searches the directory for `text` and picks the result with `object_id`.
    pub async fn find_principal(&self, text: &str, object_id: &str) -> Result<()> {
        let browser = self.browser();
        browser
            .fill(r#"[data-testid="principal-search"]"#, text)
            .await?;
        browser
            .click(r#"[data-testid="principal-search-button"]"#)
            .await?;
        browser
            .click(&format!(
                r#"[data-testid="principal-result"][data-object-id="{object_id}"]"#
            ))
            .await?;
        browser
            .wait_for(&format!(
                r#"[data-testid="candidate"][data-object-id="{object_id}"]"#
            ))
            .await
            .map(drop)
    }

    /// Picks the access policy `name` (a built-in name or an existing custom one).
    pub async fn choose_policy(&self, name: &str) -> Result<()> {
        let select = self
            .browser()
            .wait_for(r#"[data-testid="policy-select"]"#)
            .await?;
        select
            .select_by_value(name)
            .await
            .map_err(|e| Error::context(&format!("choosing policy {name}"), e))
    }

    /// Searches for `text`, picks `object_id` with `policy`, adds it and waits for it in the list.
    pub async fn add_principal(&self, text: &str, object_id: &str, policy: &str) -> Result<()> {
        self.find_principal(text, object_id).await?;
        self.choose_policy(policy).await?;
        self.browser()
            .click(r#"[data-testid="add-principal"]"#)
            .await?;
        self.browser()
            .wait_for(&format!(
                r#"[data-testid="grant"][data-object-id="{object_id}"]"#
            ))
            .await
            .map(drop)
    }

    /// Chooses `cache`, keeps the proposed admin, adds each `(search text, object id, policy)`,
    /// and returns the plan the review shows.
    pub async fn plan_for(
        &self,
        cache: &str,
        additions: &[(&str, &str, &str)],
    ) -> Result<Vec<PlannedWrite>> {
        self.choose_cache(cache).await?;
        self.continue_to_users().await?;
        for (text, object_id, policy) in additions {
            self.add_principal(text, object_id, policy).await?;
        }
        self.review().await
    }

    /// The object ids of the Redis users chosen so far.
    pub async fn chosen(&self) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        for grant in self.browser().find_all(r#"[data-testid="grant"]"#).await? {
            if let Some(id) = grant
                .attr("data-object-id")
                .await
                .map_err(|e| Error::context("reading a grant", e))?
            {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// From the Redis users to the review; returns the plan it shows.
    pub async fn review(&self) -> Result<Vec<PlannedWrite>> {
        self.browser().click(r#"[data-testid="continue"]"#).await?;
        self.browser().wait_for(r#"[data-testid="apply"]"#).await?;
        self.planned_writes().await
    }

    /// The writes the review lists, in order, once two readings agree: the review re-reads
    /// the cache on arrival and redraws the plan when the answer comes.
    pub async fn planned_writes(&self) -> Result<Vec<PlannedWrite>> {
        self.browser()
            .wait_for(r#"[data-testid="plan-write"]"#)
            .await?;
        let start = Instant::now();
        let mut previous = None;
        while start.elapsed() < STEP_TIMEOUT {
            // A redraw between finding an item and reading it is not an error: read again.
            if let Ok(writes) = self.read_plan().await {
                if previous.as_ref() == Some(&writes) {
                    return Ok(writes);
                }
                previous = Some(writes);
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        Err(Error::new(format!(
            "the plan did not settle within {STEP_TIMEOUT:?}"
        )))
    }

    async fn read_plan(&self) -> Result<Vec<PlannedWrite>> {
        let mut writes = Vec::new();
        for item in self
            .browser()
            .find_all(r#"[data-testid="plan-write"]"#)
            .await?
        {
            let read =
                |e: fantoccini::error::CmdError| Error::context("reading a planned write", e);
            let method = item
                .attr("data-method")
                .await
                .map_err(read)?
                .unwrap_or_default();
            let path = item
                .attr("data-path")
                .await
                .map_err(read)?
                .unwrap_or_default();
            let body = item
                .find(Locator::Css("pre.body"))
                .await
                .map_err(read)?
                .text()
                .await
                .map_err(read)?;
            writes.push(PlannedWrite { method, path, body });
        }
        Ok(writes)
    }

    /// Starts the run from the review.
    pub async fn apply(&self) -> Result<()> {
        self.browser().click(r#"[data-testid="apply"]"#).await
    }

    /// Resumes a stopped (or not yet started) run on the apply step.
    pub async fn resume(&self) -> Result<()> {
        self.browser().click(r#"[data-testid="resume"]"#).await
    }

    /// Plays the admin after a stop: signs in as `upn` whenever the sandbox asks, resumes
    /// whenever the run is idle, until the Done step; fails after `max_resumes` resumes.
    pub async fn recover_until_done(&self, upn: &str, max_resumes: usize) -> Result<()> {
        let browser = self.browser();
        let account = format!(r#"button[name="account"][value="{upn}"]"#);
        let start = Instant::now();
        let mut resumes = 0;
        while start.elapsed() < APPLY_TIMEOUT {
            if !browser
                .find_all(r#"[data-testid="done"]"#)
                .await?
                .is_empty()
            {
                return Ok(());
            }
            if !browser.find_all(&account).await?.is_empty() {
                self.stack.choose_account(upn).await?;
            } else if let Some(resume) = browser
                .find_all(r#"[data-testid="resume"]"#)
                .await?
                .into_iter()
                .next()
            {
                if resumes == max_resumes {
                    let why = browser.find_all(r#"[data-testid="stopped"]"#).await?;
                    let why = match why.first() {
                        Some(stopped) => stopped.text().await.unwrap_or_default(),
                        None => String::new(),
                    };
                    return Err(Error::new(format!(
                        "still not done after {resumes} resumes: {why}"
                    )));
                }
                resume
                    .click()
                    .await
                    .map_err(|e| Error::context("clicking Resume", e))?;
                resumes += 1;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        Err(Error::new(format!(
            "the run did not reach Done within {APPLY_TIMEOUT:?}"
        )))
    }

    /// Waits for the Done step.
    pub async fn wait_done(&self) -> Result<()> {
        self.browser()
            .wait_for_within(r#"[data-testid="done"]"#, APPLY_TIMEOUT)
            .await
            .map(drop)
    }

    /// Waits for the run to stop with an error; returns the error box's code and text.
    pub async fn wait_stopped(&self) -> Result<(String, String)> {
        let stopped = self
            .browser()
            .wait_for_within(r#"[data-testid="stopped"]"#, APPLY_TIMEOUT)
            .await?;
        let error = stopped
            .find(Locator::Css(r#"[data-testid="error"]"#))
            .await
            .map_err(|e| Error::context("finding the error of the stopped run", e))?;
        let code = error
            .attr("data-code")
            .await
            .map_err(|e| Error::context("reading the error code", e))?;
        let text = error
            .text()
            .await
            .map_err(|e| Error::context("reading the error", e))?;
        Ok((code.unwrap_or_default(), text))
    }
}
