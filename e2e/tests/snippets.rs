//! `/snippets` stands alone: no sign-in, no call to Azure, and code for the cache typed in.
use e2e::{Result, Stack};

const HOST: &str = "contoso-orders.redis.cache.windows.net";

#[tokio::test(flavor = "multi_thread")]
async fn the_snippets_page_loads_standalone_and_shows_code() -> Result<()> {
    let stack = Stack::start().await?;
    let browser = &stack.browser;

    stack
        .open(&format!(
            "/snippets?lib=redis-py&identity=system-assigned&host={HOST}"
        ))
        .await?;
    let code = browser
        .wait_for_text(r#"[data-testid="snippet-code"]"#, HOST)
        .await?;
    assert!(code.contains("from redis import"), "redis-py code: {code}");
    assert!(
        code.contains("redis_entraid"),
        "Entra sign-in through redis-entraid: {code}"
    );
    assert!(code.contains("6380"), "the TLS port: {code}");
    assert!(
        browser.find_all("#sign-in").await?.is_empty(),
        "no sign-in is asked for"
    );

    stack.open("/snippets").await?;
    browser
        .wait_for(r#"[data-testid="snippet-message"]"#)
        .await?;
    browser
        .fill(r#"[data-testid="snippet-host"]"#, HOST)
        .await?;
    browser
        .wait_for_text(r#"[data-testid="snippet-code"]"#, HOST)
        .await?;

    let log = stack.control().requests().await?;
    assert!(log.0.is_empty(), "the page called Azure: {:#?}", log.0);
    stack.finish().await
}
