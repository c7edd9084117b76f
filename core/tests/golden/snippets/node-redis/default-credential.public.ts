import { DefaultAzureCredential } from "@azure/identity";
import {
  DEFAULT_TOKEN_MANAGER_CONFIG,
  EntraIdCredentialsProviderFactory,
  REDIS_SCOPE_DEFAULT,
} from "@redis/entraid";
import { createClient } from "redis";

// Signs in with the first available credential: environment, workload or managed identity, developer tools.
const credential = new DefaultAzureCredential();

// tokenManagerConfig is required: it decides when the token is renewed and every connection re-authenticated.
const credentialsProvider = EntraIdCredentialsProviderFactory.createForDefaultAzureCredential({
  credential,
  scopes: REDIS_SCOPE_DEFAULT,
  tokenManagerConfig: DEFAULT_TOKEN_MANAGER_CONFIG,
});

const client = createClient({
  url: "rediss://contoso.redis.cache.windows.net:6380",
  credentialsProvider,
  RESP: 3,
});
client.on("error", (error) => console.error("Redis client error", error));

await client.connect();
console.log(await client.ping());
await client.close();
