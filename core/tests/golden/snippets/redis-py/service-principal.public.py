import os

from redis import Redis
from redis_entraid.cred_provider import create_from_service_principal

# Signs in as a service principal; its client secret is read from AZURE_CLIENT_SECRET.
credential_provider = create_from_service_principal(
    client_id="c11e0700-0000-4000-8000-00000000c1d0",
    client_credential=os.environ["AZURE_CLIENT_SECRET"],
    tenant_id="7e4a7700-0000-4000-8000-0000000000e1",
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
