//! Command-line options: ports, timing, paging, token lifetimes and tenant seeding.

use crate::timing::Profile;
use clap::Parser;
use std::path::PathBuf;

/// A local Azure for Keyless: Entra ID, Resource Manager and Microsoft Graph on loopback.
///
/// Serves three emulated services on their own 127.0.0.1 origins and a control API on a
/// fourth. State lives in memory, seeded from a fixture file.
#[derive(Parser, Debug, Clone)]
#[command(name = "sandbox", version)]
pub struct Options {
    /// Port of the Entra ID (login) origin; 0 picks any free port.
    #[arg(long, default_value_t = 8401)]
    pub login_port: u16,
    /// Port of the Azure Resource Manager origin; 0 picks any free port.
    #[arg(long, default_value_t = 8402)]
    pub arm_port: u16,
    /// Port of the Microsoft Graph origin; 0 picks any free port.
    #[arg(long, default_value_t = 8403)]
    pub graph_port: u16,
    /// Port of the control API (reset, faults, request log, state); 0 picks any free port.
    #[arg(long, default_value_t = 8404)]
    pub control_port: u16,
    /// Registers one more SPA redirect URI (repeatable); its origin is allowed by CORS.
    #[arg(long = "redirect-uri", value_name = "URL", value_parser = parse_redirect_uri)]
    pub redirect_uris: Vec<String>,
    /// Once listening, writes the origins, ids and seeded principals to this JSON file.
    #[arg(long, value_name = "PATH")]
    pub ready_file: Option<PathBuf>,
    /// How long operations take: demo walks Entra enabling through its states in about 30 s;
    /// test ends every operation within about 300 ms.
    #[arg(long, value_enum, default_value_t = Profile::Demo)]
    pub timing: Profile,
    /// Items per page of ARM lists (nextLink) and the default Graph $top.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub page_size: u32,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 3600)]
    pub access_token_lifetime: u64,
    /// Hard lifetime of refresh tokens from sign-in, in seconds (SPA tokens die after it).
    #[arg(long, value_name = "SECS", default_value_t = 86400)]
    pub refresh_token_lifetime: u64,
    /// Adds a generated tenant of SUBSxCACHES (for example 200x10) to the fixture, for benchmarks.
    #[arg(long, value_name = "SUBSxCACHES", value_parser = parse_large_seed)]
    pub seed_large: Option<LargeSeed>,
    /// Seeds the state from this fixture instead of the built-in demo tenant.
    #[arg(long, value_name = "PATH")]
    pub fixture: Option<PathBuf>,
    /// Backs every cache with Redis 6 or later by a real local redis-server (TLS with a CA made
    /// at start-up) whose users follow Entra tokens and access policy assignments; also serves
    /// the Entra authority over HTTPS and a managed-identity endpoint. Needs redis-server on PATH.
    #[arg(long)]
    pub data_plane: bool,
    /// Port of the HTTPS Entra authority, with --data-plane; 0 picks any free port.
    #[arg(long, default_value_t = 8405)]
    pub login_https_port: u16,
    /// Port of the managed-identity endpoint (IDENTITY_ENDPOINT), with --data-plane; 0 picks any free port.
    #[arg(long, default_value_t = 8406)]
    pub identity_port: u16,
}

/// Size of a generated tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LargeSeed {
    pub subscriptions: u32,
    pub caches_per_subscription: u32,
}

fn parse_large_seed(text: &str) -> Result<LargeSeed, String> {
    let (subs, caches) = text.split_once(['x', 'X']).ok_or("expected SUBSxCACHES, like 200x10")?;
    let number = |s: &str| s.trim().parse::<u32>().map_err(|e| format!("{s:?}: {e}"));
    Ok(LargeSeed { subscriptions: number(subs)?, caches_per_subscription: number(caches)? })
}

fn parse_redirect_uri(text: &str) -> Result<String, String> {
    let url = url::Url::parse(text).map_err(|e| e.to_string())?;
    match url.scheme() {
        "http" | "https" if url.fragment().is_none() => Ok(text.to_owned()),
        _ => Err("a redirect URI is an http(s) URL without a fragment".into()),
    }
}
