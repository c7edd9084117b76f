//! go-redis with go-redis-entraid's streaming credentials providers.

use super::target::{Authority, Identity, Target};
use super::text::{
    USERNAME_NOTE, authority_note, fill, identity_comment, indent, msal_discovery_note,
};
use super::{Cloud, IdKind, Language, Parts, SECRET_ENV};

pub(super) fn render(target: &Target) -> Parts {
    let provider = provider(&target.identity, &target.authority);
    let mut std_imports = vec!["context", "crypto/tls", "fmt", "log"];
    if matches!(target.identity, Identity::ServicePrincipal { .. }) {
        std_imports.push("os");
    }
    let mut imports: Vec<&str> = provider.azure_imports.clone();
    imports.extend([
        "entraid \"github.com/redis/go-redis-entraid\"",
        "\"github.com/redis/go-redis-entraid/identity\"",
        "\"github.com/redis/go-redis/v9\"",
    ]);
    let import_lines = |lines: &[&str], quote: bool| {
        lines
            .iter()
            .map(|line| {
                if quote {
                    format!("\t\"{line}\"")
                } else {
                    format!("\t{line}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let code = fill(
        r#"package main

import (
{{std_imports}}

{{imports}}
)

func main() {
{{comment}}
{{provider}}
	if err != nil {
		log.Fatalf("cannot create the credentials provider: %v", err)
	}

	// Protocol 3 (RESP3) lets a subscribed connection re-authenticate; Entra ID needs TLS.
	client := redis.NewClient(&redis.Options{
		Addr:                         "{{host}}:{{port}}",
		Protocol:                     3,
		TLSConfig:                    &tls.Config{MinVersion: tls.VersionTLS12, ServerName: "{{host}}"},
		StreamingCredentialsProvider: provider,
	})
	defer client.Close()

	pong, err := client.Ping(context.Background()).Result()
	if err != nil {
		log.Fatalf("cannot reach Redis: %v", err)
	}
	fmt.Println(pong)
}
"#,
        &[
            ("std_imports", &import_lines(&std_imports, true)),
            ("imports", &import_lines(&imports, false)),
            (
                "comment",
                &indent(
                    &identity_comment(Language::Go, &target.identity, IdKind::ObjectId),
                    "\t",
                ),
            ),
            ("provider", &indent(&provider.statement, "\t")),
            ("host", &target.host),
            ("port", &target.port.to_string()),
        ],
    );
    let mut notes = vec![
        "A user-assigned managed identity is selected by its object id here, never its client id: go-redis-entraid takes only the object id, and a client id fails with \"Identity not found\".".to_string(),
        USERNAME_NOTE.to_string(),
    ];
    notes.extend(authority_note(&target.authority));
    notes.extend(msal_discovery_note(target));
    let mut install = vec![
        "go get github.com/redis/go-redis/v9@latest github.com/redis/go-redis-entraid@v1"
            .to_string(),
    ];
    if !provider.azure_imports.is_empty() {
        install.push("go get github.com/Azure/azure-sdk-for-go/sdk/azidentity@latest".to_string());
    }
    Parts {
        install,
        code,
        notes,
    }
}

/// The statement that defines `provider` and `err`, and the Azure SDK imports it needs.
struct Provider {
    statement: String,
    azure_imports: Vec<&'static str>,
}

fn provider(identity: &Identity, authority: &Authority) -> Provider {
    let managed = |fields: &str| {
        fill(
            r#"provider, err := entraid.NewManagedIdentityCredentialsProvider(entraid.ManagedIdentityCredentialsProviderOptions{
	ManagedIdentityProviderOptions: identity.ManagedIdentityProviderOptions{
{{fields}}
	},
})"#,
            &[("fields", fields)],
        )
    };
    match identity {
        Identity::SystemAssigned => Provider {
            statement: managed("\t\tManagedIdentityType: identity.SystemAssignedIdentity,"),
            azure_imports: vec![],
        },
        Identity::UserAssigned(object_id) => Provider {
            statement: managed(&format!(
                "\t\tManagedIdentityType:  identity.UserAssignedObjectID,\n\t\tUserAssignedObjectID: \"{object_id}\","
            )),
            azure_imports: vec![],
        },
        Identity::ServicePrincipal { client_id, tenant_id } => {
            let authority_fields = if authority.is_default() {
                format!("AuthorityType: identity.AuthorityTypeMultiTenant,\n\t\t\tTenantID:      \"{tenant_id}\",")
            } else {
                format!(
                    "AuthorityType: identity.AuthorityTypeCustom,\n\t\t\tAuthority:     \"{}\",",
                    authority.with_tenant(tenant_id)
                )
            };
            Provider {
                statement: fill(
                    r#"provider, err := entraid.NewConfidentialCredentialsProvider(entraid.ConfidentialCredentialsProviderOptions{
	ConfidentialIdentityProviderOptions: identity.ConfidentialIdentityProviderOptions{
		ClientID:        "{{client_id}}",
		CredentialsType: identity.ClientSecretCredentialType,
		ClientSecret:    os.Getenv("{{secret_env}}"),
		Authority: identity.AuthorityConfiguration{
			{{authority}}
		},
	},
})"#,
                    &[
                        ("client_id", &client_id.to_string()),
                        ("secret_env", SECRET_ENV),
                        ("authority", &authority_fields),
                    ],
                ),
                azure_imports: vec![],
            }
        }
        Identity::DefaultCredential if authority.is_default() => Provider {
            statement: "provider, err := entraid.NewDefaultAzureCredentialsProvider(entraid.DefaultAzureCredentialsProviderOptions{})".into(),
            azure_imports: vec![],
        },
        Identity::DefaultCredential => {
            let cloud = match authority {
                Authority::Cloud(Cloud::China) => "cloud.AzureChina".to_string(),
                Authority::Cloud(Cloud::UsGov) => "cloud.AzureGovernment".to_string(),
                other => format!("cloud.Configuration{{ActiveDirectoryAuthorityHost: \"{}\"}}", other.host()),
            };
            let discovery = if authority.is_custom() { "\n\t\t\tDisableInstanceDiscovery: true," } else { "" };
            Provider {
                statement: fill(
                    r#"provider, err := entraid.NewDefaultAzureCredentialsProvider(entraid.DefaultAzureCredentialsProviderOptions{
	DefaultAzureIdentityProviderOptions: identity.DefaultAzureIdentityProviderOptions{
		AzureOptions: &azidentity.DefaultAzureCredentialOptions{
			ClientOptions: azcore.ClientOptions{Cloud: {{cloud}}},{{discovery}}
		},
	},
})"#,
                    &[("cloud", &cloud), ("discovery", discovery)],
                ),
                azure_imports: vec![
                    "\"github.com/Azure/azure-sdk-for-go/sdk/azcore\"",
                    "\"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud\"",
                    "\"github.com/Azure/azure-sdk-for-go/sdk/azidentity\"",
                ],
            }
        }
    }
}
