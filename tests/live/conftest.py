"""Fixtures for the live broker: a reachable Redis, a private channel prefix, brokers.

Every run uses its own channel prefix, so runs (and other projects on the same
Redis) never hear each other. Without Redis the Redis tests are skipped with the
reason; under CI a missing Redis is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import redis
import redis.asyncio

from kezek.live import RedisBroker

REDIS_URL = os.environ.get("KEZEK_TEST_REDIS", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(problem: str) -> None:
    """Skip for a missing server, except under CI, where it must be there."""
    if IN_CI:
        pytest.fail(f"CI needs this: {problem}")
    pytest.skip(problem)


@pytest.fixture(scope="session")
def redis_url() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        need(f"Redis at {REDIS_URL} not reachable: {exc}")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def prefix() -> str:
    return f"kezek-test-{uuid.uuid4().hex}:"


@pytest.fixture
async def admin(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
async def make_redis_broker(
    redis_url: str, prefix: str
) -> AsyncIterator[Callable[..., RedisBroker]]:
    """Brokers as separate workers would have them, sharing this test's prefix."""
    made: list[RedisBroker] = []

    def make(url: str | None = None, **options: Any) -> RedisBroker:
        options.setdefault("prefix", prefix)
        options.setdefault("reconnect_min", 0.05)
        options.setdefault("reconnect_max", 0.5)
        broker = RedisBroker(url or redis_url, **options)
        made.append(broker)
        return broker

    yield make
    for broker in made:
        await broker.close()
