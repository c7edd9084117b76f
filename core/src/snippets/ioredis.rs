//! ioredis, which has no credentials hook: the snippet fetches and renews tokens itself.

use super::js_identity::credential;
use super::target::Target;
use super::text::{authority_note, fill, identity_comment};
use super::{IdKind, Language, Parts, SCOPE};

pub(super) fn render(target: &Target) -> Parts {
    let credential = credential(&target.identity, &target.authority);
    let code = fill(
        r#"import { {{class}} } from "@azure/identity";
import { Redis } from "ioredis";

const host = "{{host}}";
const scope = "{{scope}}";

{{comment}}
{{setup}}const credential = {{credential}};

async function getToken() {
  const token = await credential.getToken(scope);
  if (!token) {
    throw new Error(`No token for ${scope}`);
  }
  return token;
}

// The Redis username is the token's oid claim: the principal's object id, not its client id.
function objectIdOf(jwt: string): string {
  const payload = JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8"));
  if (typeof payload.oid !== "string") {
    throw new Error("The access token has no oid claim.");
  }
  return payload.oid;
}

let token = await getToken();
const username = objectIdOf(token.token);

const redis = new Redis({
  host,
  port: {{port}},
  tls: { servername: host },
  protocol: 3,
  username,
  password: token.token,
});

// Renew three to four minutes before expiry (with jitter, so many clients do not renew at once),
// or halfway through a token that lives shorter than that.
function scheduleRenewal(): void {
  const remaining = token.expiresOnTimestamp - Date.now();
  const margin = Math.min(180_000 + Math.random() * 60_000, remaining / 2);
  setTimeout(renew, Math.max(remaining - margin, 0)).unref();
}

async function renew(): Promise<void> {
  try {
    token = await getToken();
    // Without this, every reconnect replays the expired token and loops on WRONGPASS.
    redis.options.password = token.token;
    await redis.auth(username, token.token);
    scheduleRenewal();
  } catch (error) {
    console.error("Token renewal failed, retrying in 30 s", error);
    setTimeout(renew, 30_000).unref();
  }
}

scheduleRenewal();
console.log(await redis.ping());
await redis.quit();
"#,
        &[
            ("class", credential.class),
            ("host", &target.host),
            ("scope", SCOPE),
            (
                "comment",
                &identity_comment(Language::TypeScript, &target.identity, IdKind::ClientId),
            ),
            ("setup", &credential.setup),
            ("credential", &credential.expression),
            ("port", &target.port.to_string()),
        ],
    );
    let mut notes = vec![
        "On renewal set redis.options.password as well as calling AUTH: otherwise every reconnect replays the expired token and loops on WRONGPASS.".to_string(),
        "The username is read from the token's oid claim (the object id); the client id there is refused.".to_string(),
        "With a Cluster, re-authenticate every node and update redisOptions.password too.".to_string(),
    ];
    notes.extend(authority_note(&target.authority));
    Parts {
        install: vec!["npm install ioredis@6 @azure/identity@4".to_string()],
        code,
        notes,
    }
}
