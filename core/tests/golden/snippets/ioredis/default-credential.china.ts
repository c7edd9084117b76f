import { DefaultAzureCredential } from "@azure/identity";
import { Redis } from "ioredis";

const host = "contoso.redis.cache.chinacloudapi.cn";
const scope = "https://redis.azure.com/.default";

// Signs in with the first available credential: environment, workload or managed identity, developer tools.
const credential = new DefaultAzureCredential({ authorityHost: "https://login.chinacloudapi.cn" });

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
  port: 6380,
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
