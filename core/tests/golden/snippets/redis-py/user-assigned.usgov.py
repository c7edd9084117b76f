from redis import Redis
from redis_entraid.cred_provider import ManagedIdentityIdType, ManagedIdentityType, create_from_managed_identity

# Signs in as a user-assigned managed identity, selected by its client id (Azure portal > Managed Identities > your identity > Overview > Client ID).
credential_provider = create_from_managed_identity(
    identity_type=ManagedIdentityType.USER_ASSIGNED,
    resource="https://redis.azure.com",
    id_type=ManagedIdentityIdType.CLIENT_ID,
    id_value="c11e0700-0000-4000-8000-00000000c1d0",
)

# protocol=3 (RESP3) lets a subscribed connection re-authenticate; ssl=True because Entra ID needs TLS.
client = Redis(
    host="contoso.redis.cache.usgovcloudapi.net",
    port=6380,
    ssl=True,
    protocol=3,
    credential_provider=credential_provider,
    decode_responses=True,
)
print(client.ping())
