//! redis-py with redis-entraid's credential providers.

use super::target::{Authority, Identity, Target};
use super::text::{USERNAME_NOTE, authority_note, fill, identity_comment};
use super::{IdKind, Language, Parts, RESOURCE, SCOPE, SECRET_ENV};

pub(super) fn render(target: &Target) -> Parts {
    let (mut imports, provider) = provider(&target.identity, &target.authority);
    imports.extend(
        [
            "import time",
            "from collections.abc import Callable",
            "from redis import Redis",
            "from redis.auth.token import JWToken",
            "from redis.credentials import CredentialProvider",
        ]
        .map(String::from),
    );
    let code = fill(
        r#"{{imports}}

{{comment}}
{{provider}}


def connect(credentials: CredentialProvider) -> Redis:
    # protocol=3 (RESP3) lets a subscribed connection re-authenticate; ssl=True because Entra ID needs TLS.
    return Redis(
        host="{{host}}",
        port={{port}},
        ssl=True,
        protocol=3,
        credential_provider=credentials,
        decode_responses=True,
    )


client = connect(credential_provider)
print(client.ping())


class SubscriberCredentials(CredentialProvider):
    """credential_provider's tokens, for a connection redis-py must not renew from its token thread."""

    def get_credentials(self) -> tuple[str, str]:
        return credential_provider.get_credentials()


def subscribe(channel: str, on_message: Callable[[str], None]) -> None:
    """Passes each message published on channel to on_message; never returns, so give it a thread."""

    def on_push(push: list) -> None:
        if push[0] == "message":
            on_message(push[2])

    # redis-py would renew a subscribed connection from its token thread, racing this thread for
    # the socket's replies, so this connection gets tokens redis-py does not renew and sends AUTH
    # itself, between reads. Every message goes to on_push, whichever call reads it in.
    pubsub = connect(SubscriberCredentials()).pubsub(push_handler_func=on_push)
    pubsub.subscribe(channel)
    renew_at = 0.0
    while True:
        if time.monotonic() >= renew_at:
            username, token = credential_provider.get_credentials()
            pubsub.connection.send_command("AUTH", username, token)
            pubsub.connection.read_response()
            # Like redis-entraid, renew at 70 % of the token's remaining lifetime.
            renew_at = time.monotonic() + 0.7 * JWToken(token).ttl() / 1000
        pubsub.get_message(timeout=1.0)
"#,
        &[
            ("imports", &import_block(imports)),
            (
                "comment",
                &identity_comment(Language::Python, &target.identity, IdKind::ClientId),
            ),
            ("provider", &provider),
            ("host", &target.host),
            ("port", &target.port.to_string()),
        ],
    );
    let mut notes = vec![
        USERNAME_NOTE.to_string(),
        "Keep protocol=3: under RESP2 a subscribed connection cannot send AUTH, so it drops when its token expires. Subscribe with subscribe(): redis-py 8.1 renews a subscribed connection from the token thread, which races the subscriber's reads (lost messages, an IndexError in handle_message), so subscribe() gives its connection tokens redis-py does not renew and sends AUTH itself between reads.".to_string(),
        "A connection held outside the pool for good (a blocking BRPOP loop, a RESP2 subscriber) is re-authenticated only when it returns to the pool.".to_string(),
    ];
    notes.extend(authority_note(&target.authority));
    Parts {
        install: vec![r#"pip install "redis~=8.1" "redis-entraid~=1.2.2""#.to_string()],
        code,
        notes,
    }
}

/// The import lines and the statement that defines `credential_provider`.
fn provider(identity: &Identity, authority: &Authority) -> (Vec<String>, String) {
    let from_cred = |names: &str| format!("from redis_entraid.cred_provider import {names}");
    match identity {
        Identity::SystemAssigned => (
            vec![from_cred(
                "ManagedIdentityType, create_from_managed_identity",
            )],
            fill(
                r#"credential_provider = create_from_managed_identity(
    identity_type=ManagedIdentityType.SYSTEM_ASSIGNED,
    resource="{{resource}}",
)"#,
                &[("resource", RESOURCE)],
            ),
        ),
        Identity::UserAssigned(client_id) => (
            vec![from_cred(
                "ManagedIdentityIdType, ManagedIdentityType, create_from_managed_identity",
            )],
            fill(
                r#"credential_provider = create_from_managed_identity(
    identity_type=ManagedIdentityType.USER_ASSIGNED,
    resource="{{resource}}",
    id_type=ManagedIdentityIdType.CLIENT_ID,
    id_value="{{client_id}}",
)"#,
                &[
                    ("resource", RESOURCE),
                    ("client_id", &client_id.to_string()),
                ],
            ),
        ),
        Identity::ServicePrincipal {
            client_id,
            tenant_id,
        } if authority.is_default() => (
            vec![
                "import os".into(),
                from_cred("create_from_service_principal"),
            ],
            fill(
                r#"credential_provider = create_from_service_principal(
    client_id="{{client_id}}",
    client_credential=os.environ["{{secret_env}}"],
    tenant_id="{{tenant_id}}",
)"#,
                &[
                    ("client_id", &client_id.to_string()),
                    ("tenant_id", &tenant_id.to_string()),
                    ("secret_env", SECRET_ENV),
                ],
            ),
        ),
        Identity::ServicePrincipal {
            client_id,
            tenant_id,
        } => (
            vec![
                "import os".into(),
                "from azure.identity import ClientSecretCredential".into(),
                "from redis.auth.token_manager import RetryPolicy, TokenManagerConfig".into(),
                from_cred("EntraIdCredentialsProvider"),
                "from redis_entraid.identity_provider import DefaultAzureCredentialProvider".into(),
            ],
            fill(
                r#"# redis-entraid's service-principal helper cannot be pointed at another authority,
# so the secret goes through azure-identity with this cloud's authority instead.
credential = ClientSecretCredential(
    tenant_id="{{tenant_id}}",
    client_id="{{client_id}}",
    client_secret=os.environ["{{secret_env}}"],
    authority="{{authority}}",{{discovery}}
)
# Same refresh policy as redis-entraid's helpers: renew at 70 % of the token's lifetime.
credential_provider = EntraIdCredentialsProvider(
    DefaultAzureCredentialProvider(credential, ("{{scope}}",)),
    TokenManagerConfig(0.7, 0, 100, RetryPolicy(3, 3)),
)"#,
                &[
                    ("client_id", &client_id.to_string()),
                    ("tenant_id", &tenant_id.to_string()),
                    ("secret_env", SECRET_ENV),
                    ("authority", authority.host()),
                    (
                        "discovery",
                        discovery_kwarg(authority, "\n    disable_instance_discovery=True,"),
                    ),
                    ("scope", SCOPE),
                ],
            ),
        ),
        Identity::DefaultCredential => {
            let authority_line = if authority.is_default() {
                String::new()
            } else {
                format!("\n    authority=\"{}\",", authority.host())
            };
            (
                vec![from_cred("create_from_default_azure_credential")],
                fill(
                    r#"credential_provider = create_from_default_azure_credential(
    ("{{scope}}",),{{authority}}{{discovery}}
)"#,
                    &[
                        ("scope", SCOPE),
                        ("authority", &authority_line),
                        (
                            "discovery",
                            discovery_kwarg(
                                authority,
                                "\n    app_kwargs={\"disable_instance_discovery\": True},",
                            ),
                        ),
                    ],
                ),
            )
        }
    }
}

/// The standard-library modules the code imports from.
const STDLIB: &[&str] = &["collections.abc", "os", "time"];

/// Standard-library imports first, then the others, each group sorted as isort would: plain
/// `import` lines before `from` lines, each by module.
fn import_block(imports: Vec<String>) -> String {
    let module = |line: &String| line.split(' ').nth(1).unwrap_or_default().to_string();
    let (mut stdlib, mut others): (Vec<String>, Vec<String>) = imports
        .into_iter()
        .partition(|line| STDLIB.contains(&module(line).as_str()));
    for group in [&mut stdlib, &mut others] {
        group.sort_by_key(|line| (line.starts_with("from "), module(line)));
    }
    stdlib.push(String::new());
    stdlib.extend(others);
    stdlib.join("\n")
}

/// `text` for a custom authority, which instance discovery at the public cloud would reject.
fn discovery_kwarg<'a>(authority: &Authority, text: &'a str) -> &'a str {
    if authority.is_custom() { text } else { "" }
}
