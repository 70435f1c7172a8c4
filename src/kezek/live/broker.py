"""The broker contract, the subscription handle, and the in-process broker.

Publishers and subscribers see only :class:`Broker`, so the same SSE endpoint
and the same application service work whether one process serves everything
(in-process broker) or N workers share Redis (:class:`~kezek.live.redis_broker.
RedisBroker`). :func:`make_broker` chooses from ``KEZEK_REDIS_URL``.

Messages are JSON objects. **Publishers must not put an IIN (or a name, phone
number or any other personal data) into a message**: topics feed public lobby
screens and cross Redis. The broker does not inspect messages for this; the
rule is the publishers', and their tests', to keep.
"""

from __future__ import annotations

from typing import Protocol

from kezek.live.fanout import Fanout, Mailbox, Message, check_topic, decode, encode
from kezek.live.subscription import DEFAULT_QUEUE_SIZE, Subscription

__all__ = [
    "DEFAULT_QUEUE_SIZE",
    "Broker",
    "InProcessBroker",
    "Message",
    "Subscription",
    "make_broker",
]

class Broker(Protocol):
    """Publish/subscribe of live messages by topic (e.g. ``"center:5"``, ``"counter:12"``)."""

    async def publish(self, topic: str, message: Message) -> None:
        """Send a JSON object to every current subscriber of ``topic``; never an IIN."""
        ...

    def subscribe(self, topic: str) -> Subscription:
        """A subscription to ``topic``; it takes effect when entered with ``async with``."""
        ...

    async def close(self) -> None:
        """Stop: open subscriptions end their iteration, resources are released.

        Publishing or entering a subscription afterwards raises ``RuntimeError``.
        """
        ...


class InProcessBroker:
    """Fan-out inside one event loop: for one worker, tests, and ``make run``.

    ``publish`` puts the message into each subscriber's bounded mailbox and
    returns without awaiting any of them, so a request that publishes is never
    held up by a slow screen. The message goes through the same JSON encoding
    as with Redis, which gives each publish its own copy (later changes to the
    publisher's dict do not leak) and rejects what Redis could not carry. Not
    thread-safe: use it from the event loop it serves.
    """

    def __init__(self, *, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        if queue_size < 1:
            raise ValueError("queue_size must be at least 1")
        self._queue_size = queue_size
        self._fanout = Fanout()
        self._closed = False

    async def publish(self, topic: str, message: Message) -> None:
        check_topic(topic)
        self._check_open()
        self._fanout.deliver(topic, decode(encode(message)))

    def subscribe(self, topic: str) -> Subscription:
        check_topic(topic)
        return Subscription(topic, Mailbox(self._queue_size), self._attach, self._detach)

    def subscriber_count(self, topic: str) -> int:
        """How many subscriptions are open on ``topic`` (for tests and metrics)."""
        return self._fanout.count(topic)

    async def close(self) -> None:
        self._closed = True
        self._fanout.close()

    async def _attach(self, sub: Subscription) -> None:
        self._check_open()
        self._fanout.add(sub.topic, sub.mailbox)

    def _detach(self, sub: Subscription) -> None:
        self._fanout.remove(sub.topic, sub.mailbox)

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the broker is closed")


def make_broker(redis_url: str | None) -> Broker:
    """Redis when a URL is configured (several workers), otherwise in-process.

    Reads nothing itself: pass ``settings.redis_url`` (``KEZEK_REDIS_URL``).
    Creating a :class:`RedisBroker` opens no connection; the first publish or
    subscription does, so startup does not fail while Redis is still starting.
    """
    if redis_url:
        from kezek.live.redis_broker import RedisBroker

        return RedisBroker(redis_url)
    return InProcessBroker()
