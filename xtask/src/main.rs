//! Keyless's developer workflows, one verb each: `cargo xtask <verb>`.

mod bench;
mod build;
mod compress;
mod csp;
mod demo;
mod process;
mod sandbox;
mod setup;
mod snippet;
mod suite;
mod webdriver;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <verb>
  setup    install what is missing (wasm target, Trunk, wasm-bindgen-cli, wasm-opt, Chromium, Redis)
  build    release build into dist/ with the final Content-Security-Policy
  demo     setup, build, then run the app on http://127.0.0.1:8400 against the sandbox
  test     setup, then every test: native, release build, browser, end-to-end
  bench    bundle size against msal-browser, time to first screen, 2,000-cache listing
  snippet  print connection code for one library and identity (--help lists the options)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run_all(),
        Some("build") => build::run_release(),
        Some("demo") => demo::run(),
        Some("test") => suite::run(),
        Some("bench") => bench::run(),
        Some("snippet") => snippet::run(&args[1..]),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
