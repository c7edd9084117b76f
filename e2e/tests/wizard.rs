//! The wizard in the browser against the sandbox: the happy path and the refusals that must
//! happen before anything is written.
use e2e::control::decode_path;
use e2e::tenant::{
    ADMIN, DEPLOYER, DEVELOPER, DISABLED_SUBSCRIPTION_CACHE, ELIGIBLE_CACHE, ENTRA_CACHE, GROUP,
    IDENTITY, REDIS4_CACHE,
};
use e2e::{Colleague, Result, Stack};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn happy_path_sends_exactly_the_planned_writes_and_enables_entra() -> Result<()> {
    let stack = Stack::start().await?;
    let ready = stack.ready();
    let (admin, dana, deployer, identity) = (
        ready.principal(ADMIN)?,
        ready.principal(DEVELOPER)?,
        ready.principal(DEPLOYER)?,
        ready.principal(IDENTITY)?,
    );
    stack.sign_in(ADMIN).await?;
    let wizard = stack.wizard();

    let verdict = wizard.choose_cache(ELIGIBLE_CACHE).await?;
    assert_eq!(verdict.kind, "ready", "{verdict:?}");
    assert!(verdict.can_continue);
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
        .add_principal("orders-api", &identity.object_id, "Data Owner")
        .await?;
    let plan = wizard.review().await?;

    for who in [admin, dana, deployer, identity] {
        let puts = plan
            .iter()
            .filter(|w| w.method == "PUT" && w.body.contains(&who.object_id))
            .count();
        assert_eq!(puts, 1, "one assignment PUT for {} in {plan:#?}", who.name);
    }
    let toggles: Vec<_> = plan.iter().filter(|w| w.method == "PATCH").collect();
    assert_eq!(toggles.len(), 1, "one PATCH: {plan:#?}");
    assert!(toggles[0].body.contains("aad-enabled"), "{:?}", toggles[0]);

    wizard.apply().await?;
    wizard.wait_done().await?;

    let log = stack.control().requests().await?;
    let sent: Vec<(String, String)> = log
        .arm_writes()
        .iter()
        .map(|r| (r.method.clone(), r.decoded_path()))
        .collect();
    let planned: Vec<(String, String)> = plan
        .iter()
        .map(|w| (w.method.clone(), decode_path(&w.path)))
        .collect();
    assert_eq!(sent, planned, "the writes sent are the plan, in order");
    assert!(
        log.arm_writes().iter().all(|r| r.succeeded()),
        "every write succeeded: {:#?}",
        log.arm_writes()
    );
    assert!(log.mentioning("listkeys").is_empty(), "listKeys was called");

    let cache = stack.control().cache(ELIGIBLE_CACHE).await?;
    assert!(cache.aad_enabled(), "aad-enabled is true in the sandbox");
    for (who, policy) in [
        (admin, "Data Owner"),
        (dana, "Data Contributor"),
        (deployer, "Data Reader"),
        (identity, "Data Owner"),
    ] {
        assert_eq!(
            cache.policy_of(&who.object_id).as_deref(),
            Some(policy),
            "{}'s assignment",
            who.name
        );
    }

    let changed = stack.browser.find_all(r#"[data-testid="changed"]"#).await?;
    assert_eq!(changed.len(), plan.len(), "the Done step lists every write");
    stack
        .browser
        .wait_for_text(r#"[data-testid="cache-state"]"#, "Entra enabled")
        .await?;
    stack.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_mid_wizard_lands_on_the_same_step_with_the_choices_kept() -> Result<()> {
    let stack = Stack::start().await?;
    let dana = stack.ready().principal(DEVELOPER)?.object_id.clone();
    stack.sign_in(ADMIN).await?;
    let wizard = stack.wizard();
    wizard.choose_cache(ELIGIBLE_CACHE).await?;
    wizard.continue_to_users().await?;
    wizard.add_principal("Dana", &dana, "Data Reader").await?;
    let chosen = wizard.chosen().await?;
    let address = stack.browser.current_url().await?;
    assert!(
        address.path().ends_with("/users"),
        "the address names the step: {address}"
    );

    stack.browser.reload().await?;
    stack
        .browser
        .wait_for(r#"[data-testid="add-principal"]"#)
        .await?;
    assert_eq!(
        stack.browser.current_url().await?,
        address,
        "same place after the reload"
    );
    assert_eq!(
        wizard.chosen().await?,
        chosen,
        "the chosen users survive the reload"
    );

    let plan = wizard.review().await?;
    assert!(
        plan.iter()
            .any(|w| w.method == "PUT" && w.body.contains(&dana)),
        "{plan:#?}"
    );
    stack.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redis_4_cache_is_blocked_with_the_reason() -> Result<()> {
    let stack = Stack::start().await?;
    stack.sign_in(ADMIN).await?;
    let verdict = stack.wizard().choose_cache(REDIS4_CACHE).await?;
    assert_eq!(verdict.kind, "blocked", "{verdict:?}");
    assert!(
        !verdict.can_continue,
        "Continue must be disabled for a blocked cache"
    );
    assert!(
        verdict
            .reasons
            .iter()
            .any(|r| r.contains("Redis 4") && r.contains("Redis 6")),
        "the reason names the version and what is needed: {verdict:?}"
    );
    assert!(
        stack.control().requests().await?.arm_writes().is_empty(),
        "nothing was written"
    );
    stack.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_is_refused_by_name_and_by_object_id() -> Result<()> {
    let stack = Stack::start().await?;
    let group = stack.ready().principal(GROUP)?.object_id.clone();
    stack.sign_in(ADMIN).await?;
    let wizard = stack.wizard();
    wizard.choose_cache(ELIGIBLE_CACHE).await?;
    wizard.continue_to_users().await?;
    let before = wizard.chosen().await?;

    let browser = &stack.browser;
    browser
        .fill(r#"[data-testid="principal-search"]"#, "Redis Op")
        .await?;
    browser
        .click(r#"[data-testid="principal-search-button"]"#)
        .await?;
    let refusal = browser
        .wait_for_text(r#"[data-testid="principal-refused"]"#, GROUP)
        .await?;
    assert!(
        refusal.contains("is a group"),
        "the refusal says why: {refusal}"
    );
    let pickable = browser
        .find_all(&format!(
            r#"[data-testid="principal-result"][data-object-id="{group}"]"#
        ))
        .await?;
    assert!(
        pickable.is_empty(),
        "a group must not be offered as a result"
    );

    browser
        .fill(r#"[data-testid="object-id-input"]"#, &group)
        .await?;
    browser.click(r#"[data-testid="object-id-lookup"]"#).await?;
    browser
        .wait_for_text(
            r#"form.object-id ~ [data-testid="principal-refused"]"#,
            "is a group",
        )
        .await?;
    assert!(
        browser
            .find_all(r#"[data-testid="candidate"]"#)
            .await?
            .is_empty(),
        "no candidate to add"
    );

    assert_eq!(wizard.chosen().await?, before, "nobody was added");
    assert!(
        stack.control().requests().await?.arm_writes().is_empty(),
        "nothing was written"
    );

    // A new search makes the pasted group's refusal moot: it goes.
    browser
        .fill(r#"[data-testid="principal-search"]"#, "Dana")
        .await?;
    browser
        .click(r#"[data-testid="principal-search-button"]"#)
        .await?;
    browser
        .wait_for(r#"[data-testid="principal-result"]"#)
        .await?;
    let stale = browser
        .find_all(r#"form.object-id ~ [data-testid="principal-refused"]"#)
        .await?;
    assert!(stale.is_empty(), "the pasted id's refusal is still shown");
    stack.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_custom_permission_is_refused_before_any_call() -> Result<()> {
    let stack = Stack::start().await?;
    let dana = stack.ready().principal(DEVELOPER)?.object_id.clone();
    stack.sign_in(ADMIN).await?;
    let wizard = stack.wizard();
    wizard.choose_cache(ELIGIBLE_CACHE).await?;
    wizard.continue_to_users().await?;
    wizard.find_principal("Dana", &dana).await?;

    let arm_calls_before = arm_calls(&stack).await?;
    wizard.choose_policy(":new").await?;
    let browser = &stack.browser;
    browser
        .fill(r#"[data-testid="custom-policy-name"]"#, "Orders Reader")
        .await?;
    browser
        .fill(
            r#"[data-testid="custom-policy-permissions"]"#,
            "+get ~orders:* +@nosuchcategory",
        )
        .await?;
    browser.click(r#"[data-testid="add-principal"]"#).await?;
    let error = browser
        .wait_for_text(r#"[data-testid="policy-error"]"#, "+@nosuchcategory")
        .await?;
    assert!(!error.trim().is_empty());

    assert!(
        !wizard.chosen().await?.contains(&dana),
        "the user was not added with a bad policy"
    );
    assert_eq!(
        arm_calls(&stack).await?,
        arm_calls_before,
        "no call reached ARM"
    );
    assert!(
        stack.control().requests().await?.arm_writes().is_empty(),
        "nothing was written"
    );
    stack.finish().await
}

/// How many requests ARM has received, preflights left out.
async fn arm_calls(stack: &Stack) -> Result<usize> {
    let log = stack.control().requests().await?;
    Ok(log
        .0
        .iter()
        .filter(|r| r.service == "arm" && r.method != "OPTIONS")
        .count())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_the_cache_needs_since_the_review_is_shown_not_sent() -> Result<()> {
    let stack = Stack::start().await?;
    let dana = stack.ready().principal(DEVELOPER)?.object_id.clone();
    stack.sign_in(ADMIN).await?;
    let wizard = stack.wizard();
    let reviewed = wizard
        .plan_for(ENTRA_CACHE, &[(DEVELOPER, &dana, "Data Reader")])
        .await?;
    assert_eq!(
        reviewed.len(),
        1,
        "Entra is on: one assignment: {reviewed:#?}"
    );

    // A colleague switches Entra off after the review, before Apply.
    let colleague = Colleague::sign_in(stack.ready(), DEPLOYER).await?;
    colleague
        .patch_cache(
            stack.control(),
            ENTRA_CACHE,
            json!({ "properties": { "redisConfiguration": { "aad-enabled": "false" } } }),
        )
        .await?;
    stack.control().clear_requests().await?;
    wizard.apply().await?;

    let unseen = stack
        .browser
        .wait_for_text(r#"[data-testid="unseen"]"#, "Nothing was sent")
        .await?;
    assert!(unseen.contains("Enable Microsoft Entra"), "{unseen}");
    let log = stack.control().requests().await?;
    assert!(
        log.arm_writes().is_empty(),
        "nothing was sent: {:#?}",
        log.arm_writes()
    );

    // Reviewed again, the plan has both writes, and applying it converges.
    stack.browser.click(r#"[data-testid="unseen"] a"#).await?;
    let again = wizard.planned_writes().await?;
    assert_eq!(again.len(), 2, "{again:#?}");
    assert_eq!(again[0], reviewed[0], "the reviewed write is unchanged");
    wizard.apply().await?;
    wizard.wait_done().await?;
    let cache = stack.control().cache(ENTRA_CACHE).await?;
    assert!(cache.aad_enabled());
    assert_eq!(cache.policy_of(&dana).as_deref(), Some("Data Reader"));
    assert_eq!(stack.control().requests().await?.arm_writes().len(), 2);
    stack.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_review_link_opened_where_nothing_was_chosen_says_so() -> Result<()> {
    let stack = Stack::start().await?;
    let review = step_address(&stack, ELIGIBLE_CACHE, "review").await?;
    stack.sign_in(ADMIN).await?;
    stack.open(&review).await?;

    let note = stack
        .browser
        .text(r#"[data-testid="nothing-chosen"]"#)
        .await?;
    assert!(note.contains("Choose its Redis users"), "{note}");
    let apply = stack.browser.wait_for(r#"[data-testid="apply"]"#).await?;
    let disabled = apply
        .attr("disabled")
        .await
        .map_err(|e| e2e::Error::context("reading Apply", e))?;
    assert!(disabled.is_some(), "Apply is not offered");
    stack.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_disabled_subscription_is_named_in_the_list_and_its_cache_blocked() -> Result<()> {
    let stack = Stack::start().await?;
    // Not in the list (only enabled subscriptions are), but a link can lead to it.
    let check = step_address(&stack, DISABLED_SUBSCRIPTION_CACHE, "check").await?;
    stack.sign_in(ADMIN).await?;
    stack.open("/caches").await?;
    let unlisted = stack
        .browser
        .text(r#"[data-testid="unlisted-subscriptions"]"#)
        .await?;
    assert!(unlisted.contains("Contoso Legacy (Disabled)"), "{unlisted}");
    stack.open(&check).await?;
    let verdict = stack.wizard().verdict().await?;
    assert_eq!(verdict.kind, "blocked", "{verdict:?}");
    assert!(!verdict.can_continue);
    assert!(
        verdict.reasons.iter().any(|r| r.contains("is Disabled")),
        "{verdict:?}"
    );
    stack.finish().await
}

/// The app's address of `step` for the cache called `name`.
async fn step_address(stack: &Stack, name: &str, step: &str) -> Result<String> {
    let id = stack.control().cache(name).await?.id();
    let segments: Vec<&str> = id.split('/').collect();
    Ok(format!(
        "/cache/{}/{}/{name}/{step}",
        segments[2], segments[4]
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_without_any_role_is_told_why_it_sees_no_cache() -> Result<()> {
    let stack = Stack::start().await?;
    stack.sign_in(DEVELOPER).await?;
    stack.open("/caches").await?;
    let note = stack.browser.text(r#"[data-testid="no-caches"]"#).await?;
    assert!(note.contains("can see no Azure subscription"), "{note}");
    stack.finish().await
}
