//! The connection code Keyless generates, run unchanged but for its inputs, with the real client
//! libraries (redis-py + redis-entraid from PyPI; node-redis + @redis/entraid and ioredis from
//! npm) against the sandbox's real Redis servers, with tokens that last seconds.
//!
//! Managed identities sign in through the App Service endpoint (`IDENTITY_ENDPOINT`); service
//! principals through the sandbox's HTTPS authority, named in the code by `--authority`. The
//! libraries trust the sandbox CA through their standard variables, never by turning
//! verification off.

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::Mutex,
    time::{Duration, Instant},
};

use e2e::clients::{clients_dir, deployed_environment, tools, write_ca_bundle};
use e2e::{paths, process::ChildGuard};
use serde_json::{Value, json};

/// How long every Redis token lasts.
const TOKEN_SECONDS: u64 = 6;
/// How long each scenario runs: more than two token lifetimes, so at least two rotations.
const RUN_SECONDS: u64 = 15;
const API: &str = "api-version=2024-11-01";
const PROD: &str = "3c9e8d2a-1f4b-4a6c-8e7d-5b2a9c0f1e34";
const CACHE: (&str, &str) = ("platform-rg", "contoso-identity");
const DEPLOYER: &str = "orders-deployer";
/// The host's system-assigned identity is the sandbox's first managed identity.
const ORDERS_IDENTITY: &str = "orders-api-identity";
const BILLING_IDENTITY: &str = "billing-worker-identity";

/// The scenarios time tokens to the second: one at a time keeps them from starving each other
/// of the machine's cores.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A sandbox with `--data-plane`, a CA bundle for the clients and an ARM token to assign with.
struct Sandbox {
    ready: Value,
    dir: tempfile::TempDir,
    http: reqwest::Client,
    arm_token: String,
    _child: ChildGuard,
}

/// Where the generated code finds the cache and the authority.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// `localhost` and the sandbox's HTTPS authority, given to the generator as `--authority`.
    Sandbox,
    /// The public cloud's names, which a private hosts file sends to the sandbox.
    PublicNames,
}

/// The public authority's port: where code that hard-codes `login.microsoftonline.com` knocks.
const HTTPS_PORT: u16 = 443;

impl Sandbox {
    async fn start() -> Sandbox {
        Sandbox::start_with_authority_port(0).await
    }

    async fn start_with_authority_port(port: u16) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let ready_file = dir.path().join("ready.json");
        let lifetime = TOKEN_SECONDS.to_string();
        let https_port = format!("--login-https-port={port}");
        let mut child = ChildGuard::spawn(
            "the sandbox",
            Command::new(built("sandbox"))
                .args([
                    "--timing=test",
                    "--data-plane",
                    "--access-token-lifetime",
                    &lifetime,
                ])
                .args([
                    "--login-port=0",
                    "--arm-port=0",
                    "--graph-port=0",
                    "--control-port=0",
                ])
                .args([https_port.as_str(), "--identity-port=0", "--ready-file"])
                .arg(&ready_file)
                .stdout(Stdio::null()),
        )
        .unwrap();
        let started = Instant::now();
        let ready: Value = loop {
            child.check_running().unwrap();
            if let Some(ready) = std::fs::read_to_string(&ready_file)
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
            {
                break ready;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the sandbox never got ready"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        write_ca_bundle(
            Path::new(ready["data_plane"]["ca_file"].as_str().unwrap()),
            dir.path(),
        );
        let names = format!(
            "127.0.0.1 localhost\n127.0.0.1 login.microsoftonline.com {}\n",
            public_host()
        );
        std::fs::write(dir.path().join("hosts"), names).unwrap();
        let mut sandbox = Sandbox {
            ready,
            dir,
            http: reqwest::Client::new(),
            arm_token: String::new(),
            _child: child,
        };
        sandbox.arm_token = sandbox
            .deployer_token("https://management.azure.com/.default")
            .await;
        sandbox
    }

    fn principal(&self, name: &str) -> &Value {
        self.ready["principals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()
    }

    fn text<'a>(value: &'a Value, key: &str) -> &'a str {
        value[key]
            .as_str()
            .unwrap_or_else(|| panic!("no {key} in {value}"))
    }

    fn cache_port(&self) -> u16 {
        let suffix = format!("/{}", CACHE.1);
        let caches = self.ready["data_plane"]["caches"].as_array().unwrap();
        let cache = caches
            .iter()
            .find(|c| Self::text(c, "id").ends_with(&suffix))
            .unwrap();
        cache["ssl_port"].as_u64().unwrap() as u16
    }

    async fn deployer_token(&self, scope: &str) -> String {
        let deployer = self.principal(DEPLOYER);
        let url = format!(
            "{}/{}/oauth2/v2.0/token",
            Self::text(&self.ready, "login"),
            Self::text(&self.ready, "tenant_id")
        );
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", Self::text(deployer, "client_id")),
            ("client_secret", Self::text(deployer, "secret")),
            ("scope", scope),
        ];
        let body: Value = self
            .http
            .post(url)
            .form(&form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Self::text(&body, "access_token").to_owned()
    }

    /// Gives `principal` the access policy on the cache through ARM, as the wizard does, and
    /// waits for the assignment to be in place.
    async fn assign(&self, principal: &str, policy: &str) {
        let object_id = Self::text(self.principal(principal), "object_id");
        let url = format!(
            "{}/subscriptions/{PROD}/resourceGroups/{}/providers/Microsoft.Cache/redis/{}/accessPolicyAssignments/{object_id}?{API}",
            Self::text(&self.ready, "arm"),
            CACHE.0,
            CACHE.1
        );
        let body = json!({ "properties": { "accessPolicyName": policy, "objectId": object_id, "objectIdAlias": principal } });
        let response = self
            .http
            .put(url)
            .bearer_auth(&self.arm_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            201,
            "{:?}",
            response.text().await
        );
        let status_url = response.headers()["azure-asyncoperation"]
            .to_str()
            .unwrap()
            .to_owned();
        for _ in 0..200 {
            let status: Value = self
                .http
                .get(&status_url)
                .bearer_auth(&self.arm_token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if status["status"] != "InProgress" {
                assert_eq!(status["status"], "Succeeded", "{status}");
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the assignment never settled");
    }

    /// `cargo xtask snippet` for this cache and principal, written to a file.
    fn snippet(&self, lib: &str, identity: &str, principal: &str) -> PathBuf {
        self.snippet_for(lib, identity, principal, Reach::Sandbox)
    }

    fn snippet_for(&self, lib: &str, identity: &str, principal: &str, reach: Reach) -> PathBuf {
        let port = self.cache_port().to_string();
        let host = if reach == Reach::Sandbox {
            "localhost".to_owned()
        } else {
            public_host()
        };
        let mut args = vec![
            "snippet",
            "--lib",
            lib,
            "--identity",
            identity,
            "--host",
            &host,
            "--port",
            &port,
        ];
        let client_id = Self::text(self.principal(principal), "client_id");
        let tenant = Self::text(&self.ready, "tenant_id");
        let authority = Self::text(&self.ready["data_plane"], "login_https");
        match identity {
            "user-assigned" => args.extend(["--client-id", client_id]),
            "service-principal" => args.extend(["--client-id", client_id, "--tenant-id", tenant]),
            _ => {}
        }
        if reach == Reach::Sandbox {
            args.extend(["--authority", authority]);
        }
        let output = Command::new(built("xtask"))
            .args(&args)
            .current_dir(paths::workspace_root())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "xtask {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        let extension = if lib == "redis-py" { "py" } else { "ts" };
        let file = self
            .dir
            .path()
            .join(format!("{lib}-{identity}.{extension}"));
        std::fs::write(&file, output.stdout).unwrap();
        file
    }

    /// The environment a deployed application would have: the identity endpoint, the secret
    /// for service principals, and trust in the sandbox CA.
    fn environment(&self, command: &mut Command) {
        let bundle = self.dir.path().join("ca-bundle.pem");
        let data_plane = &self.ready["data_plane"];
        deployed_environment(
            command,
            Self::text(data_plane, "identity_endpoint"),
            Self::text(data_plane, "identity_header"),
            &bundle,
        );
        command.env(
            "AZURE_CLIENT_SECRET",
            Self::text(self.principal(DEPLOYER), "secret"),
        );
    }

    /// Runs a runner script and returns the JSON line it ends with.
    fn run(&self, mut command: Command) -> Value {
        self.environment(&mut command);
        let output = command.output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{command:?} failed\n{stdout}\n{stderr}"
        );
        let last = stdout.lines().last().unwrap_or_default();
        let args: Vec<_> = command.get_args().map(|a| a.to_string_lossy()).collect();
        eprintln!("{}: {last}", args.join(" "));
        serde_json::from_str(last)
            .unwrap_or_else(|_| panic!("no JSON result from {command:?}\n{stdout}\n{stderr}"))
    }

    fn python(&self, snippet: &Path, scenario: &str) -> Value {
        self.python_for(snippet, scenario, Reach::Sandbox)
    }

    fn python_for(&self, snippet: &Path, scenario: &str, reach: Reach) -> Value {
        let mut command = self.launcher(tools().python.as_os_str(), reach);
        command
            .arg(clients_dir().join("run_redis_py.py"))
            .arg(snippet)
            .arg(scenario)
            .arg(RUN_SECONDS.to_string());
        self.run(command)
    }

    /// A command starting `program`; for public names, in a mount namespace of its own whose
    /// `/etc/hosts` sends the public cloud's names to loopback (nothing else changes: the
    /// traffic stays on 127.0.0.1).
    fn launcher(&self, program: &std::ffi::OsStr, reach: Reach) -> Command {
        match reach {
            Reach::Sandbox => Command::new(program),
            Reach::PublicNames => {
                let mut command = Command::new("unshare");
                command.args([
                    "-m",
                    "sh",
                    "-c",
                    "mount --bind \"$0\" /etc/hosts && exec \"$@\"",
                ]);
                command.arg(self.dir.path().join("hosts")).arg(program);
                command
            }
        }
    }

    fn trap(&self, trap: &str, principal: &str) -> Value {
        let mut command = Command::new(tools().python.clone());
        let client_id = Self::text(self.principal(principal), "client_id");
        command.arg(clients_dir().join("traps_redis_py.py")).args([
            trap,
            "localhost",
            &self.cache_port().to_string(),
            client_id,
        ]);
        self.run(command)
    }

    fn node(&self, snippet: &Path, scenario: &str) -> Value {
        self.node_for(snippet, scenario, Reach::Sandbox)
    }

    fn node_for(&self, snippet: &Path, scenario: &str, reach: Reach) -> Value {
        let _ = tools();
        let mut command = self.launcher("node".as_ref(), reach);
        command
            .arg(clients_dir().join("run_node.mjs"))
            .arg(snippet)
            .arg(scenario)
            .arg(RUN_SECONDS.to_string());
        self.run(command)
    }
}

/// The cache's name in the public cloud, which its server's certificate also carries.
fn public_host() -> String {
    format!("{}.redis.cache.windows.net", CACHE.1)
}

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Builds a workspace binary once per run, so the tests never meet a stale one.
fn built(package: &'static str) -> PathBuf {
    static BUILT: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if !built.contains(&package) {
        let status = Command::new(cargo())
            .args(["build", "--quiet", "-p", package])
            .current_dir(paths::workspace_root())
            .status()
            .unwrap();
        assert!(status.success(), "cargo build -p {package} failed");
        built.push(package);
    }
    paths::target_dir().join("debug").join(package)
}

/// SET/GET kept working over the whole run, through at least two rotations, as `principal`.
fn assert_survived_rotations(result: &Value, object_id: &str) {
    assert_eq!(result["failures"], json!([]), "{result}");
    assert_eq!(result["whoami"], object_id, "{result}");
    let operations = result["operations"].as_u64().unwrap();
    assert!(
        operations as f64 >= RUN_SECONDS as f64 * 1.5,
        "too few operations: {result}"
    );
    // One connection outlived more than two tokens: it re-authenticated in place each time.
    assert_eq!(result["same_connection"], true, "{result}");
}

fn assert_kept_receiving(result: &Value) {
    assert_eq!(result["failures"], json!([]), "{result}");
    assert!(
        result["published"].as_u64().unwrap() >= 2 * RUN_SECONDS - 2,
        "{result}"
    );
    assert_eq!(
        result["received"], result["published"],
        "every message published arrived: {result}"
    );
}

fn object_id(sandbox: &Sandbox, principal: &str) -> String {
    Sandbox::text(sandbox.principal(principal), "object_id").to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_py_as_a_user_assigned_managed_identity_survives_rotations() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = Sandbox::start().await;
    sandbox.assign(ORDERS_IDENTITY, "Data Contributor").await;
    let result = sandbox.python(
        &sandbox.snippet("redis-py", "user-assigned", ORDERS_IDENTITY),
        "set-get",
    );
    assert_survived_rotations(&result, &object_id(&sandbox, ORDERS_IDENTITY));
}

/// The generated `subscribe()` keeps receiving across rotations. redis-py 8.1 would renew a
/// subscribed connection from the token thread (AUTH, then a read) while the subscriber reads
/// the same socket, so one of them took the other's frame; `subscribe()` sends AUTH itself,
/// between its own reads.
#[tokio::test(flavor = "multi_thread")]
async fn redis_py_subscriber_as_the_system_assigned_identity_keeps_receiving() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = Sandbox::start().await;
    sandbox.assign(ORDERS_IDENTITY, "Data Contributor").await;
    let result = sandbox.python(
        &sandbox.snippet("redis-py", "system-assigned", ORDERS_IDENTITY),
        "pubsub",
    );
    assert_kept_receiving(&result);
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_py_as_a_service_principal_survives_rotations() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = Sandbox::start().await;
    sandbox.assign(DEPLOYER, "Data Owner").await;
    let result = sandbox.python(
        &sandbox.snippet("redis-py", "service-principal", DEPLOYER),
        "set-get",
    );
    assert_survived_rotations(&result, &object_id(&sandbox, DEPLOYER));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_data_reader_cannot_write() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = Sandbox::start().await;
    sandbox.assign(BILLING_IDENTITY, "Data Reader").await;
    let result = sandbox.python(
        &sandbox.snippet("redis-py", "user-assigned", BILLING_IDENTITY),
        "reader",
    );
    assert!(
        result["write"].as_str().unwrap().starts_with("refused: "),
        "{result}"
    );
    assert!(
        result["write"].as_str().unwrap().contains("NOPERM")
            || result["write"].as_str().unwrap().contains("permission"),
        "{result}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_client_id_as_username_is_refused() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = Sandbox::start().await;
    sandbox.assign(ORDERS_IDENTITY, "Data Contributor").await;
    let result = sandbox.trap("client-id-as-username", ORDERS_IDENTITY);
    assert!(
        result["outcome"].as_str().unwrap().starts_with("refused: "),
        "{result}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_never_reauthenticates_is_disconnected_at_expiry() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = Sandbox::start().await;
    sandbox.assign(ORDERS_IDENTITY, "Data Contributor").await;
    let result = sandbox.trap("never-reauthenticates", ORDERS_IDENTITY);
    assert_eq!(result["before_expiry"], true, "{result}");
    assert_ne!(result["after_expiry"], "answered", "{result}");
}

/// A Node library's generated code, as a user-assigned managed identity and then as a service
/// principal: SET/GET keep working across token rotations on one connection.
async fn node_code_survives_rotations(library: &str) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = Sandbox::start().await;
    sandbox.assign(ORDERS_IDENTITY, "Data Contributor").await;
    sandbox.assign(DEPLOYER, "Data Owner").await;
    for (identity, principal) in [
        ("user-assigned", ORDERS_IDENTITY),
        ("service-principal", DEPLOYER),
    ] {
        let result = sandbox.node(&sandbox.snippet(library, identity, principal), "set-get");
        assert_survived_rotations(&result, &object_id(&sandbox, principal));
    }
}

/// A Node library's generated code as a RESP3 subscriber keeps receiving across a rotation.
async fn node_subscriber_keeps_receiving(library: &str) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = Sandbox::start().await;
    sandbox.assign(ORDERS_IDENTITY, "Data Contributor").await;
    let result = sandbox.node(
        &sandbox.snippet(library, "system-assigned", ORDERS_IDENTITY),
        "pubsub",
    );
    assert_kept_receiving(&result);
}

#[tokio::test(flavor = "multi_thread")]
async fn node_redis_as_a_managed_identity_and_a_service_principal_survives_rotations() {
    node_code_survives_rotations("node-redis").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn node_redis_subscriber_keeps_receiving() {
    node_subscriber_keeps_receiving("node-redis").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ioredis_as_a_managed_identity_and_a_service_principal_survives_rotations() {
    node_code_survives_rotations("ioredis").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ioredis_subscriber_keeps_receiving() {
    node_subscriber_keeps_receiving("ioredis").await;
}

/// The public-cloud service-principal helpers (redis-entraid's, @redis/entraid's
/// `createForClientCredentials`) hard-code `login.microsoftonline.com`: the code generated for
/// the public cloud runs unchanged, with only name resolution pointing it at the sandbox.
#[tokio::test(flavor = "multi_thread")]
async fn public_cloud_service_principal_code_runs_unchanged_by_name() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = Sandbox::start_with_authority_port(HTTPS_PORT).await;
    sandbox.assign(DEPLOYER, "Data Owner").await;
    let deployer = object_id(&sandbox, DEPLOYER);
    let python = sandbox.snippet_for(
        "redis-py",
        "service-principal",
        DEPLOYER,
        Reach::PublicNames,
    );
    assert_survived_rotations(
        &sandbox.python_for(&python, "set-get", Reach::PublicNames),
        &deployer,
    );
    for lib in ["node-redis", "ioredis"] {
        let node = sandbox.snippet_for(lib, "service-principal", DEPLOYER, Reach::PublicNames);
        assert_survived_rotations(
            &sandbox.node_for(&node, "set-get", Reach::PublicNames),
            &deployer,
        );
    }
}
