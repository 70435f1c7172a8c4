"""A proof-of-work client written from the protocol, not from the server's library: what
an API client (or the widget's SHA-256 worker) does with a challenge."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any


def solve(challenge: dict[str, Any]) -> str:
    """The `X-Altcha` payload for a challenge: the counter below `data.maxNumber` whose
    SHA-256 of salt + nonce + counter (big-endian uint32) starts with `keyPrefix`."""
    p = challenge["parameters"]
    salt, nonce = bytes.fromhex(p["salt"]), bytes.fromhex(p["nonce"])
    prefix = bytes.fromhex(p["keyPrefix"])
    for counter in range(p["data"]["maxNumber"] + 1):
        key = hashlib.sha256(salt + nonce + counter.to_bytes(4, "big")).digest()
        if key.startswith(prefix):
            return encode(challenge, counter, key.hex())
    raise AssertionError("no counter solves the challenge")


def encode(challenge: dict[str, Any], counter: int, derived_key: str) -> str:
    body = {"challenge": challenge, "solution": {"counter": counter, "derivedKey": derived_key}}
    return base64.b64encode(json.dumps(body).encode()).decode()


def decode(payload: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(base64.b64decode(payload))
    return data
