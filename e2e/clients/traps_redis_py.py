"""The mistakes the generated code avoids, made on purpose against the sandbox's Redis.

Usage: traps_redis_py.py TRAP HOST PORT CLIENT_ID

Each trap signs in as the user-assigned managed identity CLIENT_ID (through IDENTITY_ENDPOINT)
and prints one JSON line with what the server did.
"""

import base64
import json
import sys
import time

import redis
from azure.identity import ManagedIdentityCredential

SCOPE = "https://redis.azure.com/.default"


def token_and_object_id(client_id):
    token = ManagedIdentityCredential(client_id=client_id).get_token(SCOPE)
    payload = token.token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return token, claims["oid"]


def connect(host, port, username, password):
    return redis.Redis(host=host, port=port, ssl=True, protocol=3, username=username, password=password)


def client_id_as_username(host, port, client_id):
    """The most reported mistake: the client id where the object id belongs."""
    token, _ = token_and_object_id(client_id)
    try:
        connect(host, port, client_id, token.token).ping()
        return {"outcome": "accepted"}
    except redis.AuthenticationError as error:
        return {"outcome": f"refused: {error}"}


def never_reauthenticates(host, port, client_id):
    """A connection given one token and never another: the server ends it at the token's expiry."""
    token, object_id = token_and_object_id(client_id)
    client = connect(host, port, object_id, token.token)
    before = client.ping()
    time.sleep(max(token.expires_on - time.time(), 0) + 1.5)
    try:
        client.ping()
        after = "answered"
    except redis.ConnectionError as error:
        after = f"{type(error).__name__}: {error}"
    except redis.AuthenticationError as error:
        after = f"{type(error).__name__}: {error}"
    return {"before_expiry": before, "after_expiry": after}


TRAPS = {"client-id-as-username": client_id_as_username, "never-reauthenticates": never_reauthenticates}


def main():
    trap, host, port, client_id = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    print(json.dumps(TRAPS[trap](host, port, client_id)), flush=True)


if __name__ == "__main__":
    main()
