//! StackExchange.Redis with Microsoft.Azure.StackExchangeRedis's `ConfigureForAzure*` extensions.

use super::target::{Authority, Identity, Target};
use super::text::{USERNAME_NOTE, authority_note, fill, identity_comment};
use super::{IdKind, Language, Parts, SECRET_ENV};

pub(super) fn render(target: &Target) -> Parts {
    let configure = configure(&target.identity, &target.authority);
    let usings = if configure.contains("Credential(") {
        "using Azure.Identity;\nusing StackExchange.Redis;"
    } else {
        "using StackExchange.Redis;"
    };
    let code = fill(
        r#"{{usings}}

var options = ConfigurationOptions.Parse("{{host}}:{{port}}");
options.Ssl = true;
// RESP3 lets a subscribed connection re-authenticate when the token is renewed.
options.Protocol = RedisProtocol.Resp3;

{{comment}}
{{configure}}

await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
var database = connection.GetDatabase();
Console.WriteLine(await database.PingAsync());
"#,
        &[
            ("usings", usings),
            ("host", &target.host),
            ("port", &target.port.to_string()),
            (
                "comment",
                &identity_comment(Language::CSharp, &target.identity, IdKind::ClientId),
            ),
            ("configure", &configure),
        ],
    );
    let mut notes = vec![
        USERNAME_NOTE.to_string(),
        "Call exactly one ConfigureForAzure… method: it fetches the first token, sets user and password, and renews the token before it expires.".to_string(),
        "Keep options.Protocol = RedisProtocol.Resp3: under RESP2 a subscribed connection cannot send AUTH and drops at expiry.".to_string(),
    ];
    notes.extend(authority_note(&target.authority));
    Parts {
        install: vec![
            "dotnet add package Microsoft.Azure.StackExchangeRedis --version 3.3.0".to_string(),
        ],
        code,
        notes,
    }
}

fn configure(identity: &Identity, authority: &Authority) -> String {
    let secret = format!(
        "Environment.GetEnvironmentVariable(\"{SECRET_ENV}\")\n    ?? throw new InvalidOperationException(\"Set {SECRET_ENV} to the client secret.\")"
    );
    match identity {
        Identity::SystemAssigned => {
            "await options.ConfigureForAzureWithSystemAssignedManagedIdentityAsync();".into()
        }
        Identity::UserAssigned(client_id) => {
            format!(
                "await options.ConfigureForAzureWithUserAssignedManagedIdentityAsync(\"{client_id}\");"
            )
        }
        Identity::ServicePrincipal {
            client_id,
            tenant_id,
        } if authority.is_default() => fill(
            r#"var clientSecret = {{secret}};
await options.ConfigureForAzureWithServicePrincipalAsync("{{client_id}}", "{{tenant_id}}", clientSecret);"#,
            &[
                ("secret", &secret),
                ("client_id", &client_id.to_string()),
                ("tenant_id", &tenant_id.to_string()),
            ],
        ),
        Identity::ServicePrincipal {
            client_id,
            tenant_id,
        } => fill(
            r#"var clientSecret = {{secret}};
var credential = new ClientSecretCredential("{{tenant_id}}", "{{client_id}}", clientSecret,
    new ClientSecretCredentialOptions { {{options}} });
await options.ConfigureForAzureWithTokenCredentialAsync(credential);"#,
            &[
                ("secret", &secret),
                ("client_id", &client_id.to_string()),
                ("tenant_id", &tenant_id.to_string()),
                ("options", &credential_options(authority)),
            ],
        ),
        Identity::DefaultCredential if authority.is_default() => {
            "await options.ConfigureForAzureWithTokenCredentialAsync(new DefaultAzureCredential());"
                .into()
        }
        Identity::DefaultCredential => format!(
            "var credential = new DefaultAzureCredential(\n    new DefaultAzureCredentialOptions {{ {} }});\nawait options.ConfigureForAzureWithTokenCredentialAsync(credential);",
            credential_options(authority)
        ),
    }
}

/// The body of an Azure.Identity options initializer naming the authority.
fn credential_options(authority: &Authority) -> String {
    let discovery = if authority.is_custom() {
        ", DisableInstanceDiscovery = true"
    } else {
        ""
    };
    format!(
        "AuthorityHost = new Uri(\"{}\"){discovery}",
        authority.host()
    )
}
