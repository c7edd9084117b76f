import { ManagedIdentityCredential } from "@azure/identity";
import {
  DEFAULT_TOKEN_MANAGER_CONFIG,
  EntraIdCredentialsProviderFactory,
  REDIS_SCOPE_DEFAULT,
} from "@redis/entraid";
import { createClient } from "redis";

// Signs in as a user-assigned managed identity, selected by its client id (Azure portal > Managed Identities > your identity > Overview > Client ID).
const credential = new ManagedIdentityCredential({ clientId: "c11e0700-0000-4000-8000-00000000c1d0" });

// tokenManagerConfig is required: it decides when the token is renewed and every connection re-authenticated.
const credentialsProvider = EntraIdCredentialsProviderFactory.createForDefaultAzureCredential({
  credential,
  scopes: REDIS_SCOPE_DEFAULT,
  tokenManagerConfig: DEFAULT_TOKEN_MANAGER_CONFIG,
});

const client = createClient({
  url: "rediss://contoso.redis.cache.chinacloudapi.cn:6380",
  credentialsProvider,
  RESP: 3,
});
client.on("error", (error) => console.error("Redis client error", error));

await client.connect();
console.log(await client.ping());
await client.close();
