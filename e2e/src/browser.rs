//! Headless Chromium driven through chromedriver, with the page helpers the tests share.
use std::future::Future;
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, TimeoutConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::process::{self, ChildGuard};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long a step may take before the test gives up on it.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(30);
/// A page load, Chromium's first one included, on a machine busy compiling.
const PAGE_LOAD_TIMEOUT: Duration = Duration::from_secs(15);

/// One entry of Chromium's console log, as chromedriver reports it.
#[derive(Debug, Clone, Deserialize)]
pub struct LogEntry {
    pub level: String,
    pub message: String,
    #[serde(default)]
    pub source: String,
}

impl LogEntry {
    /// A Content-Security-Policy refusal: the production headers broke something.
    pub fn is_csp_violation(&self) -> bool {
        self.message.contains("Content Security Policy") || self.message.contains("Refused to")
    }

    /// A severe entry from the page's own code: an uncaught exception, a panic,
    /// a `console.error`. Failed requests are left out: fault tests cause them on purpose.
    pub fn is_script_error(&self) -> bool {
        self.level == "SEVERE" && !self.is_failed_request()
    }

    /// A request the browser saw fail (an HTTP error status or a dropped connection).
    pub fn is_failed_request(&self) -> bool {
        self.level == "SEVERE" && self.source == "network"
    }
}

/// Chromium's console log through chromedriver's log endpoint (not part of W3C WebDriver).
#[derive(Debug)]
struct ReadBrowserLog;

impl WebDriverCompatibleCommand for ReadBrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

/// A browser session; dropping it stops chromedriver and its Chromium.
pub struct Browser {
    client: Client,
    /// Log entries already drained from chromedriver (it hands each entry out once).
    log: Mutex<Vec<LogEntry>>,
    _driver: ChildGuard,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a fresh-profile headless Chromium.
    pub async fn start() -> Result<Self> {
        for tool in [CHROMEDRIVER, CHROMIUM] {
            if !std::path::Path::new(tool).exists() {
                return Err(Error::new(format!(
                    "{tool} is missing: apt-get install chromium chromium-driver"
                )));
            }
        }
        let port = process::free_port()?;
        let mut driver = ChildGuard::spawn(
            "chromedriver",
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdout(std::process::Stdio::null()),
        )?;
        let addr = ([127, 0, 0, 1], port).into();
        process::wait_for_port(addr, &mut driver, Duration::from_secs(10)).await?;

        let profile = tempfile::tempdir()
            .map_err(|e| Error::context("making a browser profile folder", e))?;
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities(&profile))
            .connect(&format!("http://127.0.0.1:{port}/"))
            .await
            .map_err(|e| Error::context("opening a Chromium session", e))?;
        // WebDriver's defaults (300 s for a page load) would hang a failing test for minutes.
        let mut timeouts = TimeoutConfiguration::default();
        timeouts.set_page_load(Some(PAGE_LOAD_TIMEOUT));
        timeouts.set_script(Some(STEP_TIMEOUT));
        client
            .update_timeouts(timeouts)
            .await
            .map_err(|e| Error::context("setting WebDriver timeouts", e))?;
        Ok(Self {
            client,
            log: Mutex::new(Vec::new()),
            _driver: driver,
            _profile: profile,
        })
    }

    pub async fn goto(&self, url: &str) -> Result<()> {
        self.client
            .goto(url)
            .await
            .map_err(|e| Error::context(&format!("opening {url}"), e))
    }

    pub async fn reload(&self) -> Result<()> {
        self.client
            .refresh()
            .await
            .map_err(|e| Error::context("reloading the page", e))
    }

    pub async fn current_url(&self) -> Result<url::Url> {
        self.client
            .current_url()
            .await
            .map_err(|e| Error::context("reading the address", e))
    }

    /// Every element matching `css` right now (possibly none).
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map_err(|e| Error::context(&format!("looking for {css}"), e))
    }

    /// Waits until an element matching `css` is displayed, and returns it.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        self.wait_for_within(css, STEP_TIMEOUT).await
    }

    pub async fn wait_for_within(&self, css: &str, within: Duration) -> Result<Element> {
        let what = format!("{css} to be shown");
        let found = eventually(&what, within, || async {
            for element in self.find_all(css).await? {
                if element.is_displayed().await.unwrap_or(false) {
                    return Ok(Some(element));
                }
            }
            Ok(None)
        })
        .await;
        self.explained(found).await
    }

    /// Waits until the element matching `css` shows text containing `needle`; returns the text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> Result<String> {
        let what = format!("{css} to contain {needle:?}");
        let found = eventually(&what, STEP_TIMEOUT, || async {
            for element in self.find_all(css).await? {
                let text = element.text().await.unwrap_or_default();
                if text.contains(needle) {
                    return Ok(Some(text));
                }
            }
            Ok(None)
        })
        .await;
        self.explained(found).await
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        let element = self.wait_for(css).await?;
        element
            .click()
            .await
            .map_err(|e| Error::context(&format!("clicking {css}"), e))
    }

    /// Replaces the value of the input matching `css` with `text`.
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        let element = self.wait_for(css).await?;
        element
            .clear()
            .await
            .map_err(|e| Error::context(&format!("clearing {css}"), e))?;
        element
            .send_keys(text)
            .await
            .map_err(|e| Error::context(&format!("typing into {css}"), e))
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> Result<String> {
        let element = self.wait_for(css).await?;
        element
            .text()
            .await
            .map_err(|e| Error::context(&format!("reading {css}"), e))
    }

    /// Runs `script` in the page and returns its value.
    pub async fn execute(&self, script: &str) -> Result<Value> {
        self.client
            .execute(script, Vec::new())
            .await
            .map_err(|e| Error::context("running a script in the page", e))
    }

    /// Every key and value of the page origin's localStorage.
    pub async fn local_storage(&self) -> Result<Vec<(String, String)>> {
        self.storage("localStorage").await
    }

    /// Every key and value of the tab's sessionStorage.
    pub async fn session_storage(&self) -> Result<Vec<(String, String)>> {
        self.storage("sessionStorage").await
    }

    async fn storage(&self, which: &str) -> Result<Vec<(String, String)>> {
        let script = format!("return Object.entries(window.{which});");
        let value = self.execute(&script).await?;
        serde_json::from_value(value).map_err(|e| Error::context(&format!("reading {which}"), e))
    }

    /// The console log so far (entries are kept across calls).
    pub async fn log(&self) -> Result<Vec<LogEntry>> {
        let fresh = self
            .client
            .issue_cmd(ReadBrowserLog)
            .await
            .map_err(|e| Error::context("reading the browser log", e))?;
        let fresh: Vec<LogEntry> = serde_json::from_value(fresh)
            .map_err(|e| Error::context("parsing the browser log", e))?;
        let mut log = self
            .log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        log.extend(fresh);
        Ok(log.clone())
    }

    /// Fails on any CSP refusal, uncaught exception or panic the console has shown.
    pub async fn assert_console_clean(&self) -> Result<()> {
        let bad: Vec<String> = self
            .log()
            .await?
            .into_iter()
            .filter(|e| e.is_csp_violation() || e.is_script_error())
            .map(|e| format!("  [{} {}] {}", e.level, e.source, e.message))
            .collect();
        if bad.is_empty() {
            Ok(())
        } else {
            Err(Error::new(format!(
                "the console shows errors:\n{}",
                bad.join("\n")
            )))
        }
    }

    /// Ends the WebDriver session cleanly (dropping also stops the processes).
    pub async fn close(self) -> Result<()> {
        self.client
            .clone()
            .close()
            .await
            .map_err(|e| Error::context("closing the browser", e))
    }

    /// Adds what the page showed to a failure, since "not found" alone says little.
    async fn explained<T>(&self, outcome: Result<T>) -> Result<T> {
        let Err(error) = outcome else { return outcome };
        let text = match self
            .execute("return document.body ? document.body.innerText : '';")
            .await
        {
            Ok(Value::String(text)) => text,
            Ok(other) => other.to_string(),
            Err(e) => format!("(could not read the page: {e})"),
        };
        let url = self
            .current_url()
            .await
            .map(String::from)
            .unwrap_or_default();
        Err(Error::new(format!(
            "{error}\n--- page at {url} ---\n{text}"
        )))
    }
}

fn capabilities(profile: &tempfile::TempDir) -> Capabilities {
    let args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
    ]
    .map(String::from)
    .into_iter()
    .chain([format!("--user-data-dir={}", profile.path().display())])
    .collect::<Vec<_>>();
    let caps = json!({
        "browserName": "chrome",
        // Navigation returns once the document is parsed; the tests then wait for what they need.
        // Waiting for every subresource made a busy two-core machine time out on first loads.
        "pageLoadStrategy": "eager",
        // A fresh profile's first tab would open the default search engine's new tab page, on
        // the internet: the first navigation waits for it to fail, up to 5 s offline. Startup
        // opens listed pages instead (4), and the list is a blank page.
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": args,
            "prefs": { "session.restore_on_startup": 4, "session.startup_urls": ["about:blank"] },
        },
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    match caps {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// Polls `probe` until it yields a value, or fails after `within` naming `what` was awaited.
pub async fn eventually<T, F, Fut>(what: &str, within: Duration, mut probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = probe().await? {
            return Ok(value);
        }
        if start.elapsed() > within {
            return Err(Error::new(format!(
                "timed out after {within:?} waiting for {what}"
            )));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
