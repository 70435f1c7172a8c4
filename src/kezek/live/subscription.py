"""The subscription handle both brokers hand out, and how far a subscriber may lag.

Kept apart from broker.py, which picks the Redis broker in `make_broker`: the Redis
broker builds its subscriptions from this module, so the two import each other no more.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

from kezek.live.fanout import Mailbox, Message

__all__ = ["DEFAULT_QUEUE_SIZE", "Subscription"]

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
