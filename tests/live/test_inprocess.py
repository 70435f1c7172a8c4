"""InProcessBroker: fan-out, isolation, unsubscribe, slow subscribers, order, lifecycle."""

from __future__ import annotations

import asyncio

import pytest

from kezek.live import (
    DEFAULT_QUEUE_SIZE,
    InProcessBroker,
    Message,
    RedisBroker,
    Subscription,
    make_broker,
)
from kezek.live.fanout import Mailbox
from tests.live.helpers import nothing_within, recv


async def test_fan_out_reaches_every_subscriber_of_the_topic() -> None:
    broker = InProcessBroker()
    async with (
        broker.subscribe("center:5") as one,
        broker.subscribe("center:5") as two,
        broker.subscribe("center:5") as three,
    ):
        assert broker.subscriber_count("center:5") == 3
        await broker.publish("center:5", {"event": "called", "ticket": "A-042", "counter": 3})
        for sub in (one, two, three):
            assert await recv(sub) == {"event": "called", "ticket": "A-042", "counter": 3}
            assert sub.pending == 0


async def test_topics_are_isolated() -> None:
    broker = InProcessBroker()
    async with (
        broker.subscribe("center:5") as five,
        broker.subscribe("center:50") as fifty,
        broker.subscribe("counter:5") as counter,
    ):
        await broker.publish("center:5", {"n": 1})
        assert await recv(five) == {"n": 1}
        assert await nothing_within(fifty)
        assert await nothing_within(counter)
        await broker.publish("center:50", {"n": 2})
        assert await recv(fifty) == {"n": 2}
        assert await nothing_within(five)


async def test_exit_unsubscribes_and_ends_iteration() -> None:
    broker = InProcessBroker()
    sub = broker.subscribe("center:5")
    assert broker.subscriber_count("center:5") == 0  # nothing until entered
    async with sub:
        assert broker.subscriber_count("center:5") == 1
    assert broker.subscriber_count("center:5") == 0
    await broker.publish("center:5", {"n": 1})
    assert sub.pending == 0
    with pytest.raises(StopAsyncIteration):
        await anext(sub)


async def test_cancelled_reader_unsubscribes() -> None:
    """An SSE client going away cancels its task: the subscription must not leak."""
    broker = InProcessBroker()
    entered = asyncio.Event()
    got: list[Message] = []

    async def screen() -> None:
        async with broker.subscribe("center:5") as sub:
            entered.set()
            async for message in sub:
                got.append(message)

    task = asyncio.create_task(screen())
    await entered.wait()
    await broker.publish("center:5", {"n": 1})
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert got == [{"n": 1}]
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert broker.subscriber_count("center:5") == 0


async def test_slow_subscriber_drops_oldest_and_publisher_never_waits() -> None:
    broker = InProcessBroker(queue_size=10)
    async with broker.subscribe("center:5") as slow, broker.subscribe("center:5") as fast:
        received: list[int] = []
        reader = asyncio.create_task(_collect(fast, received, 25))
        # 25 publishes with nobody reading `slow`; `fast` reads whenever the publisher
        # yields. The publishes complete regardless of `slow`.
        async with asyncio.timeout(1):
            for n in range(25):
                await broker.publish("center:5", {"n": n})
                await asyncio.sleep(0)
        assert slow.pending == 10
        assert slow.dropped == 15
        assert [(await recv(slow))["n"] for _ in range(10)] == list(range(15, 25))
        await asyncio.wait_for(reader, 2)
        assert received == list(range(25))
        assert fast.dropped == 0


async def _collect(sub: Subscription, into: list[int], count: int) -> None:
    while len(into) < count:
        into.append((await anext(sub))["n"])


async def test_publish_does_not_suspend_the_publisher() -> None:
    """The publish coroutine finishes in one step: no await on any subscriber."""
    broker = InProcessBroker(queue_size=1)
    async with broker.subscribe("center:5") as sub:
        coro = broker.publish("center:5", {"n": 1})
        with pytest.raises(StopIteration):
            coro.send(None)
        assert sub.pending == 1


async def test_order_is_preserved_per_subscriber() -> None:
    broker = InProcessBroker()
    results: list[list[int]] = [[] for _ in range(5)]
    subs = [broker.subscribe("center:5") for _ in range(5)]
    for sub in subs:
        await sub.__aenter__()
    readers = [asyncio.create_task(_collect(s, r, 500)) for s, r in zip(subs, results, strict=True)]
    for n in range(500):
        await broker.publish("center:5", {"n": n})
        if n % 7 == 0:
            await asyncio.sleep(0)  # let readers interleave with the publisher
    await asyncio.wait_for(asyncio.gather(*readers), 5)
    for sub in subs:
        await sub.__aexit__(None, None, None)
    assert all(r == list(range(500)) for r in results)


async def test_messages_are_json_copies() -> None:
    broker = InProcessBroker()
    async with broker.subscribe("center:5") as sub:
        message: Message = {"ticket": "A-1", "counters": [1, 2]}
        await broker.publish("center:5", message)
        message["counters"].append(3)
        assert await recv(sub) == {"ticket": "A-1", "counters": [1, 2]}
        with pytest.raises(TypeError):
            await broker.publish("center:5", {"bad": {1, 2}})
        with pytest.raises(TypeError):
            await broker.publish("center:5", ["not", "an", "object"])  # type: ignore[arg-type]
        assert sub.pending == 0


async def test_wait_with_timeout_loses_no_message() -> None:
    """SSE keep-alives time out the wait for a message; that must not eat one."""
    broker = InProcessBroker()
    async with broker.subscribe("center:5") as sub:
        for _ in range(3):
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(anext(sub), 0.01)
        await broker.publish("center:5", {"n": 1})
        assert await recv(sub) == {"n": 1}


async def test_close_ends_subscriptions_and_refuses_more() -> None:
    broker = InProcessBroker()
    async with broker.subscribe("center:5") as sub:
        await broker.publish("center:5", {"n": 1})
        done: list[Message] = []

        async def drain() -> None:
            async for message in sub:
                done.append(message)

        task = asyncio.create_task(drain())
        await asyncio.sleep(0)
        await broker.close()
        await asyncio.wait_for(task, 1)  # iteration ended by itself
        assert done == [{"n": 1}]
    with pytest.raises(RuntimeError):
        await broker.publish("center:5", {"n": 2})
    with pytest.raises(RuntimeError):
        async with broker.subscribe("center:5"):
            pass


async def test_subscription_misuse_is_refused() -> None:
    broker = InProcessBroker()
    sub = broker.subscribe("center:5")
    with pytest.raises(RuntimeError):
        await anext(sub)
    async with sub:
        pass
    with pytest.raises(RuntimeError):
        await sub.__aenter__()
    with pytest.raises(ValueError):
        broker.subscribe("")


def test_mailbox_bounds() -> None:
    box = Mailbox(2)
    for n in range(5):
        box.put({"n": n})
    assert len(box) == 2
    assert box.dropped == 3
    with pytest.raises(ValueError):
        Mailbox(0)


async def test_make_broker_chooses_by_url() -> None:
    local = make_broker(None)
    assert isinstance(local, InProcessBroker)
    assert isinstance(make_broker(""), InProcessBroker)
    remote = make_broker("redis://127.0.0.1:6379/0")
    assert isinstance(remote, RedisBroker)  # opens no connection until used
    assert remote.channel("center:5") == "kezek:center:5"
    await remote.close()
    await local.close()
    assert DEFAULT_QUEUE_SIZE == 1000
