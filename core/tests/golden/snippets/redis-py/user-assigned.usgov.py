import time
from collections.abc import Callable

from redis import Redis
from redis.auth.token import JWToken
from redis.credentials import CredentialProvider
from redis_entraid.cred_provider import ManagedIdentityIdType, ManagedIdentityType, create_from_managed_identity

# Signs in as a user-assigned managed identity, selected by its client id (Azure portal > Managed Identities > your identity > Overview > Client ID).
credential_provider = create_from_managed_identity(
    identity_type=ManagedIdentityType.USER_ASSIGNED,
    resource="https://redis.azure.com",
    id_type=ManagedIdentityIdType.CLIENT_ID,
    id_value="c11e0700-0000-4000-8000-00000000c1d0",
)


def connect(credentials: CredentialProvider) -> Redis:
    # protocol=3 (RESP3) lets a subscribed connection re-authenticate; ssl=True because Entra ID needs TLS.
    return Redis(
        host="contoso.redis.cache.usgovcloudapi.net",
        port=6380,
        ssl=True,
        protocol=3,
        credential_provider=credentials,
        decode_responses=True,
    )


client = connect(credential_provider)
print(client.ping())


class SubscriberCredentials(CredentialProvider):
    """credential_provider's tokens, for a connection redis-py must not renew from its token thread."""

    def get_credentials(self) -> tuple[str, str]:
        return credential_provider.get_credentials()


def subscribe(channel: str, on_message: Callable[[str], None]) -> None:
    """Passes each message published on channel to on_message; never returns, so give it a thread."""

    def on_push(push: list) -> None:
        if push[0] == "message":
            on_message(push[2])

    # redis-py would renew a subscribed connection from its token thread, racing this thread for
    # the socket's replies, so this connection gets tokens redis-py does not renew and sends AUTH
    # itself, between reads. Every message goes to on_push, whichever call reads it in.
    pubsub = connect(SubscriberCredentials()).pubsub(push_handler_func=on_push)
    pubsub.subscribe(channel)
    renew_at = 0.0
    while True:
        if time.monotonic() >= renew_at:
            username, token = credential_provider.get_credentials()
            pubsub.connection.send_command("AUTH", username, token)
            pubsub.connection.read_response()
            # Like redis-entraid, renew at 70 % of the token's remaining lifetime.
            renew_at = time.monotonic() + 0.7 * JWToken(token).ttl() / 1000
        pubsub.get_message(timeout=1.0)
