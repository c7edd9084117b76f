//! `cargo xtask build`: the release bundle in `dist/`, finished for hosting: the final
//! Content-Security-Policy written into `dist/staticwebapp.config.json`, and `.br`/`.gz` copies.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::Value;

use crate::process::{cmd, heading, repo_root, run};
use crate::{compress, csp, setup};

pub fn dist_dir() -> PathBuf {
    repo_root().join("dist")
}

pub fn run_release() -> Result<()> {
    setup::build_tools()?;
    heading("building the release app (trunk build --release)");
    run(cmd("trunk").args(["build", "--release"]))?;
    finish(&dist_dir())
}

/// Post-build steps that need the built files: the CSP for `dist`'s own `config.json`, and the
/// precompressed copies.
pub fn finish(dist: &Path) -> Result<()> {
    let html = read(&dist.join("index.html"))?;
    let hashes = csp::inline_script_hashes(&html);
    let app_config: Value = serde_json::from_str(&read(&dist.join("config.json"))?)
        .context("dist/config.json is not JSON")?;
    let origins = csp::called_origins(&app_config)?;
    let source = repo_root().join("public/staticwebapp.config.json");
    let mut site: Value = serde_json::from_str(&read(&source)?)
        .with_context(|| format!("{} is not JSON", source.display()))?;
    csp::finish_site_config(&mut site, &hashes, &origins)?;
    let target = dist.join("staticwebapp.config.json");
    std::fs::write(&target, serde_json::to_string_pretty(&site)? + "\n")
        .with_context(|| format!("writing {}", target.display()))?;
    println!(
        "CSP: {} inline script hash(es); connect-src 'self' {}",
        hashes.len(),
        origins.join(" ")
    );
    compress::write_siblings(dist)?;
    print_sizes(dist)
}

fn print_sizes(dist: &Path) -> Result<()> {
    for file in compress::bundle_files(dist)? {
        let bytes = std::fs::read(&file)?;
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        println!(
            "{:>9} bytes, {:>8} gzip  {name}",
            bytes.len(),
            compress::gzip(&bytes).len()
        );
    }
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}
