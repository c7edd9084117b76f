//! Everything one test runs against: sandbox, app host and browser, started fresh per test
//! on free ports, so tests never see each other's state nor a demo running alongside.
use crate::browser::Browser;
use crate::control::Control;
use crate::error::{Error, Result};
use crate::host::Host;
use crate::process;
use crate::sandbox::{Ready, Sandbox};
use crate::wizard::WizardPage;

/// A fresh sandbox, the release app served against it, and a browser with an empty profile.
/// Dropping it stops every process it started.
pub struct Stack {
    pub browser: Browser,
    pub sandbox: Sandbox,
    host: Host,
}

impl Stack {
    pub async fn start() -> Result<Self> {
        Self::start_with(&[]).await
    }

    /// Like [`Stack::start`], passing `sandbox_options` on to the sandbox (`--data-plane`, ...).
    pub async fn start_with(sandbox_options: &[&str]) -> Result<Self> {
        let port = process::free_port()?;
        let origin = format!("http://127.0.0.1:{port}");
        let sandbox = Sandbox::start(&origin, sandbox_options).await?;
        let host = Host::start(port, &sandbox.ready)?;
        let browser = Browser::start().await?;
        Ok(Self {
            browser,
            sandbox,
            host,
        })
    }

    pub fn control(&self) -> &Control {
        &self.sandbox.control
    }

    pub fn ready(&self) -> &Ready {
        &self.sandbox.ready
    }

    /// Where the app is served, `http://127.0.0.1:PORT`.
    pub fn app_origin(&self) -> &str {
        self.host.origin()
    }

    /// Opens `path` (starting with `/`) of the app.
    pub async fn open(&self, path: &str) -> Result<()> {
        self.browser
            .goto(&format!("{}{path}", self.app_origin()))
            .await
    }

    /// Signs in from the landing page as the seeded account `upn`, through the sandbox's
    /// sign-in page, and waits until the app shows that someone is signed in.
    pub async fn sign_in(&self, upn: &str) -> Result<()> {
        self.open("/").await?;
        self.browser.click("#sign-in").await?;
        self.choose_account(upn).await
    }

    /// On the sandbox's sign-in page, picks `upn` and waits to be back in the app, signed in.
    pub async fn choose_account(&self, upn: &str) -> Result<()> {
        self.browser
            .click(&format!(r#"button[name="account"][value="{upn}"]"#))
            .await?;
        self.browser
            .wait_for(r#"[data-testid="account"]"#)
            .await
            .map(drop)
    }

    /// The wizard's pages, driven in this stack's browser.
    pub fn wizard(&self) -> WizardPage<'_> {
        WizardPage::new(self)
    }

    /// Fails on any CSP refusal or script error seen during the test, then closes the browser.
    pub async fn finish(self) -> Result<()> {
        let console = self.browser.assert_console_clean().await;
        let closed = self.browser.close().await;
        console
            .and(closed)
            .map_err(|e| Error::new(format!("at the end of the test: {e}")))
    }
}
