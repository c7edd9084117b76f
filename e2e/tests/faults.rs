//! The apply step when Azure pushes back: a missing role, a busy cache, throttling, a long
//! operation that fails, and a sign-in that ends mid-run. Each run must stop or retry as the
//! service asks, and a resumed run must converge without repeating a finished write.
use std::time::Duration;

use e2e::control::decode_path;
use e2e::tenant::{ADMIN, DEVELOPER, ELIGIBLE_CACHE, READER};
use e2e::{Fault, FaultKind, LoggedRequest, RequestLog, Result, Service, Stack, eventually};

const ASSIGNMENTS: &str = "accessPolicyAssignments";

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_user_is_stopped_with_authorization_failed_explained() -> Result<()> {
    let stack = Stack::start().await?;
    stack.sign_in(READER).await?;
    let wizard = stack.wizard();
    wizard.plan_for(ELIGIBLE_CACHE, &[]).await?;
    wizard.apply().await?;

    let (code, text) = wizard.wait_stopped().await?;
    assert_eq!(code, "AuthorizationFailed", "{text}");
    assert!(
        text.contains("Contributor"),
        "the error says which role is missing: {text}"
    );

    let log = stack.control().requests().await?;
    let writes = log.arm_writes();
    assert_eq!(
        writes.len(),
        1,
        "the run stops at the first refusal: {writes:#?}"
    );
    assert_eq!(writes[0].status, Some(403));
    let cache = stack.control().cache(ELIGIBLE_CACHE).await?;
    assert!(!cache.aad_enabled(), "nothing changed");
    let reader = &stack.ready().principal(READER)?.object_id;
    assert_eq!(cache.policy_of(reader), None, "no assignment was made");
    stack.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_busy_cache_409_is_retried_and_the_run_succeeds() -> Result<()> {
    let stack = Stack::start().await?;
    stack.sign_in(ADMIN).await?;
    let wizard = stack.wizard();
    let plan = wizard.plan_for(ELIGIBLE_CACHE, &[]).await?;
    let busy = FaultKind::Status {
        status: 409,
        retry_after: Some(1),
    };
    stack
        .control()
        .inject(
            &Fault::new(Service::Arm, busy)
                .method("PUT")
                .path_contains(ASSIGNMENTS),
        )
        .await?;
    wizard.apply().await?;
    wizard.wait_done().await?;

    let log = stack.control().requests().await?;
    let puts = writes_to(&log, "PUT", ASSIGNMENTS);
    let statuses: Vec<Option<u16>> = puts.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [Some(409), Some(201)],
        "one 409, then the same PUT again"
    );
    assert_eq!(puts[0].path, puts[1].path, "the retry is the same write");
    assert_eq!(
        log.arm_writes().len(),
        plan.len() + 1,
        "nothing else was repeated"
    );
    assert_converged(&stack, &[ADMIN]).await?;
    stack.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_429_waits_for_retry_after() -> Result<()> {
    const RETRY_AFTER: u32 = 3;
    let stack = Stack::start().await?;
    stack.sign_in(ADMIN).await?;
    let wizard = stack.wizard();
    wizard.plan_for(ELIGIBLE_CACHE, &[]).await?;
    let throttled = FaultKind::Status {
        status: 429,
        retry_after: Some(RETRY_AFTER),
    };
    stack
        .control()
        .inject(&Fault::new(Service::Arm, throttled).method("PATCH"))
        .await?;
    wizard.apply().await?;

    let seen = stack
        .control()
        .watch(Duration::from_secs(60), |log| {
            writes_to(log, "PATCH", "").iter().any(|r| r.succeeded())
        })
        .await?;
    let patches: Vec<_> = seen
        .iter()
        .filter(|s| s.request.is_arm_write() && s.request.method == "PATCH")
        .collect();
    assert_eq!(
        patches.len(),
        2,
        "one throttled PATCH and its retry: {patches:#?}"
    );
    assert_eq!(patches[0].request.status, Some(429));
    let gap = patches[1].at - patches[0].at;
    // Both sightings are late by at most a polling period plus a log read.
    let slack = e2e::control::WATCH_PERIOD * 4;
    assert!(
        gap + slack >= Duration::from_secs(RETRY_AFTER.into()),
        "the retry came {gap:?} after the 429, before Retry-After ({RETRY_AFTER} s)"
    );
    wizard.wait_done().await?;
    assert_converged(&stack, &[ADMIN]).await?;
    stack.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operation_ending_failed_stops_the_run_and_resume_converges() -> Result<()> {
    let stack = Stack::start().await?;
    stack.sign_in(ADMIN).await?;
    let wizard = stack.wizard();
    wizard.plan_for(ELIGIBLE_CACHE, &[]).await?;
    stack
        .control()
        .inject(&Fault::new(Service::Arm, FaultKind::LroFailed).method("PATCH"))
        .await?;
    wizard.apply().await?;

    let (_, text) = wizard.wait_stopped().await?;
    assert!(!text.trim().is_empty(), "the failure is shown");
    stack
        .browser
        .wait_for_text(r#"[data-testid="remaining"]"#, "1 write(s) not done")
        .await?;

    wizard.resume().await?;
    wizard.wait_done().await?;
    let log = stack.control().requests().await?;
    assert_eq!(
        writes_to(&log, "PUT", ASSIGNMENTS).len(),
        1,
        "the finished assignment is not sent again"
    );
    assert_eq!(
        writes_to(&log, "PATCH", "").len(),
        2,
        "the failed toggle is sent once more, and only once"
    );
    assert_converged(&stack, &[ADMIN]).await?;
    stack.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_revoked_mid_apply_then_resume_converges() -> Result<()> {
    let stack = Stack::start().await?;
    let dana = stack.ready().principal(DEVELOPER)?.object_id.clone();
    stack.sign_in(ADMIN).await?;
    let wizard = stack.wizard();
    let plan = wizard
        .plan_for(ELIGIBLE_CACHE, &[("Dana", &dana, "Data Reader")])
        .await?;
    let puts: Vec<_> = plan.iter().filter(|w| w.method == "PUT").collect();
    assert_eq!(puts.len(), 2, "{plan:#?}");
    // Revoked at the second assignment PUT: the first is done, the rest is not.
    let [first, second] = [0, 1].map(|i| assignment_name(&puts[i].path));
    let revoke = Fault::new(Service::Arm, FaultKind::RevokeTokens)
        .method("PUT")
        .path_contains(&second);
    stack.control().inject(&revoke).await?;
    wizard.apply().await?;
    wizard.recover_until_done(ADMIN, 3).await?;

    let log = stack.control().requests().await?;
    let refused = writes_to(&log, "PUT", &second)
        .iter()
        .any(|r| r.status == Some(401));
    assert!(refused, "the revoked token was refused mid-run");
    assert_eq!(
        writes_to(&log, "PUT", &first).len(),
        1,
        "the assignment done before the stop is not sent again"
    );
    let asked_again = log.0.iter().any(|r| {
        r.service == "login" && r.path.ends_with("/authorize") && r.query.contains("login_hint=")
    });
    assert!(
        asked_again,
        "the admin was sent back to sign in, named by login_hint"
    );
    for put in writes_to(&log, "PUT", ASSIGNMENTS) {
        let done = writes_to(&log, "PUT", &put.path)
            .into_iter()
            .filter(|r| r.succeeded())
            .count();
        assert_eq!(done, 1, "{} succeeded {done} times", put.path);
    }
    let toggles = writes_to(&log, "PATCH", "")
        .into_iter()
        .filter(|r| r.succeeded())
        .count();
    assert_eq!(toggles, 1, "Entra is switched on once");
    assert_converged(&stack, &[ADMIN, DEVELOPER]).await?;
    let notice = stack
        .browser
        .text(r#"[data-testid="signed-in-again"]"#)
        .await?;
    assert!(
        notice.contains("sign-in had ended"),
        "the admin is told why Entra asked again: {notice}"
    );
    stack.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_while_entra_is_being_enabled_does_not_send_the_toggle_again() -> Result<()> {
    // Demo timing: enabling Entra takes about 30 s, ConfiguringAAD then Updating, and the cache
    // shows the old aad-enabled until the end.
    let stack = Stack::start_with(&["--timing", "demo"]).await?;
    stack.sign_in(ADMIN).await?;
    let wizard = stack.wizard();
    wizard.plan_for(ELIGIBLE_CACHE, &[]).await?;
    wizard.apply().await?;
    let cache = || stack.control().cache(ELIGIBLE_CACHE);
    let toggles = |log: &RequestLog| {
        writes_to(log, "PATCH", "")
            .into_iter()
            .filter(|r| r.body.to_string().contains("aad-enabled"))
            .count()
    };
    eventually(
        "the toggle's operation to reach Updating",
        Duration::from_secs(90),
        || async {
            let sent = toggles(&stack.control().requests().await?) == 1;
            Ok((sent && cache().await?.provisioning_state() == "Updating").then_some(()))
        },
    )
    .await?;
    assert!(!cache().await?.aad_enabled(), "still the old value");

    stack.browser.reload().await?;
    wizard.resume().await?;
    wizard.wait_done().await?;
    let log = stack.control().requests().await?;
    assert_eq!(toggles(&log), 1, "Entra is switched on once");
    assert_converged(&stack, &[ADMIN]).await?;
    stack.finish().await
}

/// The last segment of an assignment's path: its name.
fn assignment_name(path: &str) -> String {
    decode_path(path)
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_whose_end_the_run_never_saw_is_listed_as_done() -> Result<()> {
    let stack = Stack::start().await?;
    stack.sign_in(ADMIN).await?;
    let wizard = stack.wizard();
    let plan = wizard.plan_for(ELIGIBLE_CACHE, &[]).await?;
    // Revoked at the first poll of the first write's operation: the service finishes the
    // write, but the run stops before it sees the end.
    let revoke = Fault::new(Service::Arm, FaultKind::RevokeTokens)
        .method("GET")
        .path_contains("asyncOperations");
    stack.control().inject(&revoke).await?;
    wizard.apply().await?;
    wizard.recover_until_done(ADMIN, 3).await?;

    let log = stack.control().requests().await?;
    assert!(
        log.0
            .iter()
            .any(|r| r.path.contains("asyncOperations") && r.status == Some(401)),
        "the run lost its sign-in while following an operation"
    );
    assert_eq!(
        log.arm_writes().len(),
        plan.len(),
        "no write was sent twice"
    );
    let mut listed = Vec::new();
    for item in stack.browser.find_all(r#"[data-testid="changed"]"#).await? {
        listed.push(
            item.text()
                .await
                .map_err(|e| e2e::Error::context("reading a change", e))?,
        );
    }
    assert_eq!(
        listed.len(),
        plan.len(),
        "every write is listed once: {listed:#?}"
    );
    assert_converged(&stack, &[ADMIN]).await?;
    stack.finish().await
}

/// ARM writes with `method` whose path contains `fragment`, in order.
fn writes_to<'a>(log: &'a RequestLog, method: &str, fragment: &str) -> Vec<&'a LoggedRequest> {
    log.arm_writes()
        .into_iter()
        .filter(|r| r.method == method && r.path.contains(fragment))
        .collect()
}

/// The cache ends Entra-enabled with an assignment for each of `users`, and no call to listKeys.
async fn assert_converged(stack: &Stack, users: &[&str]) -> Result<()> {
    let cache = stack.control().cache(ELIGIBLE_CACHE).await?;
    assert!(cache.aad_enabled(), "aad-enabled is true");
    for user in users {
        let id = &stack.ready().principal(user)?.object_id;
        assert!(cache.policy_of(id).is_some(), "{user} holds an assignment");
    }
    let ids: Vec<String> = cache
        .assignments()
        .into_iter()
        .map(|a| a.object_id)
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "no duplicate assignment: {ids:?}");
    assert!(
        stack
            .control()
            .requests()
            .await?
            .mentioning("listkeys")
            .is_empty(),
        "listKeys was called"
    );
    Ok(())
}
