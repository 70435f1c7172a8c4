"""Proof-of-work challenges (ALTCHA, protocol 2): issue, verify once, and count steps.

A challenge is made with the `altcha` library: SHA-256, one round per try, the counter
hidden below the size the client's recent rate calls for (kezek.core.pow), signed with
HMAC so that nobody can make an easier one, with an expiry and the size inside the
signed data. The derived key is signed too, so checking a solution is two HMACs, not a
search. A solution works once: its challenge's signature is counted in the throttle's
storage (Redis when `KEZEK_REDIS_URL` is set, so every worker sees it; in process
otherwise) until the challenge would have expired anyway.

Steps are counted per address and per network prefix in a moving window, in the same
storage; the free allowance is a moving-window limit taken atomically, so a burst of
parallel requests cannot all slip through as "the first".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

import altcha
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.strategies import MovingWindowRateLimiter

from kezek.app.throttle import Throttle, network_of
from kezek.core.pow import (
    DEFAULT_RULE,
    ChallengeExpired,
    ChallengeInvalid,
    ChallengeUsed,
    PowRule,
)

ALGORITHM = "SHA-256"
MAX_PAYLOAD = 4096  # characters of base64: a real payload is about 900
_STEPS, _FREE, _SPENT = "pow.steps", "pow.free", "pow-spent"


def derive_keys(master: str) -> tuple[bytes, bytes]:
    """The challenge-signing key and the derived-key-signing key, from one secret."""
    root = hashlib.sha256(b"kezek.altcha\x00" + master.encode()).digest()
    return (hmac.new(root, b"challenge", hashlib.sha256).digest(),
            hmac.new(root, b"derived-key", hashlib.sha256).digest())


@dataclass(frozen=True, slots=True)
class Steps:
    """How many anonymous steps the client took in the window."""

    address: int
    network: int


class Challenges:
    """Everything about challenges one process needs; made once per app."""

    def __init__(self, throttle: Throttle, master_key: str, rule: PowRule = DEFAULT_RULE,
                 enabled: bool = True) -> None:
        self.throttle, self.rule, self.enabled = throttle, rule, enabled
        self.storage = throttle.storage
        self.limiter = MovingWindowRateLimiter(throttle.storage)
        self._secret, self._key_secret = derive_keys(master_key)
        window = rule.window_seconds
        self._count: RateLimitItem = RateLimitItemPerSecond(10**9, window)
        self._free_addr: RateLimitItem = RateLimitItemPerSecond(rule.free_per_address, window)
        self._free_net: RateLimitItem = RateLimitItemPerSecond(rule.free_per_network, window)

    # Counting ---------------------------------------------------------------------

    async def steps(self, address: str) -> Steps:
        async def used(key: str) -> int:
            stats = await self.limiter.get_window_stats(self._count, _STEPS, key)
            return self._count.amount - stats.remaining

        return Steps(await used("a:" + address), await used("n:" + network_of(address)))

    async def count(self, address: str) -> None:
        """Records one anonymous step the client took (after it was let through)."""
        await self.limiter.hit(self._count, _STEPS, "a:" + address)
        await self.limiter.hit(self._count, _STEPS, "n:" + network_of(address))

    async def take_free(self, address: str) -> bool:
        """Takes one step of the free allowance; False when the client has none left.

        The address is tested before the network is charged, so a refused step costs
        the network's allowance nothing."""
        if not self.enabled:
            return True
        net = network_of(address)
        if not await self.limiter.test(self._free_net, _FREE, "n:" + net):
            return False
        if not await self.limiter.hit(self._free_addr, _FREE, "a:" + address):
            return False
        return await self.limiter.hit(self._free_net, _FREE, "n:" + net)

    async def max_number(self, address: str) -> int:
        steps = await self.steps(address)
        return self.rule.max_number(steps.address, steps.network)

    async def required(self, address: str) -> int:
        """The smallest challenge the client's next step must carry (0: none)."""
        if not self.enabled:
            return 0
        steps = await self.steps(address)
        return self.rule.required(steps.address, steps.network)

    # Challenges -------------------------------------------------------------------

    def make(self, max_number: int, now: float | None = None) -> dict[str, Any]:
        """A challenge of the given size, as the ALTCHA widget (v3) reads it."""
        expires = int((now or time.time()) + self.rule.ttl_seconds)
        made = altcha.create_challenge(
            ALGORITHM, 1, counter=secrets.randbelow(max(1, max_number)),
            expires_at=expires, data={"maxNumber": max_number},
            hmac_secret=self._secret, hmac_key_secret=self._key_secret)
        out: dict[str, Any] = made.to_dict()
        return out

    async def issue(self, address: str) -> dict[str, Any]:
        """A challenge sized for the client's next step."""
        return self.make(await self.max_number(address))

    async def redeem(self, encoded: str, required: int) -> int:
        """Checks a solved payload and spends it; returns its size.

        Raises ChallengeInvalid (malformed, forged, tampered, wrong, or smaller than
        `required`), ChallengeExpired, or ChallengeUsed (spent before, on any worker).
        """
        challenge, solution = _decode(encoded)
        result = altcha.verify_solution(encoded, self._secret,
                                        hmac_key_secret=self._key_secret)
        if result.expired:
            raise ChallengeExpired()
        if not result.verified:
            raise ChallengeInvalid()
        spent_key = f"{_SPENT}:{challenge['signature']}"
        if await self.storage.get(spent_key):  # say "used" rather than "too easy now"
            raise ChallengeUsed()
        params = challenge["parameters"]
        data = params.get("data")
        size = data.get("maxNumber") if isinstance(data, dict) else None
        if params.get("algorithm") != ALGORITHM or not isinstance(size, int) or \
                size < required or not _counter_matches(params, solution):
            raise ChallengeInvalid()
        expires = params.get("expiresAt")
        ttl = max(1, int(expires - time.time()) + 1) if isinstance(expires, int) else \
            self.rule.ttl_seconds
        if await self.storage.incr(spent_key, ttl) != 1:  # the one atomic referee
            raise ChallengeUsed()
        return size


def _counter_matches(params: dict[str, Any], solution: dict[str, Any]) -> bool:
    """The library's fast check trusts the signed derived key; one hash more checks that
    the counter sent is the one that gives it (so the payload says what was done)."""
    counter = solution.get("counter")
    if type(counter) is not int or not 0 <= counter <= 0xFFFFFFFF:
        return False
    try:
        data = bytes.fromhex(params["salt"]) + bytes.fromhex(params["nonce"])
    except (KeyError, TypeError, ValueError):
        return False
    key = hashlib.sha256(data + counter.to_bytes(4, "big")).hexdigest()
    return hmac.compare_digest(key, str(solution.get("derivedKey", "")))


def _decode(encoded: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The payload's challenge and solution, or ChallengeInvalid; the library re-reads
    it to verify."""
    if not encoded or len(encoded) > MAX_PAYLOAD:
        raise ChallengeInvalid()
    try:
        data = json.loads(base64.b64decode(encoded, validate=True).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ChallengeInvalid() from exc
    if not isinstance(data, dict) or not isinstance(data.get("challenge"), dict):
        raise ChallengeInvalid()
    challenge: dict[str, Any] = data["challenge"]
    solution = data.get("solution")
    if not isinstance(challenge.get("parameters"), dict) or \
            not isinstance(challenge.get("signature"), str) or not isinstance(solution, dict):
        raise ChallengeInvalid()
    return challenge, solution


def solve(challenge: dict[str, Any], limit: float = 120.0) -> str:
    """Solves a challenge the way a client does (for tests, the bench and API clients
    written in Python): the base64 payload to send back."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=limit)
    if solution is None:
        raise TimeoutError("challenge not solved in time")
    return altcha.Payload(parsed, solution).to_base64()
