"""Runs generated redis-py connection code, unchanged, then a scenario with the client it made.

Usage: run_redis_py.py SNIPPET_FILE SCENARIO SECONDS

The snippet runs as a script would (its own PING included); the scenario then drives the
`client` it left behind for SECONDS and prints one JSON line with what happened.
"""

import json
import sys
import threading
import time

import redis


def run_snippet(path):
    namespace = {"__name__": "__main__"}
    with open(path, encoding="utf-8") as source:
        exec(compile(source.read(), path, "exec"), namespace)
    return namespace["client"]


def set_and_get(client, seconds):
    """SET and GET every half second; every failure is reported, none is retried."""
    first_id = client.client_id()
    done, failures = 0, []
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            client.set("keyless:check", str(done))
            if client.get("keyless:check") != str(done):
                failures.append("GET returned another value")
            done += 1
        except redis.RedisError as error:
            failures.append(f"{type(error).__name__}: {error}")
        time.sleep(0.5)
    return {
        "whoami": client.acl_whoami(),
        "operations": done,
        "failures": failures,
        "same_connection": client.client_id() == first_id,
    }


def subscribe(client, seconds):
    """A RESP3 subscriber on the snippet's client; a second connection publishes."""
    pubsub = client.pubsub()
    pubsub.subscribe("keyless:news")
    pubsub.get_message(timeout=5)  # the subscribe confirmation
    received, failures = [], []

    def listen():
        while len(received) < 1000:
            try:
                message = pubsub.get_message(timeout=1)
            except redis.RedisError as error:
                failures.append(f"subscriber: {type(error).__name__}: {error}")
                return
            if message and message["type"] == "message":
                received.append(message["data"])

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    published = 0
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            client.publish("keyless:news", str(published))
            published += 1
        except redis.RedisError as error:
            failures.append(f"publisher: {type(error).__name__}: {error}")
        time.sleep(0.5)
    time.sleep(1)
    return {"published": published, "received": len(received), "failures": failures}


def write_refused(client, _seconds):
    """A Data Reader: reading works, writing is refused with NOPERM."""
    result = {"read": client.get("keyless:check"), "write": "accepted"}
    try:
        client.set("keyless:check", "reader")
    except redis.exceptions.NoPermissionError as error:
        result["write"] = f"refused: {error}"
    return result


SCENARIOS = {"set-get": set_and_get, "pubsub": subscribe, "reader": write_refused}


def main():
    path, scenario, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    client = run_snippet(path)
    print(json.dumps(SCENARIOS[scenario](client, seconds)), flush=True)


if __name__ == "__main__":
    main()
