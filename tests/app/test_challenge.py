"""Challenges: made, solved by a client written from the protocol, spent once (in one
process and across workers sharing Redis), refused when forged, tampered, expired or
too easy; the free allowance and the step counts."""

from __future__ import annotations

import base64
import json
import secrets
import time
from typing import Any

import pytest
from limits.aio.storage import MemoryStorage

from kezek.app.challenge import Challenges, solve
from kezek.app.throttle import Throttle, make_throttle
from kezek.core.pow import ChallengeExpired, ChallengeInvalid, ChallengeUsed, PowRule
from tests.live.conftest import redis_url
from tests.pow_client import decode, encode
from tests.pow_client import solve as client_solve

__all__ = ["redis_url"]  # the fixture, used by name

KEY = "challenge-test-key-0123456789abcdef"
RULE = PowRule(free_per_address=2, free_per_network=100, base=2000, ceiling=16_000, floor=50)


def challenges(rule: PowRule = RULE, key: str = KEY) -> Challenges:
    return Challenges(Throttle(MemoryStorage()), key, rule)


def address() -> str:
    return f"198.51.100.{secrets.randbelow(250) + 1}"


def reencode(payload: str, change: Any) -> str:
    body = decode(payload)
    change(body)
    return base64.b64encode(json.dumps(body).encode()).decode()


async def test_a_solved_challenge_is_accepted_once() -> None:
    c = challenges()
    payload = client_solve(c.make(5000))
    assert await c.redeem(payload, 5000) == 5000
    with pytest.raises(ChallengeUsed):
        await c.redeem(payload, 0)


async def test_the_library_s_solver_and_ours_agree() -> None:
    c = challenges()
    challenge = c.make(3000)
    ours, theirs = decode(client_solve(challenge)), decode(solve(challenge))
    assert ours["solution"]["counter"] == theirs["solution"]["counter"]
    assert ours["solution"]["derivedKey"] == theirs["solution"]["derivedKey"]


async def test_a_solution_is_spent_for_every_worker_sharing_redis(redis_url: str) -> None:
    one = Challenges(make_throttle(redis_url), KEY, RULE)
    two = Challenges(make_throttle(redis_url), KEY, RULE)
    payload = client_solve(one.make(2000))
    await two.redeem(payload, 0)
    with pytest.raises(ChallengeUsed):
        await one.redeem(payload, 0)


async def test_an_expired_challenge_is_refused() -> None:
    c = challenges()
    payload = client_solve(c.make(1000, now=time.time() - RULE.ttl_seconds - 5))
    with pytest.raises(ChallengeExpired):
        await c.redeem(payload, 0)


@pytest.mark.parametrize("tamper", [
    lambda b: b["challenge"]["parameters"]["data"].update(maxNumber=10**9),
    lambda b: b["challenge"]["parameters"].update(expiresAt=int(time.time()) + 10**6),
    lambda b: b["challenge"]["parameters"].update(keyPrefix="00"),
    lambda b: b["challenge"].update(signature="0" * 64),
    lambda b: b["solution"].update(derivedKey="ab" * 32),
    lambda b: b["solution"].update(counter=b["solution"]["counter"] + 1),
], ids=["size", "expiry", "prefix", "signature", "key", "counter"])
async def test_a_tampered_payload_is_refused_and_not_spent(tamper: Any) -> None:
    c = challenges()
    payload = client_solve(c.make(2000))
    with pytest.raises(ChallengeInvalid):
        await c.redeem(reencode(payload, tamper), 0)
    assert await c.redeem(payload, 0) == 2000  # the genuine one still works


async def test_a_challenge_signed_with_another_key_is_refused() -> None:
    payload = client_solve(challenges(key="another-key-0123456789abcdefghij").make(500))
    with pytest.raises(ChallengeInvalid):
        await challenges().redeem(payload, 0)


async def test_a_guess_without_the_work_is_refused() -> None:
    c = challenges()
    challenge = c.make(10_000)
    with pytest.raises(ChallengeInvalid):
        await c.redeem(encode(challenge, 0, "00" * 32), 0)


async def test_a_challenge_smaller_than_the_rate_requires_is_refused() -> None:
    c = challenges()
    payload = client_solve(c.make(1000))
    with pytest.raises(ChallengeInvalid):
        await c.redeem(payload, 2000)


@pytest.mark.parametrize("garbage", ["", "not base64!", base64.b64encode(b"[1]").decode(),
                                     base64.b64encode(b'{"challenge": 1}').decode(),
                                     "A" * 5000])
async def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(ChallengeInvalid):
        await challenges().redeem(garbage, 0)


async def test_the_free_allowance_then_a_challenge_that_doubles() -> None:
    c, where = challenges(), address()
    assert [await c.take_free(where) for _ in range(3)] == [True, True, False]
    sizes = []
    for _ in range(5):
        sizes.append(await c.required(where))
        await c.count(where)
    assert sizes == [0, 0, 2000, 4000, 8000]
    assert (await c.issue(where))["parameters"]["data"]["maxNumber"] == 16_000
    # Another address of the same network is not this one's count.
    assert await c.required("198.51.101.7") == 0


async def test_steps_are_counted_across_workers_sharing_redis(redis_url: str) -> None:
    rule = PowRule(free_per_address=1, free_per_network=1000, base=100, floor=10)
    one = Challenges(make_throttle(redis_url), KEY, rule)
    two = Challenges(make_throttle(redis_url), KEY, rule)
    where = f"203.0.113.{secrets.randbelow(250) + 1}-{secrets.token_hex(4)}"
    await one.count(where)
    await two.count(where)
    assert await one.required(where) == 200
    assert await two.take_free(where) is True
    assert await one.take_free(where) is False


async def test_switched_off_nothing_is_required() -> None:
    c = Challenges(Throttle(MemoryStorage()), KEY, RULE, enabled=False)
    for _ in range(10):
        assert await c.take_free("192.0.2.1")
        await c.count("192.0.2.1")
    assert await c.required("192.0.2.1") == 0
