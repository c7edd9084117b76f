//! `cargo xtask bench`: the numbers of the speed-and-size budget, measured in one run:
//! bundle size against `@azure/msal-browser` alone (fetched from npm now) and against the
//! framework floor (`xtask/floor`, what the framework weighs before any app logic), time to the
//! first interactive screen, and listing the sandbox's 2,000-cache tenant.
//!
//! The browser measurements run on ports of their own (a copy of `dist/` whose `config.json`
//! and CSP name that sandbox), so a demo may keep running meanwhile.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::process::{cmd, heading, output, repo_root, run as run_command, target_dir};
use crate::sandbox::{Ready, Sandbox};
use crate::webdriver::{Browser, free_port};
use crate::{build, compress, setup};

/// The whole app may weigh at most this many times msal-browser alone.
const BUDGET_RATIO: f64 = 2.0;
const LOADS: usize = 7;
const LARGE_TENANT: &str = "200x10";
const LARGE_TENANT_CACHES: usize = 2000;
/// A cache row in the wizard's list.
const CACHE_ROW: &str = r#"[data-testid="cache-row"]"#;

pub fn run() -> Result<()> {
    setup::run_all()?;
    build::run_release()?;
    let dist = build::dist_dir();
    report_size(&dist)?;

    let host_addr: SocketAddr = (Ipv4Addr::LOCALHOST, free_port()?).into();
    let redirect_uri = format!("http://{host_addr}/");
    let sandbox = Sandbox::start(&[
        "--seed-large",
        LARGE_TENANT,
        "--redirect-uri",
        &redirect_uri,
        "--login-port=0",
        "--arm-port=0",
        "--graph-port=0",
        "--control-port=0",
    ])?;
    let site = site_for(&dist, &sandbox.ready, &redirect_uri)?;
    let host = swa::serve(site, host_addr).context("serving the benchmark's copy of dist/")?;
    let browser = Browser::start()?;
    report_first_screen(&browser, &host.url())?;
    report_large_tenant(&browser, &host.url(), &sandbox)
}

fn report_size(dist: &Path) -> Result<()> {
    let floor = build_floor()?;
    heading("size");
    let app = bundle_gzip(dist)?;
    let (msal_version, msal) = msal_gzip()?;
    let floor = bundle_gzip(&floor)?;
    let ratio = app as f64 / msal as f64;
    let verdict = if ratio <= BUDGET_RATIO {
        "within"
    } else {
        "OVER"
    };
    println!("app bundle (html + js + wasm + css), gzip: {}", kib(app));
    println!(
        "@azure/msal-browser {msal_version} minified, gzip: {}",
        kib(msal)
    );
    println!("ratio {ratio:.2}x: {verdict} the {BUDGET_RATIO}x budget");
    println!(
        "framework floor (xtask/floor: the same crates, one screen, no logic), gzip: {} = {:.2}x msal-browser; the app adds {}",
        kib(floor),
        floor as f64 / msal as f64,
        kib(app.saturating_sub(floor)),
    );
    Ok(())
}

/// Builds `xtask/floor` as the app is built (the app's Trunk.toml, so the same tool versions),
/// into a directory of its own; returns it.
fn build_floor() -> Result<PathBuf> {
    heading("building the framework floor (xtask/floor)");
    let dist = target_dir().join("bench-floor");
    let root = repo_root();
    run_command(
        cmd("trunk")
            .args(["build", "--release", "--config"])
            .arg(root.join("Trunk.toml"))
            .arg("--dist")
            .arg(&dist)
            .arg(root.join("xtask/floor/index.html")),
    )?;
    Ok(dist)
}

fn report_first_screen(browser: &Browser, url: &str) -> Result<()> {
    heading(&format!("first interactive screen, {LOADS} cold loads"));
    let mut loads = first_screen_times(browser, url)?;
    loads.sort_by(f64::total_cmp);
    let shown: Vec<String> = loads.iter().map(|ms| format!("{ms:.0}")).collect();
    let median = loads[LOADS / 2];
    println!(
        "navigation to #sign-in: median {median:.0} ms (each, sorted: {} ms)",
        shown.join(" ")
    );
    Ok(())
}

fn report_large_tenant(browser: &Browser, url: &str, sandbox: &Sandbox) -> Result<()> {
    heading(&format!(
        "large tenant ({LARGE_TENANT}: {LARGE_TENANT_CACHES} caches)"
    ));
    let (elapsed, rows) = list_large_tenant(browser, url, sandbox)?;
    let requests = sandbox_requests(&sandbox.ready.control)?;
    let requests = describe_requests(&requests);
    println!("listed and rendered {rows} caches in {elapsed:.0} ms, {requests}");
    if rows < LARGE_TENANT_CACHES {
        bail!("only {rows} of at least {LARGE_TENANT_CACHES} caches were shown");
    }
    Ok(())
}

/// A copy of `dist/` configured for this sandbox, its CSP finished as `cargo xtask build` does.
fn site_for(dist: &Path, ready: &Ready, redirect_uri: &str) -> Result<PathBuf> {
    let site = target_dir().join("bench-site");
    let _ = std::fs::remove_dir_all(&site);
    std::fs::create_dir_all(&site)?;
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        if path.is_file() {
            std::fs::copy(&path, site.join(path.file_name().unwrap_or_default()))?;
        }
    }
    let config_path = site.join("config.json");
    let mut config: Value = serde_json::from_str(&std::fs::read_to_string(&config_path)?)?;
    for (field, value) in [
        ("login", &ready.login),
        ("arm", &ready.arm),
        ("graph", &ready.graph),
    ] {
        config[field] = json!(value);
    }
    config["redirect_uri"] = json!(redirect_uri);
    std::fs::write(&config_path, serde_json::to_string_pretty(&config)?)?;
    build::finish(&site)?;
    Ok(site)
}

/// What Static Web Apps would send a browser on a first visit, gzip-compressed.
fn bundle_gzip(dist: &Path) -> Result<usize> {
    let mut total = 0;
    for file in compress::bundle_files(dist)? {
        total += compress::gzip(&std::fs::read(&file)?).len();
    }
    Ok(total)
}

/// Downloads the current `@azure/msal-browser` package and gzips its minified browser build.
fn msal_gzip() -> Result<(String, usize)> {
    let dir = target_dir().join("bench-msal");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let packed = output(
        cmd("npm")
            .args([
                "pack",
                "--silent",
                "@azure/msal-browser",
                "--pack-destination",
            ])
            .arg(&dir),
    )
    .context("npm pack @azure/msal-browser failed")?;
    let tarball = dir.join(packed.lines().last().unwrap_or_default().trim());
    run_command(cmd("tar").arg("-xzf").arg(&tarball).arg("-C").arg(&dir))?;
    let package = dir.join("package");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(package.join("package.json"))?)?;
    let minified = find_file(&package.join("lib"), "msal-browser.min.js")
        .context("the msal-browser package has no lib/msal-browser.min.js")?;
    let size = compress::gzip(&std::fs::read(minified)?).len();
    Ok((manifest["version"].as_str().unwrap_or("?").to_owned(), size))
}

fn find_file(dir: &Path, name: &str) -> Option<PathBuf> {
    let direct = dir.join(name);
    if direct.is_file() {
        return Some(direct);
    }
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_dir())
        .find_map(|sub| find_file(&sub, name))
}

/// Milliseconds from navigation start until the sign-in button exists, each load with an
/// empty cache. The watcher is installed before any page script runs, so the time is exact.
fn first_screen_times(browser: &Browser, url: &str) -> Result<Vec<f64>> {
    browser.devtools(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "new MutationObserver((_, o) => { if (document.querySelector('#sign-in')) { \
            window.__keylessInteractive = performance.now(); o.disconnect(); } }) \
            .observe(document, { childList: true, subtree: true });" }),
    )?;
    (0..LOADS)
        .map(|_| {
            browser.devtools("Network.clearBrowserCache", json!({}))?;
            browser.goto(&format!("{url}/"))?;
            let ms = browser.execute_async(
                "const done = arguments[arguments.length - 1]; \
                 const check = () => window.__keylessInteractive !== undefined \
                   ? done(window.__keylessInteractive) : setTimeout(check, 10); check();",
            )?;
            ms.as_f64().context("no time from the page")
        })
        .collect()
}

/// Signs in as the admin, then opens the cache list and times it from navigation start until
/// the number of rows stops growing. Returns the time and the rows shown.
fn list_large_tenant(browser: &Browser, url: &str, sandbox: &Sandbox) -> Result<(f64, usize)> {
    let admin = sandbox
        .ready
        .principals
        .iter()
        .find_map(|p| p.upn.as_deref().filter(|upn| upn.starts_with("admin@")))
        .context("the sandbox announces no admin@ account")?;
    sign_in(browser, url, admin).or_else(|err| {
        println!("sign-in failed once ({err:#}); trying again");
        sign_in(browser, url, admin)
    })?;
    clear_requests(&sandbox.ready.control)?;
    browser.devtools(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": format!("window.__keylessRows = [0, 0]; new MutationObserver(() => {{ \
            const n = document.querySelectorAll('{CACHE_ROW}').length; \
            if (n !== window.__keylessRows[0]) window.__keylessRows = [n, performance.now()]; }}) \
            .observe(document, {{ childList: true, subtree: true }});") }),
    )?;
    browser.goto(&format!("{url}/caches"))?;
    let started = Instant::now();
    let mut last = (0, 0.0);
    let mut stable_since = Instant::now();
    while started.elapsed() < Duration::from_secs(180) {
        let rows = browser.execute("return window.__keylessRows;")?;
        let now = (
            rows[0].as_u64().unwrap_or(0) as usize,
            rows[1].as_f64().unwrap_or(0.0),
        );
        if now.0 != last.0 {
            last = now;
            stable_since = Instant::now();
        } else if last.0 >= LARGE_TENANT_CACHES && stable_since.elapsed() > Duration::from_secs(2) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok((last.1, last.0))
}

/// Through the app's button and the sandbox's account picker, until the app shows the account.
fn sign_in(browser: &Browser, url: &str, upn: &str) -> Result<()> {
    browser.goto(&format!("{url}/"))?;
    browser.click("#sign-in", Duration::from_secs(20))?;
    let account = format!(r#"button[name="account"][value="{upn}"]"#);
    browser.click(&account, Duration::from_secs(20))?;
    browser
        .wait_for(r#"[data-testid="account"]"#, Duration::from_secs(30))
        .map(drop)
}

fn sandbox_requests(control: &str) -> Result<Vec<Value>> {
    let text = ureq::get(&format!("{control}/requests"))
        .call()?
        .body_mut()
        .with_config()
        .limit(256 * 1024 * 1024)
        .read_to_string()?;
    let log: Value = serde_json::from_str(&text)?;
    match log {
        Value::Array(entries) => Ok(entries),
        other => other["requests"]
            .as_array()
            .cloned()
            .context("the request log is not a list"),
    }
}

fn clear_requests(control: &str) -> Result<()> {
    ureq::delete(&format!("{control}/requests")).call()?;
    Ok(())
}

/// `N requests (arm: GET 3, OPTIONS 3, POST 4; login: POST 1)`: preflights are counted apart,
/// since whether Chromium sends one depends on its preflight cache.
fn describe_requests(requests: &[Value]) -> String {
    let mut by_service = BTreeMap::<&str, BTreeMap<&str, usize>>::new();
    for request in requests {
        let service = request["service"].as_str().unwrap_or("other");
        let method = request["method"].as_str().unwrap_or("?");
        *by_service
            .entry(service)
            .or_default()
            .entry(method)
            .or_default() += 1;
    }
    let parts: Vec<String> = by_service
        .iter()
        .map(|(service, methods)| {
            let methods: Vec<String> = methods.iter().map(|(m, n)| format!("{m} {n}")).collect();
            format!("{service}: {}", methods.join(", "))
        })
        .collect();
    format!("{} requests ({})", requests.len(), parts.join("; "))
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB ({bytes} bytes)", bytes as f64 / 1024.0)
}
