//! What Jedis, Lettuce and Redisson share: redis-authx-entraid's `TokenAuthConfig` for the
//! identity, and the class around each library's own connection code.

use super::target::{Authority, Identity, Target};
use super::text::{
    USERNAME_NOTE, authority_note, fill, identity_comment, indent, msal_discovery_note,
};
use super::{IdKind, Language, Parts, RESOURCE, SCOPE, SECRET_ENV};

/// Maven coordinates of the token helper every Java snippet uses.
const AUTHX_ENTRAID: &str = "redis.clients.authentication:redis-authx-entraid:0.1.1-beta2";

/// One Java library's part of the program.
pub(super) struct JavaClient<'a> {
    pub imports: &'a [&'a str],
    /// Statements using `tokenAuthConfig`, `host` and `port`, indented like `main`'s body.
    pub body: String,
    pub coordinates: &'a str,
    pub notes: &'a [&'a str],
}

/// The whole program: the token configuration, then the library's client.
pub(super) fn program(target: &Target, client: JavaClient) -> Parts {
    let (config_imports, config) = token_auth_config(&target.identity, &target.authority);
    let mut imports: Vec<&str> = config_imports
        .into_iter()
        .chain(client.imports.iter().copied())
        .collect();
    imports.sort_unstable();
    imports.dedup();
    let imports: Vec<String> = imports
        .iter()
        .map(|class| format!("import {class};"))
        .collect();
    let code = fill(
        r#"{{imports}}

public class RedisConnection {
    public static void main(String[] args) throws Exception {
        String host = "{{host}}";
        int port = {{port}};

{{comment}}
{{config}}

{{body}}
    }
}
"#,
        &[
            ("imports", &imports.join("\n")),
            ("host", &target.host),
            ("port", &target.port.to_string()),
            (
                "comment",
                &indent(
                    &identity_comment(Language::Java, &target.identity, IdKind::ClientId),
                    "        ",
                ),
            ),
            ("config", &indent(&config, "        ")),
            ("body", &client.body),
        ],
    );
    let mut notes: Vec<String> = client.notes.iter().map(|note| note.to_string()).collect();
    notes.push(USERNAME_NOTE.to_string());
    notes.extend(authority_note(&target.authority));
    notes.extend(msal_discovery_note(target));
    Parts {
        install: vec![client.coordinates.to_string(), AUTHX_ENTRAID.to_string()],
        code,
        notes,
    }
}

/// The imports and the statement that defines `tokenAuthConfig`.
fn token_auth_config(identity: &Identity, authority: &Authority) -> (Vec<&'static str>, String) {
    const CONFIG: &str = "redis.clients.authentication.core.TokenAuthConfig";
    const ENTRA: &str = "redis.clients.authentication.entraid.EntraIDTokenAuthConfigBuilder";
    const SET: &str = "java.util.Set";
    // .scopes() is required and takes a Set; managed identities take the resource, not a scope.
    let entra = |lines: String, scope: &str| {
        format!(
            "TokenAuthConfig tokenAuthConfig = EntraIDTokenAuthConfigBuilder.builder()\n{lines}\n        .scopes(Set.of(\"{scope}\"))\n        .build();"
        )
    };
    match identity {
        Identity::SystemAssigned => (
            vec![CONFIG, ENTRA, SET],
            entra("        .systemAssignedManagedIdentity()".into(), RESOURCE),
        ),
        Identity::UserAssigned(client_id) => (
            vec![
                CONFIG,
                ENTRA,
                SET,
                "redis.clients.authentication.entraid.ManagedIdentityInfo.UserManagedIdentityType",
            ],
            entra(
                format!(
                    "        .userAssignedManagedIdentity(UserManagedIdentityType.CLIENT_ID, \"{client_id}\")"
                ),
                RESOURCE,
            ),
        ),
        Identity::ServicePrincipal {
            client_id,
            tenant_id,
        } => (
            vec![CONFIG, ENTRA, SET],
            format!(
                "String clientSecret = System.getenv(\"{SECRET_ENV}\");\nif (clientSecret == null) {{\n    throw new IllegalStateException(\"Set {SECRET_ENV} to the client secret.\");\n}}\n{}",
                entra(
                    format!(
                        "        .clientId(\"{client_id}\")\n        .secret(clientSecret)\n        .authority(\"{}\")",
                        authority.with_tenant(tenant_id)
                    ),
                    SCOPE,
                )
            ),
        ),
        Identity::DefaultCredential => {
            let mut builder = String::from("new DefaultAzureCredentialBuilder()");
            if !authority.is_default() {
                builder.push_str(&format!(
                    "\n                .authorityHost(\"{}\")",
                    authority.host()
                ));
            }
            if authority.is_custom() {
                builder.push_str("\n                .disableInstanceDiscovery()");
            }
            (
                vec![
                    CONFIG,
                    SET,
                    "com.azure.identity.DefaultAzureCredentialBuilder",
                    "redis.clients.authentication.entraid.AzureTokenAuthConfigBuilder",
                ],
                format!(
                    "TokenAuthConfig tokenAuthConfig = AzureTokenAuthConfigBuilder.builder()\n        .defaultAzureCredential({builder}.build())\n        .scopes(Set.of(\"{SCOPE}\"))\n        .build();"
                ),
            )
        }
    }
}
