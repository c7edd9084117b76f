//! node-redis with @redis/entraid, fed by an @azure/identity credential.

use super::js_identity::credential;
use super::target::Target;
use super::text::{USERNAME_NOTE, authority_note, fill, identity_comment};
use super::{IdKind, Language, Parts};

pub(super) fn render(target: &Target) -> Parts {
    let credential = credential(&target.identity, &target.authority);
    let code = fill(
        r#"import { {{class}} } from "@azure/identity";
import {
  DEFAULT_TOKEN_MANAGER_CONFIG,
  EntraIdCredentialsProviderFactory,
  REDIS_SCOPE_DEFAULT,
} from "@redis/entraid";
import { createClient } from "redis";

{{comment}}
{{setup}}const credential = {{credential}};

// tokenManagerConfig is required: it decides when the token is renewed and every connection re-authenticated.
const credentialsProvider = EntraIdCredentialsProviderFactory.createForDefaultAzureCredential({
  credential,
  scopes: REDIS_SCOPE_DEFAULT,
  tokenManagerConfig: DEFAULT_TOKEN_MANAGER_CONFIG,
});

const client = createClient({
  url: "rediss://{{host}}:{{port}}",
  credentialsProvider,
  RESP: 3,
});
client.on("error", (error) => console.error("Redis client error", error));

await client.connect();
console.log(await client.ping());
await client.close();
"#,
        &[
            ("class", credential.class),
            (
                "comment",
                &identity_comment(Language::TypeScript, &target.identity, IdKind::ClientId),
            ),
            ("setup", &credential.setup),
            ("credential", &credential.expression),
            ("host", &target.host),
            ("port", &target.port.to_string()),
        ],
    );
    let mut notes = vec![
        "tokenManagerConfig is required (DEFAULT_TOKEN_MANAGER_CONFIG is exported): examples that leave it out crash when the provider is built.".to_string(),
        "Keep RESP: 3 and the rediss:// scheme: Entra ID needs TLS, and under RESP2 a subscribed connection cannot re-authenticate.".to_string(),
        USERNAME_NOTE.to_string(),
    ];
    notes.extend(authority_note(&target.authority));
    Parts {
        install: vec!["npm install redis@6 @redis/entraid@6 @azure/identity@4".to_string()],
        code,
        notes,
    }
}
