//! `swa [--dist DIR] [--port N]`: serve a built Keyless on http://127.0.0.1:PORT until stopped.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: swa [--dist DIR] [--port N]\n\
    Serves DIR (default dist) on 127.0.0.1:N (default 8400) as Azure Static Web Apps would.";

fn main() -> ExitCode {
    match parse(std::env::args().skip(1)) {
        Ok((dist, addr)) => match swa::serve(dist, addr) {
            Ok(server) => {
                println!("serving on {}/", server.url());
                loop {
                    std::thread::park();
                }
            }
            Err(err) => {
                eprintln!("swa: {err}");
                ExitCode::FAILURE
            }
        },
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<(PathBuf, SocketAddr), String> {
    let (mut dist, mut port) = (PathBuf::from("dist"), swa::DEFAULT_PORT);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--dist" => dist = value()?.into(),
            "--port" => {
                port = value()?
                    .parse()
                    .map_err(|_| "--port needs a number".to_owned())?
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok((dist, (Ipv4Addr::LOCALHOST, port).into()))
}
