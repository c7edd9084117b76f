//! `cargo xtask demo`: the product on its embedded default, the sandbox, served as Static Web
//! Apps would serve it, until Ctrl-C.

use anyhow::{Context, Result};

use crate::process::heading;
use crate::sandbox::Sandbox;
use crate::{build, setup};

pub fn run() -> Result<()> {
    setup::run_all()?;
    build::run_release()?;
    let sandbox = Sandbox::start(&[])?;
    let host = swa::serve(build::dist_dir(), swa::default_addr())
        .context("serving dist/ (is another demo running?)")?;
    heading(&format!("Keyless is running: open {}/", host.url()));
    println!(
        "Sign in on the sandbox's page ({}) as one of:",
        sandbox.ready.login
    );
    for principal in sandbox.ready.principals.iter().filter(|p| p.kind == "user") {
        println!(
            "  {:<28} {}",
            principal.name,
            principal.upn.as_deref().unwrap_or_default()
        );
    }
    println!("Press Ctrl-C to stop.");
    wait_for_ctrl_c()?;
    println!("stopping");
    drop(host);
    drop(sandbox);
    Ok(())
}

fn wait_for_ctrl_c() -> Result<()> {
    let (tx, rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .context("installing the Ctrl-C handler")?;
    rx.recv().context("waiting for Ctrl-C")
}
