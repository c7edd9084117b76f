//! redis-rs with its `entra-id` feature's `EntraIdCredentialsProvider`.

use super::target::{Authority, Identity, Target};
use super::text::{USERNAME_NOTE, authority_note, fill, identity_comment, indent};
use super::{Cloud, IdKind, Language, Parts, SECRET_ENV};

pub(super) fn render(target: &Target) -> Parts {
    let provider = provider(&target.identity, &target.authority);
    let mut uses = provider.uses.clone();
    uses.push("redis::{AsyncConnectionConfig, Client, EntraIdCredentialsProvider, RetryConfig}");
    uses.sort_unstable();
    let uses: Vec<String> = uses.iter().map(|path| format!("use {path};")).collect();
    let code = fill(
        r#"{{uses}}

#[tokio::main]
async fn main() -> redis::RedisResult<()> {
{{comment}}
{{provider}}
    // start() fetches the first token and renews it in the background before it expires.
    provider.start(RetryConfig::default());

    // rediss:// for TLS; RESP3 lets a subscribed connection re-authenticate.
    let client = Client::open("rediss://{{host}}:{{port}}/?protocol=resp3")?;
    let config = AsyncConnectionConfig::new().set_credentials_provider(provider);
    let mut connection = client.get_multiplexed_async_connection_with_config(&config).await?;
    let pong: String = redis::cmd("PING").query_async(&mut connection).await?;
    println!("{pong}");
    Ok(())
}
"#,
        &[
            ("uses", &uses.join("\n")),
            (
                "comment",
                &indent(
                    &identity_comment(Language::Rust, &target.identity, IdKind::ClientId),
                    "    ",
                ),
            ),
            ("provider", &indent(&provider.statements, "    ")),
            ("host", &target.host),
            ("port", &target.port.to_string()),
        ],
    );
    let mut notes = vec![
        "Call start() before connecting: the provider fetches tokens only once started, then renews them and re-authenticates every connection subscribed to it.".to_string(),
        "The provider is attached through AsyncConnectionConfig, so use the multiplexed async connection (or ConnectionManager), not the synchronous API.".to_string(),
        USERNAME_NOTE.to_string(),
    ];
    if matches!(target.identity, Identity::DefaultCredential) {
        notes.push("Developer sign-in uses the Azure CLI or Azure Developer CLI, and the cloud they are signed in to.".to_string());
    } else {
        notes.extend(authority_note(&target.authority));
    }
    let mut install = vec![
        "cargo add redis@1.8 --features entra-id,tokio-comp,tokio-rustls-comp".to_string(),
        "cargo add tokio --features macros,rt-multi-thread".to_string(),
    ];
    install.extend(
        provider
            .crates
            .iter()
            .map(|krate| format!("cargo add {krate}@0.31")),
    );
    Parts {
        install,
        code,
        notes,
    }
}

/// Statements that define `provider`, with the `use` paths and extra crates they need.
struct Provider {
    statements: String,
    uses: Vec<&'static str>,
    crates: Vec<&'static str>,
}

fn provider(identity: &Identity, authority: &Authority) -> Provider {
    let secret = format!(
        "let client_secret = std::env::var(\"{SECRET_ENV}\").expect(\"set {SECRET_ENV} to the client secret\");"
    );
    match identity {
        Identity::SystemAssigned => Provider {
            statements: "let mut provider = EntraIdCredentialsProvider::new_system_assigned_managed_identity()?;".into(),
            uses: vec![],
            crates: vec![],
        },
        Identity::UserAssigned(client_id) => Provider {
            statements: fill(
                r#"let options = ManagedIdentityCredentialOptions {
    user_assigned_id: Some(UserAssignedId::ClientId("{{client_id}}".to_string())),
    ..Default::default()
};
let mut provider = EntraIdCredentialsProvider::new_user_assigned_managed_identity_with_scopes(
    vec![REDIS_SCOPE_DEFAULT.to_string()],
    Some(options),
)?;"#,
                &[("client_id", &client_id.to_string())],
            ),
            uses: vec!["azure_identity::{ManagedIdentityCredentialOptions, UserAssignedId}", "redis::REDIS_SCOPE_DEFAULT"],
            crates: vec!["azure_identity"],
        },
        Identity::ServicePrincipal { client_id, tenant_id } if authority.is_default() => Provider {
            statements: fill(
                r#"{{secret}}
let mut provider = EntraIdCredentialsProvider::new_client_secret(
    "{{tenant_id}}".to_string(),
    "{{client_id}}".to_string(),
    client_secret,
)?;"#,
                &[("secret", &secret), ("client_id", &client_id.to_string()), ("tenant_id", &tenant_id.to_string())],
            ),
            uses: vec![],
            crates: vec![],
        },
        Identity::ServicePrincipal { client_id, tenant_id } => {
            let (cloud, cloud_uses) = match authority {
                Authority::Cloud(Cloud::China) => ("let cloud = CloudConfiguration::AzureChina;".to_string(), "azure_core::cloud::CloudConfiguration"),
                Authority::Cloud(Cloud::UsGov) => ("let cloud = CloudConfiguration::AzureGovernment;".to_string(), "azure_core::cloud::CloudConfiguration"),
                other => (
                    format!(
                        "let mut custom = CustomConfiguration::default();\ncustom.authority_host = \"{}\".to_string();\nlet cloud = CloudConfiguration::from(custom);",
                        other.host()
                    ),
                    "azure_core::cloud::{CloudConfiguration, CustomConfiguration}",
                ),
            };
            Provider {
                statements: fill(
                    r#"{{secret}}
{{cloud}}
let options = ClientSecretCredentialOptions {
    client_options: ClientOptions { cloud: Some(Arc::new(cloud)), ..Default::default() },
};
let mut provider = EntraIdCredentialsProvider::new_client_secret_with_scopes(
    "{{tenant_id}}".to_string(),
    "{{client_id}}".to_string(),
    client_secret,
    vec![REDIS_SCOPE_DEFAULT.to_string()],
    Some(options),
)?;"#,
                    &[
                        ("secret", &secret),
                        ("cloud", &cloud),
                        ("client_id", &client_id.to_string()),
                        ("tenant_id", &tenant_id.to_string()),
                    ],
                ),
                uses: vec![
                    cloud_uses,
                    "azure_core::http::ClientOptions",
                    "azure_identity::ClientSecretCredentialOptions",
                    "redis::REDIS_SCOPE_DEFAULT",
                    "std::sync::Arc",
                ],
                crates: vec!["azure_core", "azure_identity"],
            }
        }
        Identity::DefaultCredential => Provider {
            statements: "let mut provider = EntraIdCredentialsProvider::new_developer_tools()?;".into(),
            uses: vec![],
            crates: vec![],
        },
    }
}
