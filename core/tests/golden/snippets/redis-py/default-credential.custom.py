from redis import Redis
from redis_entraid.cred_provider import create_from_default_azure_credential

# Signs in with the first available credential: environment, workload or managed identity, developer tools.
credential_provider = create_from_default_azure_credential(
    ("https://redis.azure.com/.default",),
    authority="https://127.0.0.1:8443",
    app_kwargs={"disable_instance_discovery": True},
)

# protocol=3 (RESP3) lets a subscribed connection re-authenticate; ssl=True because Entra ID needs TLS.
client = Redis(
    host="localhost",
    port=6380,
    ssl=True,
    protocol=3,
    credential_provider=credential_provider,
    decode_responses=True,
)
print(client.ping())
