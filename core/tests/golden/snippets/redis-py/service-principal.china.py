import os

from azure.identity import ClientSecretCredential
from redis import Redis
from redis.auth.token_manager import RetryPolicy, TokenManagerConfig
from redis_entraid.cred_provider import EntraIdCredentialsProvider
from redis_entraid.identity_provider import DefaultAzureCredentialProvider

# Signs in as a service principal; its client secret is read from AZURE_CLIENT_SECRET.
# redis-entraid's service-principal helper cannot be pointed at another authority,
# so the secret goes through azure-identity with this cloud's authority instead.
credential = ClientSecretCredential(
    tenant_id="7e4a7700-0000-4000-8000-0000000000e1",
    client_id="c11e0700-0000-4000-8000-00000000c1d0",
    client_secret=os.environ["AZURE_CLIENT_SECRET"],
    authority="https://login.chinacloudapi.cn",
)
# Same refresh policy as redis-entraid's helpers: renew at 70 % of the token's lifetime.
credential_provider = EntraIdCredentialsProvider(
    DefaultAzureCredentialProvider(credential, ("https://redis.azure.com/.default",)),
    TokenManagerConfig(0.7, 0, 100, RetryPolicy(3, 3)),
)

# protocol=3 (RESP3) lets a subscribed connection re-authenticate; ssl=True because Entra ID needs TLS.
client = Redis(
    host="contoso.redis.cache.chinacloudapi.cn",
    port=6380,
    ssl=True,
    protocol=3,
    credential_provider=credential_provider,
    decode_responses=True,
)
print(client.ping())
