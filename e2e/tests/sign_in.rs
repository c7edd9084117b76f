//! The release build loads under the production CSP, mounts, and signs in through the sandbox.
use e2e::tenant::{ADMIN, READER};
use e2e::{Result, Stack};

#[tokio::test(flavor = "multi_thread")]
async fn release_build_signs_in_under_the_production_csp() -> Result<()> {
    let stack = Stack::start().await?;

    let page = reqwest::get(format!("{}/", stack.app_origin()))
        .await
        .map_err(|e| e2e::Error::context("fetching /", e))?;
    let csp = page
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        csp.contains("script-src"),
        "the host must send the production CSP, got {csp:?}"
    );
    assert!(
        !csp.contains("'unsafe-inline'"),
        "the CSP must not allow inline scripts: {csp}"
    );

    stack.open("/").await?;
    stack.browser.wait_for("#sign-in").await?;

    stack.sign_in(ADMIN).await?;
    let admin = stack.ready().principal(ADMIN)?;
    let shown = stack.browser.text(r#"[data-testid="account"]"#).await?;
    assert!(
        shown.contains(&admin.name) || shown.contains(ADMIN),
        "the signed-in account should be named, the page shows {shown:?}"
    );
    assert!(
        stack
            .browser
            .find_all(r#"[data-testid="signed-in-again"]"#)
            .await?
            .is_empty(),
        "a first sign-in is not called a renewal"
    );

    let address = stack.browser.current_url().await?;
    assert_eq!(
        address.origin().ascii_serialization(),
        stack.app_origin(),
        "back on the app"
    );
    let leftovers: Vec<String> = address
        .query_pairs()
        .chain(url::form_urlencoded::parse(
            address.fragment().unwrap_or_default().as_bytes(),
        ))
        .map(|(key, _)| key.into_owned())
        .filter(|key| key == "code" || key == "state")
        .collect();
    assert!(
        leftovers.is_empty(),
        "the address bar still carries {leftovers:?}: {address}"
    );

    assert_no_token_in_local_storage(&stack).await?;
    stack.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn after_signing_out_another_account_can_sign_in() -> Result<()> {
    let stack = Stack::start().await?;
    stack.sign_in(ADMIN).await?;
    stack.browser.click(r#"[data-testid="sign-out"]"#).await?;
    stack.browser.click("#sign-in").await?;
    // Entra still holds the admin's session: only asking to choose lets another account in.
    stack.choose_account(READER).await?;
    let reader = stack.ready().principal(READER)?;
    let shown = stack.browser.text(r#"[data-testid="account"]"#).await?;
    assert!(
        shown.contains(&reader.name),
        "signed in as {shown:?}, not {}",
        reader.name
    );
    stack.finish().await
}

/// Tokens live in memory (the refresh token at most in sessionStorage): localStorage
/// must hold no JWT, no key naming a token, and no copy of anything sessionStorage keeps.
async fn assert_no_token_in_local_storage(stack: &Stack) -> Result<()> {
    let local = stack.browser.local_storage().await?;
    let session = stack.browser.session_storage().await?;
    for (key, value) in &local {
        assert!(!value.contains("eyJ"), "localStorage[{key}] holds a JWT");
        assert!(
            !key.to_ascii_lowercase().contains("token"),
            "localStorage has a token key {key}"
        );
        for (session_key, secret) in session.iter().filter(|(_, v)| v.len() >= 16) {
            assert!(
                !value.contains(secret.as_str()),
                "localStorage[{key}] copies sessionStorage[{session_key}]"
            );
        }
    }
    Ok(())
}
