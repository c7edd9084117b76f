import { ClientSecretCredential } from "@azure/identity";
import {
  DEFAULT_TOKEN_MANAGER_CONFIG,
  EntraIdCredentialsProviderFactory,
  REDIS_SCOPE_DEFAULT,
} from "@redis/entraid";
import { createClient } from "redis";

// Signs in as a service principal; its client secret is read from AZURE_CLIENT_SECRET.
const clientSecret = process.env.AZURE_CLIENT_SECRET;
if (!clientSecret) {
  throw new Error("Set AZURE_CLIENT_SECRET to the client secret.");
}
const credential = new ClientSecretCredential("7e4a7700-0000-4000-8000-0000000000e1", "c11e0700-0000-4000-8000-00000000c1d0", clientSecret, { authorityHost: "https://127.0.0.1:8443", disableInstanceDiscovery: true });

// tokenManagerConfig is required: it decides when the token is renewed and every connection re-authenticated.
const credentialsProvider = EntraIdCredentialsProviderFactory.createForDefaultAzureCredential({
  credential,
  scopes: REDIS_SCOPE_DEFAULT,
  tokenManagerConfig: DEFAULT_TOKEN_MANAGER_CONFIG,
});

const client = createClient({
  url: "rediss://localhost:6380",
  credentialsProvider,
  RESP: 3,
});
client.on("error", (error) => console.error("Redis client error", error));

await client.connect();
console.log(await client.ping());
await client.close();
