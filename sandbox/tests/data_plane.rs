//! The data plane against a real `redis-server`, through its TLS gateway, as a client sees it.

mod data_plane_client;

use std::{
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use data_plane_client::{Client, call, closed_within, is_error_starting, redis};
use sandbox::data_plane::{
    AccessSource, CacheId, DataPlane, DataPlaneError, acl::CacheAccess, resp::Reply,
};

const ALICE: &str = "3f2c8a51-7d1e-4c9b-9a0e-5b8d2f6c1a70";
const ALICE_CLIENT_ID: &str = "b1e7d4c2-0a9f-4e3b-8c6d-2f5a7e9b1c33";
const OWNER: &str = "+@all allkeys";
const READER: &str = "+@read +@connection +cluster|info +cluster|nodes +cluster|slots allkeys";
const HOST: &str = "keyless-demo.redis.cache.windows.net";

fn access(entra: bool, keys: bool, assignments: &[(&str, &str)]) -> CacheAccess {
    CacheAccess {
        entra_enabled: entra,
        access_keys_enabled: keys,
        assignments: assignments
            .iter()
            .map(|(o, p)| (o.to_string(), p.to_string()))
            .collect(),
    }
}

/// The control plane's side of one cache, changed by the tests.
struct ControlPlane(Mutex<CacheAccess>);

impl AccessSource for ControlPlane {
    fn access(&self, _: &CacheId) -> Option<CacheAccess> {
        Some(self.0.lock().unwrap().clone())
    }
}

/// A data plane with one open cache.
struct Sandbox {
    plane: DataPlane,
    control: Arc<ControlPlane>,
    id: CacheId,
    port: u16,
    primary_key: String,
}

impl Sandbox {
    async fn new(access: CacheAccess) -> Self {
        let control = Arc::new(ControlPlane(Mutex::new(access)));
        let plane = DataPlane::new(control.clone()).unwrap();
        let id =
            CacheId::new("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cache/Redis/demo");
        let endpoint = plane.open(id.clone(), HOST).await.unwrap();
        Self {
            plane,
            control,
            id,
            port: endpoint.port,
            primary_key: endpoint.primary_key,
        }
    }

    /// Changes the control plane without telling the data plane: it must notice by itself.
    fn change(&self, access: CacheAccess) {
        *self.control.0.lock().unwrap() = access;
    }

    /// A token as Entra would issue it for `object_id`, lasting `seconds`.
    fn issue(&self, object_id: &str, seconds: u64) -> String {
        let token = format!("token-{:x}", rand::random::<u128>());
        self.plane
            .token_issued(object_id, &token, unix_now() + seconds);
        token
    }

    async fn connect(&self) -> Client {
        redis(&self.plane.ca_pem(), self.port, HOST).await
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn a_token_logs_in_as_its_object_id() {
    let sandbox = Sandbox::new(access(true, true, &[(ALICE, OWNER)])).await;
    let token = sandbox.issue(ALICE, 60);
    let mut client = sandbox.connect().await;
    assert_eq!(
        call(&mut client, &["AUTH", ALICE, &token]).await,
        Reply::Status("OK".into())
    );
    assert_eq!(
        call(&mut client, &["ACL", "WHOAMI"])
            .await
            .text()
            .as_deref(),
        Some(ALICE)
    );
    assert_eq!(
        call(&mut client, &["SET", "k", "v"]).await,
        Reply::Status("OK".into())
    );
    assert_eq!(
        call(&mut client, &["GET", "k"]).await.text().as_deref(),
        Some("v")
    );
}

#[tokio::test]
async fn the_client_id_as_username_is_refused() {
    let sandbox = Sandbox::new(access(true, true, &[(ALICE, OWNER)])).await;
    let token = sandbox.issue(ALICE, 60);
    let mut client = sandbox.connect().await;
    let reply = call(&mut client, &["AUTH", ALICE_CLIENT_ID, &token]).await;
    assert!(is_error_starting(&reply, "WRONGPASS"), "{reply:?}");
}

#[tokio::test]
async fn a_data_reader_can_read_but_not_write() {
    let sandbox = Sandbox::new(access(true, true, &[(ALICE, READER)])).await;
    let token = sandbox.issue(ALICE, 60);
    let mut client = sandbox.connect().await;
    call(&mut client, &["AUTH", ALICE, &token]).await;
    let reply = call(&mut client, &["SET", "k", "v"]).await;
    assert!(is_error_starting(&reply, "NOPERM"), "{reply:?}");
    assert_eq!(call(&mut client, &["GET", "k"]).await, Reply::Bulk(None));
}

#[tokio::test]
async fn an_expired_token_ends_its_connections_but_not_those_that_sent_a_newer_one() {
    let sandbox = Sandbox::new(access(true, true, &[(ALICE, OWNER)])).await;
    let short = sandbox.issue(ALICE, 2);
    let mut stale = sandbox.connect().await;
    let mut renewed = sandbox.connect().await;
    call(&mut stale, &["AUTH", ALICE, &short]).await;
    call(&mut renewed, &["AUTH", ALICE, &short]).await;
    let newer = sandbox.issue(ALICE, 60);
    assert_eq!(
        call(&mut renewed, &["AUTH", ALICE, &newer]).await,
        Reply::Status("OK".into())
    );

    assert!(
        closed_within(&mut stale, Duration::from_secs(4)).await,
        "the stale connection must be closed"
    );
    assert_eq!(
        call(&mut renewed, &["PING"]).await,
        Reply::Status("PONG".into())
    );
    let mut late = sandbox.connect().await;
    let reply = call(&mut late, &["AUTH", ALICE, &short]).await;
    assert!(
        is_error_starting(&reply, "WRONGPASS"),
        "an expired token is refused: {reply:?}"
    );
}

#[tokio::test]
async fn a_resp3_subscriber_keeps_receiving_across_a_rotation() {
    let sandbox = Sandbox::new(access(true, true, &[(ALICE, OWNER)])).await;
    let first = sandbox.issue(ALICE, 2);
    let mut subscriber = sandbox.connect().await;
    let hello = call(&mut subscriber, &["HELLO", "3", "AUTH", ALICE, &first]).await;
    assert!(matches!(hello, Reply::Array(_)), "{hello:?}");
    call(&mut subscriber, &["SUBSCRIBE", "news"]).await;
    let second = sandbox.issue(ALICE, 60);
    assert_eq!(
        call(&mut subscriber, &["AUTH", ALICE, &second]).await,
        Reply::Status("OK".into())
    );

    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut publisher = sandbox.connect().await;
    call(&mut publisher, &["AUTH", ALICE, &second]).await;
    assert_eq!(
        call(&mut publisher, &["PUBLISH", "news", "after rotation"]).await,
        Reply::Integer(1)
    );
    let message = tokio::time::timeout(Duration::from_secs(5), subscriber.read())
        .await
        .unwrap()
        .unwrap();
    let Reply::Array(Some(parts)) = message else {
        panic!("not a message: {message:?}")
    };
    assert_eq!(parts[2].text().as_deref(), Some("after rotation"));
}

#[tokio::test]
async fn removing_the_assignment_removes_the_user_and_its_connections() {
    let sandbox = Sandbox::new(access(true, true, &[(ALICE, OWNER)])).await;
    let token = sandbox.issue(ALICE, 60);
    let mut client = sandbox.connect().await;
    call(&mut client, &["AUTH", ALICE, &token]).await;
    sandbox.change(access(true, true, &[]));
    assert!(closed_within(&mut client, Duration::from_secs(2)).await);
    let mut again = sandbox.connect().await;
    assert!(is_error_starting(
        &call(&mut again, &["AUTH", ALICE, &token]).await,
        "WRONGPASS"
    ));
}

#[tokio::test]
async fn tokens_work_only_while_entra_is_enabled() {
    let sandbox = Sandbox::new(access(false, true, &[(ALICE, OWNER)])).await;
    let token = sandbox.issue(ALICE, 60);
    let mut client = sandbox.connect().await;
    assert!(is_error_starting(
        &call(&mut client, &["AUTH", ALICE, &token]).await,
        "WRONGPASS"
    ));
    sandbox.change(access(true, true, &[(ALICE, OWNER)]));
    sandbox.plane.sync(&sandbox.id).await.unwrap();
    assert_eq!(
        call(&mut client, &["AUTH", ALICE, &token]).await,
        Reply::Status("OK".into())
    );
}

#[tokio::test]
async fn access_keys_work_until_disabled_and_their_connections_end_then() {
    let sandbox = Sandbox::new(access(true, true, &[])).await;
    let mut client = sandbox.connect().await;
    assert_eq!(
        call(&mut client, &["AUTH", &sandbox.primary_key]).await,
        Reply::Status("OK".into())
    );
    assert_eq!(
        call(&mut client, &["SET", "k", "v"]).await,
        Reply::Status("OK".into())
    );
    sandbox.change(access(true, false, &[]));
    assert!(closed_within(&mut client, Duration::from_secs(2)).await);
    let mut again = sandbox.connect().await;
    assert!(is_error_starting(
        &call(&mut again, &["AUTH", &sandbox.primary_key]).await,
        "WRONGPASS"
    ));
}

#[tokio::test]
async fn a_policy_change_applies_to_connected_clients() {
    let sandbox = Sandbox::new(access(true, true, &[(ALICE, OWNER)])).await;
    let token = sandbox.issue(ALICE, 60);
    let mut client = sandbox.connect().await;
    call(&mut client, &["AUTH", ALICE, &token]).await;
    sandbox.change(access(true, true, &[(ALICE, "+get allkeys")]));
    sandbox.plane.sync(&sandbox.id).await.unwrap();
    assert!(is_error_starting(
        &call(&mut client, &["SET", "k", "v"]).await,
        "NOPERM"
    ));
    assert_eq!(call(&mut client, &["GET", "k"]).await, Reply::Bulk(None));
}

#[tokio::test]
async fn a_malformed_custom_policy_is_reported() {
    let sandbox = Sandbox::new(access(true, true, &[])).await;
    sandbox.change(access(true, true, &[(ALICE, "+nosuchcommand")]));
    let refused = sandbox.plane.sync(&sandbox.id).await;
    assert!(
        matches!(refused, Err(DataPlaneError::Refused { .. })),
        "{refused:?}"
    );
}
