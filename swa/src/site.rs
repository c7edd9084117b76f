//! Turns a request into a response the way Static Web Apps does for static content:
//! the file if it exists, else the navigation fallback, else a 404 (or its override),
//! with the configured headers and MIME types, and a precompressed sibling when accepted.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::Error;
use crate::config::SiteConfig;

/// The configuration file is read by the host, never served.
const CONFIG_FILE: &str = "staticwebapp.config.json";

/// A built site: the folder and its configuration.
#[derive(Debug)]
pub struct Site {
    root: PathBuf,
    config: SiteConfig,
}

/// What to send back; the server turns it into HTTP.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

#[derive(Debug)]
pub enum Body {
    File(PathBuf),
    Text(&'static str),
}

impl Reply {
    /// For a request that is malformed or names a path outside the site.
    pub fn bad_request() -> Self {
        text_reply(400, "Bad Request", Vec::new())
    }

    /// For a file that went away between choosing and sending it.
    pub fn not_found() -> Self {
        text_reply(404, "Not Found", Vec::new())
    }
}

/// Precompressed siblings, best first: `(Accept-Encoding token, file suffix)`.
const ENCODINGS: [(&str, &str); 2] = [("br", "br"), ("gzip", "gz")];

impl Site {
    /// Reads `root/staticwebapp.config.json`; a folder without one is served with defaults.
    pub fn load(root: PathBuf) -> Result<Self, Error> {
        let path = root.join(CONFIG_FILE);
        let config = match std::fs::read_to_string(&path) {
            Ok(text) => {
                serde_json::from_str(&text).map_err(|source| Error::Config { path, source })?
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => SiteConfig::default(),
            Err(source) => return Err(Error::Io { path, source }),
        };
        Ok(Self { root, config })
    }

    pub fn respond(&self, method: &str, url: &str, accept_encoding: Option<&str>) -> Reply {
        if method != "GET" && method != "HEAD" {
            return text_reply(
                405,
                "Method Not Allowed",
                vec![("Allow".into(), "GET, HEAD".into())],
            );
        }
        let Some(path) = request_path(url) else {
            return Reply::bad_request();
        };
        let mut headers = self.config.headers_for(&path);
        let (status, file) = match self.file_for(&path) {
            Some(file) => (200, Some(file)),
            None => match self.config.fallback_for(&path) {
                Some(rewrite) => (200, self.file_for(rewrite)),
                None => self.not_found(),
            },
        };
        let Some(file) = file else {
            headers.push(content_type("text/plain; charset=utf-8"));
            return Reply {
                status,
                headers,
                body: Body::Text("Not Found"),
            };
        };
        headers.push(content_type(self.mime_type(&file)));
        let body = self
            .precompressed(&file, accept_encoding, &mut headers)
            .unwrap_or(file);
        Reply {
            status,
            headers,
            body: Body::File(body),
        }
    }

    /// The existing file a clean path names (a folder stands for its `index.html`).
    fn file_for(&self, path: &str) -> Option<PathBuf> {
        let relative = path.trim_start_matches('/');
        if relative.eq_ignore_ascii_case(CONFIG_FILE) {
            return None;
        }
        let mut file = self.root.join(relative);
        if file.is_dir() {
            file.push("index.html");
        }
        file.is_file().then_some(file)
    }

    fn not_found(&self) -> (u16, Option<PathBuf>) {
        match self.config.override_for(404) {
            Some(over) => (
                over.status_code.unwrap_or(404),
                over.rewrite
                    .as_deref()
                    .and_then(|rewrite| self.file_for(rewrite)),
            ),
            None => (404, None),
        }
    }

    fn mime_type(&self, file: &Path) -> &str {
        let name = file
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        self.config
            .mime_type_for(name)
            .unwrap_or_else(|| builtin_mime_type(name))
    }

    /// Picks `file.br` or `file.gz` when the client accepts it, adding the matching headers.
    fn precompressed(
        &self,
        file: &Path,
        accept_encoding: Option<&str>,
        headers: &mut Vec<(String, String)>,
    ) -> Option<PathBuf> {
        let sibling = |suffix: &str| {
            let mut name = file.as_os_str().to_owned();
            name.push(format!(".{suffix}"));
            PathBuf::from(name)
        };
        let available: Vec<_> = ENCODINGS
            .iter()
            .map(|&(token, suffix)| (token, sibling(suffix)))
            .filter(|(_, path)| path.is_file())
            .collect();
        if available.is_empty() {
            return None;
        }
        headers.push(("Vary".into(), "Accept-Encoding".into()));
        let accepted = accept_encoding.unwrap_or_default();
        let (token, path) = available
            .into_iter()
            .find(|(token, _)| accepts(accepted, token))?;
        headers.push(("Content-Encoding".into(), token.into()));
        Some(path)
    }
}

/// The decoded path of a request URL, or `None` when it tries to leave the site folder.
fn request_path(url: &str) -> Option<String> {
    let raw = url.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    let escapes = decoded
        .split('/')
        .any(|segment| segment == ".." || segment.contains(['\\', '\0']));
    (decoded.starts_with('/') && !escapes).then(|| decoded.into_owned())
}

/// Whether an `Accept-Encoding` value accepts `token` (a `q=0` refuses it).
fn accepts(accept_encoding: &str, token: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|param| {
            param
                .strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        name.eq_ignore_ascii_case(token) && !refused
    })
}

fn builtin_mime_type(file_name: &str) -> &'static str {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn content_type(value: &str) -> (String, String) {
    ("Content-Type".into(), value.into())
}

fn text_reply(status: u16, text: &'static str, mut headers: Vec<(String, String)>) -> Reply {
    headers.push(content_type("text/plain; charset=utf-8"));
    Reply {
        status,
        headers,
        body: Body::Text(text),
    }
}

#[cfg(test)]
mod tests {
    use super::{accepts, request_path};

    #[test]
    fn paths_are_decoded_and_stripped_of_query() {
        assert_eq!(
            request_path("/cache/a%20b?x=1#y").as_deref(),
            Some("/cache/a b")
        );
    }

    #[test]
    fn paths_leaving_the_folder_are_refused() {
        assert_eq!(request_path("/../etc/passwd"), None);
        assert_eq!(request_path("/a/%2e%2e/b"), None);
        assert_eq!(request_path("/a%5c..%5cb"), None);
        assert_eq!(request_path("relative"), None);
    }

    #[test]
    fn accept_encoding_tokens_and_zero_quality() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("GZIP;q=0.5", "gzip"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(!accepts("gzip", "br"));
    }
}
