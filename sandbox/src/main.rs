//! `cargo run -p sandbox`: starts the emulated Azure services and waits for Ctrl-C.

use clap::Parser;
use sandbox::Options;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let options = Options::parse();
    let ready_file = options.ready_file.clone();
    let sandbox = match sandbox::start(options).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("sandbox: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    print!("{}", sandbox.ready.banner());
    if let Some(path) = ready_file
        && let Err(e) = sandbox.ready.write(&path)
    {
        eprintln!("sandbox: cannot write the ready-file {}: {e}", path.display());
        return std::process::ExitCode::FAILURE;
    }
    let _ = tokio::signal::ctrl_c().await;
    std::process::ExitCode::SUCCESS
}
