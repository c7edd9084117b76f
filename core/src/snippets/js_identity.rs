//! The `@azure/identity` credential that both Node.js snippets build for the identity.

use super::SECRET_ENV;
use super::target::{Authority, Identity};

/// A credential: the class to import, statements to run first, and the constructor call.
pub(super) struct JsCredential {
    pub class: &'static str,
    pub setup: String,
    pub expression: String,
}

pub(super) fn credential(identity: &Identity, authority: &Authority) -> JsCredential {
    match identity {
        Identity::SystemAssigned => JsCredential {
            class: "ManagedIdentityCredential",
            setup: String::new(),
            expression: "new ManagedIdentityCredential()".into(),
        },
        Identity::UserAssigned(client_id) => JsCredential {
            class: "ManagedIdentityCredential",
            setup: String::new(),
            expression: format!("new ManagedIdentityCredential({{ clientId: \"{client_id}\" }})"),
        },
        Identity::ServicePrincipal {
            client_id,
            tenant_id,
        } => JsCredential {
            class: "ClientSecretCredential",
            setup: format!(
                "const clientSecret = process.env.{SECRET_ENV};\nif (!clientSecret) {{\n  throw new Error(\"Set {SECRET_ENV} to the client secret.\");\n}}\n"
            ),
            expression: format!(
                "new ClientSecretCredential(\"{tenant_id}\", \"{client_id}\", clientSecret{})",
                options(authority)
                    .map(|o| format!(", {o}"))
                    .unwrap_or_default()
            ),
        },
        Identity::DefaultCredential => JsCredential {
            class: "DefaultAzureCredential",
            setup: String::new(),
            expression: format!(
                "new DefaultAzureCredential({})",
                options(authority).unwrap_or_default()
            ),
        },
    }
}

/// The options object naming a non-default authority.
fn options(authority: &Authority) -> Option<String> {
    let discovery = if authority.is_custom() {
        ", disableInstanceDiscovery: true"
    } else {
        ""
    };
    (!authority.is_default())
        .then(|| format!("{{ authorityHost: \"{}\"{discovery} }}", authority.host()))
}
