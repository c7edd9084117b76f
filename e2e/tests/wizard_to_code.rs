//! From the wizard to working code: the admin gives a managed identity Data Owner on a cache
//! backed by a real Redis server, enables Entra, and the redis-py code the Done step shows for
//! that identity, read from the page and run unchanged as an App Service application would run
//! it, connects as the identity and reads and writes. The same page's code for an identity that
//! was given nothing is refused by the same server.
use std::path::Path;
use std::process::{Command, Output};
use std::time::Instant;

use e2e::clients::{clients_dir, deployed_environment, tools, write_ca_bundle};
use e2e::tenant::{ADMIN, DEPLOYER, DEVELOPER, ELIGIBLE_CACHE, IDENTITY};
use e2e::{DataPlane, Error, Result, Stack};
use serde_json::Value;

/// A seeded user-assigned managed identity that the wizard gives no access.
const UNASSIGNED_IDENTITY: &str = "billing-worker-identity";
/// How long the runner drives SET and GET with the snippet's client.
const RUN_SECONDS: &str = "3";
const CODE: &str = r#"[data-testid="connection-code"] [data-testid="snippet-code"]"#;

#[tokio::test(flavor = "multi_thread")]
async fn the_done_steps_python_code_connects_as_the_identity_just_assigned() -> Result<()> {
    let started = Instant::now();
    let stack =
        Stack::start_with(&["--data-plane", "--login-https-port=0", "--identity-port=0"]).await?;
    let ready = stack.ready();
    let data_plane = ready
        .data_plane
        .clone()
        .ok_or_else(|| Error::new("the sandbox announced no data plane"))?;
    let (admin, dana, deployer, identity, unassigned) = (
        ready.principal(ADMIN)?,
        ready.principal(DEVELOPER)?,
        ready.principal(DEPLOYER)?,
        ready.principal(IDENTITY)?,
        ready.principal(UNASSIGNED_IDENTITY)?,
    );
    let served = data_plane
        .caches
        .iter()
        .find(|c| c.id.ends_with(&format!("/{ELIGIBLE_CACHE}")))
        .ok_or_else(|| Error::new(format!("no Redis server backs {ELIGIBLE_CACHE}")))?;

    stack.sign_in(ADMIN).await?;
    let wizard = stack.wizard();
    let verdict = wizard.choose_cache(ELIGIBLE_CACHE).await?;
    assert_eq!(verdict.kind, "ready", "{verdict:?}");
    wizard.continue_to_users().await?;
    assert_eq!(
        wizard.chosen().await?,
        [admin.object_id.as_str()],
        "the admin is proposed as Data Owner"
    );
    wizard
        .add_principal("Dana", &dana.object_id, "Data Contributor")
        .await?;
    wizard
        .add_principal(DEPLOYER, &deployer.object_id, "Data Reader")
        .await?;
    wizard
        .add_principal(IDENTITY, &identity.object_id, "Data Owner")
        .await?;
    wizard.review().await?;
    wizard.apply().await?;
    wizard.wait_done().await?;

    let cache = stack.control().cache(ELIGIBLE_CACHE).await?;
    assert!(cache.aad_enabled(), "aad-enabled is true in the sandbox");
    assert_eq!(
        cache.policy_of(&identity.object_id).as_deref(),
        Some("Data Owner")
    );
    assert_eq!(cache.policy_of(&unassigned.object_id), None);

    // The Done step's connection code, as the admin would set it up and copy it.
    let browser = &stack.browser;
    browser
        .wait_for(r#"[data-testid="connection-code"]"#)
        .await?;
    select_label(
        &stack,
        r#"[data-testid="snippet-principal"]"#,
        &format!("{IDENTITY} (managed identity)"),
    )
    .await?;
    select_value(&stack, r#"[data-testid="snippet-lib"]"#, "redis-py").await?;
    select_value(
        &stack,
        r#"[data-testid="snippet-identity"]"#,
        "user-assigned",
    )
    .await?;
    // The sandbox's cache answers as `localhost`, which only a custom authority accepts.
    browser
        .click(r#"[data-testid="connection-code"] .snippet-advanced summary"#)
        .await?;
    browser
        .fill(
            r#"[data-testid="snippet-authority"]"#,
            &data_plane.login_https,
        )
        .await?;
    let client_id = identity
        .client_id
        .as_deref()
        .ok_or_else(|| Error::new(format!("{IDENTITY} has no client id")))?;
    let code = code_naming(&stack, client_id).await?;
    assert!(
        code.contains(&format!("host=\"{}\"", served.host_name))
            && code.contains(&format!("port={}", served.ssl_port)),
        "the code names the cache's host and TLS port as ARM reports them:\n{code}"
    );

    let dir = tempfile::tempdir().map_err(|e| Error::context("making a folder", e))?;
    let bundle = write_ca_bundle(&data_plane.ca_file, dir.path());
    let snippet = dir.path().join("assigned.py");
    std::fs::write(&snippet, &code).map_err(|e| Error::context("writing the snippet", e))?;
    let output = run_python(&data_plane, &bundle, &snippet);
    let result = json_result(&output)?;
    assert_eq!(result["whoami"], identity.object_id.as_str(), "{result}");
    assert_eq!(result["failures"], serde_json::json!([]), "{result}");
    assert!(
        result["operations"].as_u64().unwrap_or(0) >= 2,
        "SET and GET went through: {result}"
    );

    // The same field, given an identity the wizard did not assign: the page's code for it
    // gets a token from the same endpoint, and the server refuses it.
    let other_client_id = unassigned
        .client_id
        .as_deref()
        .ok_or_else(|| Error::new(format!("{UNASSIGNED_IDENTITY} has no client id")))?;
    browser
        .fill(r#"[data-testid="snippet-client-id"]"#, other_client_id)
        .await?;
    let other_code = code_naming(&stack, other_client_id).await?;
    assert_eq!(
        other_code.replace(other_client_id, client_id),
        code,
        "only the client id differs"
    );
    let other = dir.path().join("unassigned.py");
    std::fs::write(&other, &other_code).map_err(|e| Error::context("writing the snippet", e))?;
    let refused = run_python(&data_plane, &bundle, &other);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success(),
        "an identity with no assignment connected: {}",
        String::from_utf8_lossy(&refused.stdout)
    );
    assert!(
        stderr.contains("AuthenticationError") && stderr.contains("invalid username-password"),
        "refused by Redis authentication, not failing elsewhere:\n{stderr}"
    );

    stack.finish().await?;
    eprintln!("wizard to working code in {:?}", started.elapsed());
    Ok(())
}

/// Chooses the option labelled `label` of the select matching `css`.
async fn select_label(stack: &Stack, css: &str, label: &str) -> Result<()> {
    stack
        .browser
        .wait_for(css)
        .await?
        .select_by_label(label)
        .await
        .map_err(|e| Error::context(&format!("choosing {label} in {css}"), e))
}

/// Chooses the option whose value is `value` of the select matching `css`.
async fn select_value(stack: &Stack, css: &str, value: &str) -> Result<()> {
    stack
        .browser
        .wait_for(css)
        .await?
        .select_by_value(value)
        .await
        .map_err(|e| Error::context(&format!("choosing {value} in {css}"), e))
}

/// The code block's text once it names `needle`, exactly as the page holds it.
async fn code_naming(stack: &Stack, needle: &str) -> Result<String> {
    stack.browser.wait_for_text(CODE, needle).await?;
    let script = format!("return document.querySelector({CODE:?}).textContent;");
    match stack.browser.execute(&script).await? {
        Value::String(code) if code.contains(needle) => Ok(code),
        other => Err(Error::new(format!("the code block read {other}"))),
    }
}

/// Runs the snippet with the redis-py runner, as an App Service application with a managed
/// identity, trusting the sandbox CA through the standard variables.
fn run_python(data_plane: &DataPlane, bundle: &Path, snippet: &Path) -> Output {
    let mut command = Command::new(&tools().python);
    command
        .arg(clients_dir().join("run_redis_py.py"))
        .arg(snippet)
        .arg("set-get")
        .arg(RUN_SECONDS);
    deployed_environment(
        &mut command,
        &data_plane.identity_endpoint,
        &data_plane.identity_header,
        bundle,
    );
    command
        .output()
        .unwrap_or_else(|e| panic!("running {command:?}: {e}"))
}

/// The JSON line a successful run ends with.
fn json_result(output: &Output) -> Result<Value> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(Error::new(format!(
            "the snippet failed ({}):\n{stdout}\n{stderr}",
            output.status
        )));
    }
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last)
        .map_err(|e| Error::new(format!("no JSON result ({e}):\n{stdout}\n{stderr}")))
}
