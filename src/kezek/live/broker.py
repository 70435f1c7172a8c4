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

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Protocol, Self

from kezek.live.fanout import Fanout, Mailbox, Message, check_topic, decode, encode

__all__ = [
    "DEFAULT_QUEUE_SIZE",
    "Broker",
    "InProcessBroker",
    "Message",
    "Subscription",
    "make_broker",
]

DEFAULT_QUEUE_SIZE = 1000
"""Messages a subscriber may fall behind before its oldest are dropped."""

_NEW, _OPEN, _CLOSED = "new", "open", "closed"


class Subscription:
    """One subscriber's view of a topic: ``async with`` it, then ``async for`` over it.

    ::

        async with broker.subscribe("center:5") as sub:
            async for message in sub:
                ...

    Registration happens on entry, not in :meth:`Broker.subscribe`, so that a
    subscription is always paired with its removal on exit, even when the SSE
    client goes away and the task is cancelled. Once entered, every message
    published to the topic afterwards is delivered (Redis: once Redis has
    confirmed the subscription; entry waits for that). Iteration ends when the
    broker closes. Messages are shared between subscribers: treat them as
    read-only.
    """

    __slots__ = ("_attach", "_detach", "_mailbox", "_state", "topic")

    def __init__(
        self,
        topic: str,
        mailbox: Mailbox,
        attach: Callable[[Subscription], Awaitable[None]],
        detach: Callable[[Subscription], None],
    ) -> None:
        self.topic = topic
        self._mailbox = mailbox
        self._attach = attach
        self._detach = detach
        self._state = _NEW

    @property
    def mailbox(self) -> Mailbox:
        """The bounded queue behind this subscription (for the brokers)."""
        return self._mailbox

    @property
    def dropped(self) -> int:
        """Messages lost because this subscriber read too slowly (oldest first)."""
        return self._mailbox.dropped

    @property
    def interruptions(self) -> int:
        """Times the Redis feed broke while subscribed; messages may have been lost."""
        return self._mailbox.interruptions

    @property
    def pending(self) -> int:
        """Messages queued and not yet read."""
        return len(self._mailbox)

    async def __aenter__(self) -> Self:
        if self._state != _NEW:
            raise RuntimeError("a Subscription can be entered only once")
        await self._attach(self)  # on failure the broker has already cleaned up
        self._state = _OPEN
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._state == _OPEN:
            self._state = _CLOSED
            self._detach(self)
            self._mailbox.close()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Message:
        if self._state == _NEW:
            raise RuntimeError("enter the subscription with 'async with' before iterating")
        message = await self._mailbox.get()
        if message is None:
            raise StopAsyncIteration
        return message


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
