from redis import Redis
from redis_entraid.cred_provider import ManagedIdentityType, create_from_managed_identity

# Signs in as the system-assigned managed identity of the Azure resource running this code.
credential_provider = create_from_managed_identity(
    identity_type=ManagedIdentityType.SYSTEM_ASSIGNED,
    resource="https://redis.azure.com",
)

# protocol=3 (RESP3) lets a subscribed connection re-authenticate; ssl=True because Entra ID needs TLS.
client = Redis(
    host="contoso.redis.cache.windows.net",
    port=6380,
    ssl=True,
    protocol=3,
    credential_provider=credential_provider,
    decode_responses=True,
)
print(client.ping())
