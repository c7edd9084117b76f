"""Runs generated redis-py connection code, unchanged, then a scenario with what it defined.

Usage: run_redis_py.py SNIPPET_FILE SCENARIO SECONDS

The snippet runs as a script would (its own PING included); the scenario then drives the
`client` (and for pub/sub the `subscribe` function) it left behind for SECONDS and prints one
JSON line with what happened.
"""

import json
import sys
import threading
import time
from types import SimpleNamespace

import redis

CHANNEL = "keyless:news"


def run_snippet(path):
    namespace = {"__name__": "__main__"}
    with open(path, encoding="utf-8") as source:
        exec(compile(source.read(), path, "exec"), namespace)
    return SimpleNamespace(**namespace)


def set_and_get(snippet, seconds):
    """SET and GET every half second; every failure is reported, none is retried."""
    client = snippet.client
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


def subscribe(snippet, seconds):
    """The snippet's subscribe() on a thread of its own; the snippet's client publishes."""
    client = snippet.client
    received, failures = [], []

    def listen():
        try:
            snippet.subscribe(CHANNEL, received.append)
        except Exception as error:  # subscribe() only ever returns by raising
            failures.append(f"subscriber: {type(error).__name__}: {error}")

    threading.Thread(target=listen, daemon=True).start()
    deadline = time.time() + 10
    while client.pubsub_numsub(CHANNEL) != [(CHANNEL, 1)] and time.time() < deadline:
        time.sleep(0.1)
    published = 0
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            client.publish(CHANNEL, str(published))
            published += 1
        except redis.RedisError as error:
            failures.append(f"publisher: {type(error).__name__}: {error}")
        time.sleep(0.5)
    time.sleep(1)
    return {"published": published, "received": len(received), "failures": failures}


def write_refused(snippet, _seconds):
    """A Data Reader: reading works, writing is refused with NOPERM."""
    client = snippet.client
    result = {"read": client.get("keyless:check"), "write": "accepted"}
    try:
        client.set("keyless:check", "reader")
    except redis.exceptions.NoPermissionError as error:
        result["write"] = f"refused: {error}"
    return result


SCENARIOS = {"set-get": set_and_get, "pubsub": subscribe, "reader": write_refused}


def main():
    path, scenario, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    print(json.dumps(SCENARIOS[scenario](run_snippet(path), seconds)), flush=True)


if __name__ == "__main__":
    main()
