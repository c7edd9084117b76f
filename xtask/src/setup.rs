//! `cargo xtask setup`: installs whatever is missing, and only that, so a second run is instant.
//! Versions are pinned where a mismatch breaks the build silently (see Trunk.toml's guards).

use anyhow::{Context, Result, bail};

use crate::process::{cmd, heading, output, repo_root, run, tools_dir};

const TRUNK_VERSION: &str = "0.21.14";
/// Debian ships 108, whose output dies in the browser; npm has the release Trunk expects.
const BINARYEN_VERSION: &str = "132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Debian packages, each with a command that succeeds once it is installed. Python's venv is
/// for the end-to-end suite, which runs the generated Python code in a virtual environment.
const SYSTEM_PACKAGES: [(&str, &[&str]); 6] = [
    ("chromium", &["which", "chromium"]),
    ("chromium-driver", &["which", "chromedriver"]),
    ("redis-server", &["which", "redis-server"]),
    ("nodejs", &["which", "node"]),
    ("npm", &["which", "npm"]),
    ("python3-venv", &["python3", "-c", "import ensurepip, venv"]),
];

/// Everything: the build tools, then the browser, its driver, Redis and Node.
pub fn run_all() -> Result<()> {
    system_packages()?;
    build_tools()
}

/// What `trunk build` needs.
pub fn build_tools() -> Result<()> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen()?;
    wasm_opt()
}

fn wasm_target() -> Result<()> {
    let installed = output(cmd("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|list| list.lines().any(|line| line.trim() == WASM_TARGET));
    ensure(installed, &format!("Rust target {WASM_TARGET}"), "", || {
        run(cmd("rustup").args(["target", "add", WASM_TARGET]))
    })
}

fn trunk() -> Result<()> {
    let installed =
        version_line("trunk").is_some_and(|line| line.ends_with(&format!(" {TRUNK_VERSION}")));
    ensure(
        installed,
        &format!("Trunk {TRUNK_VERSION}"),
        "about 11 minutes on 2 cores",
        || run(cmd("cargo").args(["install", "trunk", "--locked", "--version", TRUNK_VERSION])),
    )
}

/// The CLI must equal the `wasm-bindgen` crate in Cargo.lock exactly.
fn wasm_bindgen() -> Result<()> {
    let version = locked_version("wasm-bindgen")?;
    let installed =
        version_line("wasm-bindgen").is_some_and(|line| line.ends_with(&format!(" {version}")));
    // `--locked` fails: the CLI's own lockfile names a crate version crates.io no longer has.
    ensure(
        installed,
        &format!("wasm-bindgen-cli {version}"),
        "about 5 minutes",
        || {
            run(cmd("cargo").args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                &format!("={version}"),
            ]))
        },
    )
}

fn wasm_opt() -> Result<()> {
    let wasm_opt = tools_dir().join("node_modules/.bin/wasm-opt");
    let installed = output(cmd(&wasm_opt).arg("--version"))
        .is_some_and(|line| line.contains(&format!("version {BINARYEN_VERSION}")));
    ensure(
        installed,
        &format!("wasm-opt {BINARYEN_VERSION}"),
        "binaryen from npm, into .tools/",
        || {
            std::fs::create_dir_all(tools_dir())?;
            run(cmd("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(tools_dir())
                .arg(format!("binaryen@{BINARYEN_VERSION}.0.0")))
        },
    )
}

fn system_packages() -> Result<()> {
    let missing: Vec<&str> = SYSTEM_PACKAGES
        .iter()
        .filter(|(_, probe)| output(cmd(probe[0]).args(&probe[1..])).is_none())
        .map(|&(package, _)| package)
        .collect();
    let listed = if missing.is_empty() {
        SYSTEM_PACKAGES.map(|(package, _)| package).to_vec()
    } else {
        missing.clone()
    };
    ensure(
        missing.is_empty(),
        &format!("Debian packages {}", listed.join(" ")),
        "apt-get",
        || {
            if output(cmd("id").arg("-u")).as_deref().map(str::trim) != Some("0") {
                bail!(
                    "run as root: apt-get update && apt-get install -y {}",
                    missing.join(" ")
                );
            }
            run(cmd("apt-get").arg("update"))?;
            run(cmd("apt-get")
                .args(["install", "-y", "--no-install-recommends"])
                .args(&missing)
                .env("DEBIAN_FRONTEND", "noninteractive"))
        },
    )
}

/// Installs `what` unless it is there, saying which; `note` tells how (and how long).
fn ensure(
    installed: bool,
    what: &str,
    note: &str,
    install: impl FnOnce() -> Result<()>,
) -> Result<()> {
    if installed {
        println!("ok  {what}");
        return Ok(());
    }
    let note = if note.is_empty() {
        String::new()
    } else {
        format!(" ({note})")
    };
    heading(&format!("installing {what}{note}"));
    install().with_context(|| format!("installing {what}"))
}

/// The first line of `program --version`, trimmed.
fn version_line(program: &str) -> Option<String> {
    output(cmd(program).arg("--version"))
        .map(|out| out.lines().next().unwrap_or_default().trim().to_owned())
}

/// The version of a package in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock =
        std::fs::read_to_string(repo_root().join("Cargo.lock")).context("reading Cargo.lock")?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == name_line
            && let Some(version) = lines
                .next()
                .and_then(|next| next.strip_prefix("version = "))
        {
            return Ok(version.trim_matches('"').to_owned());
        }
    }
    bail!("Cargo.lock has no {package}")
}
