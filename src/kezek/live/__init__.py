"""Live updates: the broker that lobby boards, operator consoles and the manager page hear.

Screens must change within a second of the event (a ticket called, a counter
closed) without polling the database. Publishers, the application services after
their commit, hand a small JSON message to a :class:`~kezek.live.broker.Broker`
under a topic such as ``"center:5"``; every open screen subscribed to that topic
receives it.

With one process an in-process broker is enough. With N workers behind a proxy
a citizen's booking is handled by one worker and the board's SSE stream is held
by another, so the message has to cross processes: then Redis pub/sub carries it
(``KEZEK_REDIS_URL``). :func:`~kezek.live.broker.make_broker` picks one.

Live messages are *hints*, not the record: the database is the truth. They are
delivered at most once and can be lost (a slow screen's queue overflowing, Redis
restarting); a screen that sees :attr:`Subscription.dropped` or
:attr:`Subscription.interruptions` grow reloads its state.

Messages must never carry an IIN, nor a name or phone number: a lobby board is a
public screen, and Redis is not where personal data lives. Publish ticket
numbers, counter numbers and ids.
"""

from kezek.live.broker import (
    DEFAULT_QUEUE_SIZE,
    Broker,
    InProcessBroker,
    Message,
    Subscription,
    make_broker,
)
from kezek.live.redis_broker import RedisBroker

__all__ = [
    "DEFAULT_QUEUE_SIZE",
    "Broker",
    "InProcessBroker",
    "Message",
    "RedisBroker",
    "Subscription",
    "make_broker",
]
