//! The `sandbox` binary itself: its help, start-up output, ready-file and loopback binding;
//! and the generated large tenant, with its list latency.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn help_documents_every_option() {
    let output = Command::new(env!("CARGO_BIN_EXE_sandbox")).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    let command = <sandbox::Options as clap::CommandFactory>::command();
    let options: Vec<_> = command.get_arguments().filter(|a| a.get_long().is_some()).collect();
    assert!(options.len() >= 12, "{} options", options.len());
    for option in options {
        let long = format!("--{}", option.get_long().unwrap());
        let help_text = option.get_help().map(ToString::to_string).unwrap_or_default();
        assert!(!help_text.trim().is_empty(), "{long} has no description");
        assert!(help.contains(&long) && help.contains(help_text.trim_end_matches('.')), "{long} is not documented in:\n{help}");
    }
}

/// Ends the child even when an assertion fails.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_binary_announces_itself_and_writes_the_ready_file() {
    let dir = std::env::temp_dir().join(format!("sandbox-ready-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ready_file = dir.join("ready.json");
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_sandbox"))
            .args(["--login-port=0", "--arm-port=0", "--graph-port=0", "--control-port=0", "--timing=test", "--ready-file"])
            .arg(&ready_file)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready_file.exists() {
        assert!(Instant::now() < deadline, "no ready-file");
        std::thread::sleep(Duration::from_millis(50));
    }
    let ready: Value = serde_json::from_str(&std::fs::read_to_string(&ready_file).unwrap()).unwrap();
    for service in ["login", "arm", "graph", "control"] {
        assert!(ready[service].as_str().unwrap().starts_with("http://127.0.0.1:"), "{ready}");
    }
    assert_eq!(ready["tenant_id"], "8b6f1c2e-4d5a-4e7f-9a3b-2c1d0e9f8a7b");
    assert_eq!(ready["spa_client_id"], "5e1a7c3d-9b2f-4c8e-a6d4-3f0b1e2c7a95");
    let principals = ready["principals"].as_array().unwrap();
    let kinds: Vec<&str> = principals.iter().map(|p| p["kind"].as_str().unwrap()).collect();
    for kind in ["user", "service_principal", "managed_identity", "group"] {
        assert!(kinds.contains(&kind), "{kind}");
    }
    let deployer = principals.iter().find(|p| p["kind"] == "service_principal").unwrap();
    assert!(deployer["client_id"].is_string() && deployer["secret"].is_string());

    let stdout = BufReader::new(child.0.stdout.take().unwrap());
    let banner: Vec<String> = stdout.lines().take(9).map(Result::unwrap).collect();
    assert!(banner.iter().any(|l| l.contains(ready["arm"].as_str().unwrap())), "{banner:?}");
    assert!(banner.iter().any(|l| l.contains("Principals")));

    let port = ready["control"].as_str().unwrap().rsplit(':').next().unwrap().to_owned();
    assert!(std::net::TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).is_ok());
    let other_interfaces = local_non_loopback_address().map(|ip| std::net::TcpStream::connect_timeout(&(ip, port.parse().unwrap()).into(), Duration::from_millis(500)));
    if let Some(attempt) = other_interfaces {
        assert!(attempt.is_err(), "the sandbox must listen on 127.0.0.1 only");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// An address of this machine other than loopback, if it has one.
fn local_non_loopback_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_large_tenant_lists_quickly() {
    let env = Env::with_args(&["--seed-large", "200x10", "--page-size", "1000"]).await;
    let token = env.sign_in(ADMIN).await.access_token;

    let started = Instant::now();
    let (status, subscriptions) = env.arm_get("/subscriptions?api-version=2022-12-01", &token).await;
    let subscriptions_time = started.elapsed();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(subscriptions["value"].as_array().unwrap().len(), 203);

    let query = json!({ "query": "Resources | where type =~ 'microsoft.cache/redis' | project id, name, type, resourceGroup, subscriptionId, location, properties | order by id asc", "options": { "$top": 1000 } });
    let started = Instant::now();
    let mut next = Some(query.clone());
    let mut rows = 0;
    let mut pages = 0;
    while let Some(body) = next {
        let (status, _, page) = env.arm_call(Method::POST, "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01", &token, Some(body)).await;
        assert_eq!(status, StatusCode::OK);
        rows += page["count"].as_u64().unwrap();
        pages += 1;
        next = page["$skipToken"].as_str().map(|t| {
            let mut again = query.clone();
            again["options"]["$skipToken"] = t.into();
            again
        });
    }
    let graph_time = started.elapsed();
    assert_eq!(rows, 2011);
    assert_eq!(pages, 3);

    let started = Instant::now();
    let (status, one) = env.arm_get(&format!("/subscriptions/00000063-0000-4000-8000-0000b3e4c4a5/providers/Microsoft.Cache/redis?{API}"), &token).await;
    let list_time = started.elapsed();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["value"].as_array().unwrap().len(), 10);

    println!("large tenant: subscriptions {subscriptions_time:?}, Resource Graph 2011 rows in {pages} pages {graph_time:?}, one subscription's caches {list_time:?}");
    assert!(graph_time < Duration::from_secs(10), "{graph_time:?}");
}
