"""The local half of every broker: bounded per-subscriber mailboxes and the fan-out to them.

Both brokers end in the same place: a message for a topic is put into the mailbox
of every subscriber of that topic in this process. Keeping that here means the
in-process broker and the Redis broker treat slow screens identically.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterator
from typing import Any

import orjson

Message = dict[str, Any]
"""A live message: a JSON object. Never an IIN or other personal data in it."""


def encode(message: Message) -> bytes:
    """Serialise a message, refusing anything that is not a JSON object.

    Both brokers call this, so a message that Redis could not carry (a datetime
    inside a set, a non-string key) fails in development with the in-process
    broker too, not first in production.
    """
    if not isinstance(message, dict):
        raise TypeError(f"a live message must be a dict, not {type(message).__name__}")
    return orjson.dumps(message)


def decode(payload: bytes | str) -> Message:
    """Parse a message; raises ``ValueError`` unless it is a JSON object."""
    value = orjson.loads(payload)
    if not isinstance(value, dict):
        raise ValueError(f"a live message must be a JSON object, not {type(value).__name__}")
    return value


def check_topic(topic: str) -> None:
    """Refuse an empty or non-string topic early, at the call that made it."""
    if not isinstance(topic, str) or not topic:
        raise ValueError("a topic is a non-empty string")


class Mailbox:
    """One subscriber's bounded queue: full means the *oldest* message goes.

    The publisher (a request handler, or the Redis reader serving a thousand
    screens) must never wait for the slowest phone on the worst network. A board
    that has fallen 1,000 messages behind wants the newest state, not the oldest,
    so overflow drops from the head and counts it in :attr:`dropped`; the screen
    can then reload. Getting is cancellation-safe: a message is taken off the
    queue only by a ``get`` that returns it, so ``asyncio.wait_for(sub.__anext__(),
    15)`` for SSE keep-alives loses nothing.
    """

    __slots__ = ("_closed", "_items", "_maxsize", "_ready", "dropped", "interruptions")

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("a mailbox holds at least one message")
        self._items: deque[Message] = deque()
        self._maxsize = maxsize
        self._ready = asyncio.Event()
        self._closed = False
        self.dropped = 0
        """Messages this subscriber lost because it read too slowly."""
        self.interruptions = 0
        """Times the upstream feed (Redis) broke while subscribed: messages may be lost."""

    def put(self, message: Message) -> None:
        """Queue a message without ever waiting; on overflow drop the oldest."""
        if self._closed:
            return
        if len(self._items) >= self._maxsize:
            self._items.popleft()
            self.dropped += 1
        self._items.append(message)
        self._ready.set()

    def close(self) -> None:
        """End the stream: :meth:`get` drains what is queued, then returns ``None``."""
        self._closed = True
        self._ready.set()

    def __len__(self) -> int:
        return len(self._items)

    async def get(self) -> Message | None:
        """The next message, waiting if there is none; ``None`` once closed and drained."""
        while not self._items:
            if self._closed:
                return None
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()


class Fanout:
    """Which mailboxes listen to which topic, in this process."""

    __slots__ = ("_boxes",)

    def __init__(self) -> None:
        self._boxes: dict[str, set[Mailbox]] = {}

    def add(self, topic: str, box: Mailbox) -> bool:
        """Register a mailbox; True when it is the topic's first (subscribe upstream)."""
        boxes = self._boxes.setdefault(topic, set())
        boxes.add(box)
        return len(boxes) == 1

    def remove(self, topic: str, box: Mailbox) -> bool:
        """Forget a mailbox; True when the topic has none left (unsubscribe upstream)."""
        boxes = self._boxes.get(topic)
        if boxes is None or box not in boxes:
            return False
        boxes.discard(box)
        if boxes:
            return False
        del self._boxes[topic]
        return True

    def deliver(self, topic: str, message: Message) -> int:
        """Put one message into every mailbox of the topic; returns how many."""
        boxes = self._boxes.get(topic)
        if not boxes:
            return 0
        for box in boxes:
            box.put(message)
        return len(boxes)

    def __contains__(self, topic: object) -> bool:
        return topic in self._boxes

    def topics(self) -> list[str]:
        """The topics that have at least one local subscriber."""
        return list(self._boxes)

    def count(self, topic: str) -> int:
        """How many local subscribers a topic has."""
        return len(self._boxes.get(topic, ()))

    def mailboxes(self) -> Iterator[Mailbox]:
        for boxes in self._boxes.values():
            yield from boxes

    def close(self) -> None:
        """End every subscriber's stream (the broker is shutting down)."""
        for box in self.mailboxes():
            box.close()
        self._boxes.clear()
