"""RedisBroker against a real Redis: across workers, one subscription per topic, reconnects."""

from __future__ import annotations

import asyncio
import shutil
import signal
import socket
import subprocess
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, contextmanager
from typing import Any

import pytest
import redis.asyncio

from kezek.live import Message, RedisBroker, Subscription
from tests.live.conftest import need
from tests.live.helpers import nothing_within, recv

MakeBroker = Callable[..., RedisBroker]


async def numsub(admin: redis.asyncio.Redis, channel: str) -> int:
    """How many Redis connections are subscribed to ``channel``."""
    [(_, count)] = await admin.pubsub_numsub(channel)
    return int(count)


async def numsub_is(admin: redis.asyncio.Redis, channel: str, expected: int) -> bool:
    return await numsub(admin, channel) == expected


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 3.0) -> None:
    """Wait for a check to hold (Redis-side effects are asynchronous)."""
    async with asyncio.timeout(timeout):
        while not await check():
            await asyncio.sleep(0.02)


async def publish_until_heard(
    publisher: RedisBroker, sub: Subscription, topic: str, timeout: float = 5.0
) -> Message:
    """Publish numbered messages until the subscriber hears one (after a reconnect)."""
    async with asyncio.timeout(timeout):
        n = 0
        while True:
            await publisher.publish(topic, {"event": "after", "n": n})
            try:
                return await recv(sub, 0.1)
            except TimeoutError:
                n += 1


async def test_message_crosses_workers(make_redis_broker: MakeBroker) -> None:
    worker_a, worker_b = make_redis_broker(), make_redis_broker()
    async with (
        worker_b.subscribe("center:5") as on_b,
        worker_a.subscribe("center:5") as on_a,
        worker_b.subscribe("center:6") as other,
    ):
        assert worker_b.is_live("center:5")
        await worker_a.publish("center:5", {"event": "called", "ticket": "A-042"})
        assert await recv(on_b) == {"event": "called", "ticket": "A-042"}
        assert await recv(on_a) == {"event": "called", "ticket": "A-042"}
        assert await nothing_within(other)
        for n in range(50):
            await worker_a.publish("center:5", {"n": n})
        assert [(await recv(on_b))["n"] for _ in range(50)] == list(range(50))
    assert worker_a.publish_failures == 0


async def test_thousand_local_subscribers_share_one_redis_subscription(
    make_redis_broker: MakeBroker, admin: redis.asyncio.Redis
) -> None:
    publisher, worker = make_redis_broker(), make_redis_broker()
    channel = worker.channel("center:5")
    async with AsyncExitStack() as stack:
        subs = [await stack.enter_async_context(worker.subscribe("center:5")) for _ in range(1000)]
        assert worker.subscriber_count("center:5") == 1000
        assert await numsub(admin, channel) == 1  # one Redis subscription for 1,000 screens
        await publisher.publish("center:5", {"event": "called", "ticket": "B-007"})
        got = await asyncio.wait_for(asyncio.gather(*(anext(sub) for sub in subs)), 5)
        assert got == [{"event": "called", "ticket": "B-007"}] * 1000
        assert all(sub.dropped == 0 for sub in subs)
    # The last local subscriber leaving unsubscribes this process from Redis.
    assert worker.subscriber_count("center:5") == 0
    await eventually(lambda: numsub_is(admin, channel, 0))


async def test_resubscribe_after_last_left(
    make_redis_broker: MakeBroker, admin: redis.asyncio.Redis
) -> None:
    """Leaving and coming back at once must not race the UNSUBSCRIBE."""
    publisher, worker = make_redis_broker(), make_redis_broker()
    for round_ in range(5):
        async with worker.subscribe("center:5") as sub:
            await publisher.publish("center:5", {"round": round_})
            assert await recv(sub) == {"round": round_}
    await eventually(lambda: numsub_is(admin, worker.channel("center:5"), 0))


async def test_foreign_garbage_on_the_channel_is_ignored(
    make_redis_broker: MakeBroker, admin: redis.asyncio.Redis
) -> None:
    worker = make_redis_broker()
    async with worker.subscribe("center:5") as sub:
        await admin.publish(worker.channel("center:5"), b"not json")
        await admin.publish(worker.channel("center:5"), b"[1, 2]")
        await admin.publish(worker.channel("center:5"), b'{"ok": true}')
        assert await recv(sub) == {"ok": True}
        assert sub.pending == 0


async def test_reconnects_after_the_subscriber_connection_is_killed(
    make_redis_broker: MakeBroker, admin: redis.asyncio.Redis
) -> None:
    publisher, worker = make_redis_broker(), make_redis_broker()
    async with worker.subscribe("center:5") as sub:
        await publisher.publish("center:5", {"event": "before"})
        assert await recv(sub) == {"event": "before"}
        name = f"{worker.client_name}-sub"
        [killed] = [c["id"] for c in await admin.client_list() if c.get("name") == name]
        assert await admin.client_kill_filter(_id=killed) == 1

        heard = await publish_until_heard(publisher, sub, "center:5")
        assert heard["event"] == "after"
        assert sub.interruptions == 1
        assert worker.links_lost == 1
        now = [c["id"] for c in await admin.client_list() if c.get("name") == name]
        assert len(now) == 1 and now[0] != killed
        assert await numsub(admin, worker.channel("center:5")) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def _redis_server(port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A private, throwaway redis-server that this test may stop and start."""
    binary = shutil.which("redis-server")
    if binary is None:
        need("redis-server is not installed")
        raise AssertionError  # unreachable: need() skips or fails
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(5)


async def _wait_ready(url: str) -> None:
    client = redis.asyncio.Redis.from_url(url)
    try:
        async with asyncio.timeout(5):
            while True:
                try:
                    if await client.ping():
                        return
                except (redis.RedisError, OSError):
                    await asyncio.sleep(0.02)
    finally:
        await client.aclose()


async def test_boards_survive_a_redis_restart(prefix: str) -> None:
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    options: dict[str, Any] = {"prefix": prefix, "reconnect_min": 0.05, "reconnect_max": 0.5}
    with _redis_server(port) as server:
        await _wait_ready(url)
        publisher, worker = RedisBroker(url, **options), RedisBroker(url, **options)
        try:
            async with worker.subscribe("center:5") as sub:
                await publisher.publish("center:5", {"event": "before"})
                assert await recv(sub) == {"event": "before"}

                server.terminate()
                server.wait(5)

                async def down() -> bool:
                    return not worker.is_live("center:5")

                await eventually(down)
                # While Redis is down: publishing neither raises nor blocks for long.
                async with asyncio.timeout(3):
                    await publisher.publish("center:5", {"event": "lost"})
                assert publisher.publish_failures == 1
                await asyncio.sleep(0.3)  # reconnect attempts fail meanwhile
                assert worker.connect_failures >= 1

                with _redis_server(port):
                    await _wait_ready(url)
                    heard = await publish_until_heard(publisher, sub, "center:5")
                    assert heard["event"] == "after"
                    assert sub.interruptions == 1
                    assert worker.is_live("center:5")
        finally:
            await publisher.close()
            await worker.close()


async def test_silently_dead_redis_is_noticed_by_ping(prefix: str) -> None:
    """A frozen server (no FIN, no RST) is caught by the unanswered PING, then rejoined."""
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    options: dict[str, Any] = {
        "prefix": prefix,
        "ping_interval": 0.1,
        "connect_timeout": 0.2,
        "reconnect_min": 0.05,
        "reconnect_max": 0.2,
    }
    with _redis_server(port) as server:
        await _wait_ready(url)
        publisher, worker = RedisBroker(url, **options), RedisBroker(url, **options)
        try:
            async with worker.subscribe("center:5") as sub:
                await publisher.publish("center:5", {"event": "before"})
                assert await recv(sub) == {"event": "before"}

                server.send_signal(signal.SIGSTOP)
                try:

                    async def noticed() -> bool:
                        return worker.links_lost >= 1

                    await eventually(noticed, timeout=2)
                    assert sub.interruptions == 1
                    assert not worker.is_live("center:5")
                finally:
                    server.send_signal(signal.SIGCONT)

                heard = await publish_until_heard(publisher, sub, "center:5")
                assert heard["event"] == "after"
                assert worker.is_live("center:5")
        finally:
            await publisher.close()
            await worker.close()


async def test_unreachable_redis_neither_raises_nor_hangs() -> None:
    """No Redis at all (no server needed): screens open late, publishes are counted."""
    url = f"redis://127.0.0.1:{_free_port()}/0"
    broker = RedisBroker(url, confirm_timeout=0.3, reconnect_min=0.02, reconnect_max=0.05)
    try:
        async with asyncio.timeout(2):
            async with broker.subscribe("center:5") as sub:
                assert not broker.is_live("center:5")
                assert broker.subscriber_count("center:5") == 1
                await broker.publish("center:5", {"n": 1})
                assert broker.publish_failures == 1
                assert broker.connect_failures >= 2  # retried with backoff, still trying
                assert sub.pending == 0
    finally:
        async with asyncio.timeout(2):
            await broker.close()
    with pytest.raises(RuntimeError):
        await broker.publish("center:5", {"n": 2})


async def test_close_releases_a_subscriber_still_waiting_for_redis() -> None:
    """Shutdown must not hang on, or cancel, a board that is still entering."""
    url = f"redis://127.0.0.1:{_free_port()}/0"
    broker = RedisBroker(url, confirm_timeout=30, reconnect_min=0.02, reconnect_max=0.05)
    got: list[Message] = []
    entered = asyncio.Event()

    async def board() -> None:
        async with broker.subscribe("center:5") as sub:
            entered.set()
            async for message in sub:
                got.append(message)

    task = asyncio.create_task(board())
    await asyncio.sleep(0.1)
    assert not entered.is_set()  # still waiting for Redis to confirm
    async with asyncio.timeout(2):
        await broker.close()
        await task  # entered, and its iteration ended: no CancelledError
    assert entered.is_set()
    assert got == []
    assert broker.subscriber_count("center:5") == 0
