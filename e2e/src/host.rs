//! The release build of the app, served the way Static Web Apps serves it (the config file's
//! headers, the production CSP among them, and its navigation fallback).
//!
//! Each test serves its own copy of `dist/` on a free port, pointed at its own sandbox: the
//! origins in `config.json`, and the same origins in the CSP's `connect-src`, are swapped for
//! the test's, token by token, exactly where `cargo xtask build` wrote the demo's. Nothing else
//! in the policy changes, and a demo running on the default ports does not get in the way.
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::paths;
use crate::sandbox::Ready;

const APP_CONFIG: &str = "config.json";
const SITE_CONFIG: &str = "staticwebapp.config.json";

/// The app host; dropping it stops serving and removes the copy.
pub struct Host {
    origin: String,
    _server: swa::ServerHandle,
    _site: tempfile::TempDir,
}

impl Host {
    /// Serves a copy of `dist/` on `port`, calling the sandbox described by `ready`.
    pub fn start(port: u16, ready: &Ready) -> Result<Self> {
        let dist = paths::dist_dir();
        if !dist.join("index.html").is_file() {
            return Err(Error::new(format!(
                "{} has no release build of the app: run `cargo xtask build` first",
                dist.display()
            )));
        }
        let origin = format!("http://127.0.0.1:{port}");
        let site =
            tempfile::tempdir().map_err(|e| Error::context("making a folder for the site", e))?;
        copy_tree(&dist, site.path())?;
        let swaps = origin_swaps(&read_json(&site.path().join(APP_CONFIG))?, &origin, ready)?;
        for file in [APP_CONFIG, SITE_CONFIG] {
            let path = site.path().join(file);
            let mut json = read_json(&path)?;
            swap_tokens(&mut json, &swaps);
            let text = serde_json::to_string_pretty(&json).map_err(|e| Error::context(file, e))?;
            std::fs::write(&path, text)
                .map_err(|e| Error::context(&format!("writing {}", path.display()), e))?;
        }
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let server = swa::serve(site.path().to_path_buf(), addr)
            .map_err(|e| Error::context("serving the app", e))?;
        Ok(Self {
            origin,
            _server: server,
            _site: site,
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

/// Built origin → this test's origin, for the three services and the redirect URI.
fn origin_swaps(
    app_config: &Value,
    origin: &str,
    ready: &Ready,
) -> Result<HashMap<String, String>> {
    let built = |key: &str| {
        app_config[key]
            .as_str()
            .map(|v| v.trim_end_matches('/').to_owned())
            .ok_or_else(|| Error::new(format!("dist/{APP_CONFIG} has no {key}")))
    };
    let ours = |url: &str| url.trim_end_matches('/').to_owned();
    let redirect = built("redirect_uri")?;
    Ok(HashMap::from([
        (built("login")?, ours(&ready.login)),
        (built("arm")?, ours(&ready.arm)),
        (built("graph")?, ours(&ready.graph)),
        (redirect.clone(), origin.to_owned()),
        (format!("{redirect}/"), format!("{origin}/")),
    ]))
}

/// Replaces every space-separated token (a CSP directive's closing `;` aside) of every string
/// found in `swaps`, in one pass, so a swapped value is never swapped again.
fn swap_tokens(json: &mut Value, swaps: &HashMap<String, String>) {
    match json {
        Value::String(text) => {
            let swapped: Vec<String> = text
                .split(' ')
                .map(|token| {
                    let (core, end) = token
                        .strip_suffix(';')
                        .map_or((token, ""), |core| (core, ";"));
                    format!("{}{end}", swaps.get(core).map_or(core, String::as_str))
                })
                .collect();
            *text = swapped.join(" ");
        }
        Value::Array(items) => items.iter_mut().for_each(|item| swap_tokens(item, swaps)),
        Value::Object(map) => map.values_mut().for_each(|value| swap_tokens(value, swaps)),
        _ => {}
    }
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::context(&format!("reading {}", path.display()), e))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::context(&format!("parsing {}", path.display()), e))
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    let entries = std::fs::read_dir(from)
        .map_err(|e| Error::context(&format!("reading {}", from.display()), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::context(&format!("reading {}", from.display()), e))?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir(&target)
                .map_err(|e| Error::context(&format!("creating {}", target.display()), e))?;
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| Error::context(&format!("copying {}", entry.path().display()), e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_are_swapped_once_and_nothing_else_changes() {
        let swaps = HashMap::from([
            ("http://a:1".to_owned(), "http://a:2".to_owned()),
            ("http://a:2".to_owned(), "http://a:3".to_owned()),
        ]);
        let mut csp = json!({ "h": ["connect-src 'self' http://a:1 http://a:2; frame-ancestors 'none'"], "n": 1 });
        swap_tokens(&mut csp, &swaps);
        let expected = json!({ "h": ["connect-src 'self' http://a:2 http://a:3; frame-ancestors 'none'"], "n": 1 });
        assert_eq!(csp, expected);
    }
}
