//! Just enough of the W3C WebDriver protocol, over HTTP, to drive headless Chromium through
//! chromedriver for measurements (the end-to-end suite has its own, fuller client).

use std::net::{Ipv4Addr, TcpListener};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::process::cmd;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// Flags that work as root on a machine without a network beyond loopback.
const CHROMIUM_FLAGS: [&str; 9] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
];

/// A Chromium session with a fresh profile; dropping it ends the session and the driver.
pub struct Browser {
    driver: Child,
    session: String,
    base: String,
    agent: ureq::Agent,
    profile: TempDir,
}

impl Browser {
    pub fn start() -> Result<Self> {
        let port = free_port()?;
        let driver = cmd(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting chromedriver")?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(300)))
            .build()
            .into();
        let profile = tempfile::tempdir()?;
        let mut browser = Self {
            driver,
            session: String::new(),
            base: format!("http://127.0.0.1:{port}"),
            agent,
            profile,
        };
        browser.wait_for_driver()?;
        let args: Vec<String> = CHROMIUM_FLAGS
            .iter()
            .map(|flag| flag.to_string())
            .chain([format!(
                "--user-data-dir={}",
                browser.profile.path().display()
            )])
            .collect();
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            // A fresh profile's first tab would open a new tab page on the internet, which the
            // first navigation waits for (up to 5 s offline): start on a blank page instead.
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": args,
                "prefs": { "session.restore_on_startup": 4, "session.startup_urls": ["about:blank"] },
            },
            "timeouts": { "script": 180_000, "pageLoad": 60_000 }
        }}});
        let created = browser.send("POST", "/session", Some(capabilities))?;
        browser.session = created["sessionId"]
            .as_str()
            .context("chromedriver gave no session id")?
            .to_owned();
        Ok(browser)
    }

    fn wait_for_driver(&self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(status) = self.send("GET", "/status", None)
                && status["ready"] == true
            {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("chromedriver did not start")
    }

    /// Navigates and waits for the page's load event.
    pub fn goto(&self, url: &str) -> Result<()> {
        self.session_command("POST", "/url", json!({ "url": url }))
            .map(drop)
    }

    /// Runs `script` as an async function body; it finishes by calling its last argument.
    pub fn execute_async(&self, script: &str) -> Result<Value> {
        self.session_command(
            "POST",
            "/execute/async",
            json!({ "script": script, "args": [] }),
        )
    }

    pub fn execute(&self, script: &str) -> Result<Value> {
        self.session_command(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": [] }),
        )
    }

    /// A Chrome DevTools Protocol command, through chromedriver's extension endpoint.
    pub fn devtools(&self, command: &str, params: Value) -> Result<Value> {
        self.session_command(
            "POST",
            "/goog/cdp/execute",
            json!({ "cmd": command, "params": params }),
        )
    }

    /// Clicks the first element matching a CSS selector, waiting up to `timeout` for it.
    pub fn click(&self, selector: &str, timeout: Duration) -> Result<()> {
        let id = self.wait_for(selector, timeout)?;
        self.session_command("POST", &format!("/element/{id}/click"), json!({}))
            .map(drop)
    }

    /// Waits up to `timeout` for an element matching a CSS selector; returns its WebDriver id.
    pub fn wait_for(&self, selector: &str, timeout: Duration) -> Result<String> {
        let deadline = Instant::now() + timeout;
        let query = json!({ "using": "css selector", "value": selector });
        let found = loop {
            match self.session_command("POST", "/element", query.clone()) {
                Ok(found) => break found,
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50))
                }
                Err(_) => bail!("no element {selector} on {}", self.whereabouts()),
            }
        };
        found
            .as_object()
            .and_then(|element| element.values().next())
            .and_then(Value::as_str)
            .map(str::to_owned)
            .context("chromedriver returned no element id")
    }

    /// The page's address and the start of its text, to say where a step failed.
    fn whereabouts(&self) -> String {
        let script = "return location.href + ' showing: ' + document.body.innerText.slice(0, 300);";
        self.execute(script)
            .ok()
            .and_then(|page| page.as_str().map(str::to_owned))
            .unwrap_or_else(|| "an unreadable page".to_owned())
    }

    fn session_command(&self, method: &str, path: &str, body: Value) -> Result<Value> {
        self.send(
            method,
            &format!("/session/{}{path}", self.session),
            Some(body),
        )
    }

    /// Sends a command and returns its `value`, or the WebDriver error as an error.
    fn send(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let mut response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self
                .agent
                .post(&url)
                .content_type("application/json")
                .send(body.unwrap_or_default().to_string()),
        }
        .with_context(|| format!("{method} {path}"))?;
        let status = response.status();
        let answer: Value = serde_json::from_str(&response.body_mut().read_to_string()?)
            .with_context(|| format!("{method} {path}: not JSON"))?;
        let value = answer.get("value").cloned().unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("{method} {path}: {} {}", value["error"], value["message"]);
        }
        Ok(value)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.send("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A loopback port nobody listens on now.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}
