"""Live messages across worker processes through Redis pub/sub.

Design: one shared reader per process, not one Redis subscription per screen.

A worker may hold 1,000 SSE streams, most of them boards of a handful of
centres. A PubSub connection per stream would mean 1,000 Redis connections per
worker and Redis sending every message 1,000 times to the same process. Instead
each :class:`RedisBroker` keeps

* one connection for publishing (``PUBLISH`` is a single round trip; requests
  share it),
* one pub/sub connection, subscribed to each topic that has at least one local
  subscriber (``SUBSCRIBE`` when the first arrives, ``UNSUBSCRIBE`` when the last
  leaves), read by one task that fans each message out through the same bounded
  drop-oldest mailboxes as :class:`~kezek.live.broker.InProcessBroker`,
* one task that brings Redis's subscription set in line with the local one,
  so that neither entering nor leaving a subscription talks to Redis itself
  (leaving happens when an SSE task is cancelled, where awaiting is fragile).

Redis restarts and dropped connections must not blank the lobby boards. The
reader treats any connection error (and an unanswered ``PING`` on an idle link,
which catches a silently dead network) as a lost link: it counts an
interruption on every open subscription, reconnects with capped exponential
backoff and jitter (so that N workers do not stampede a restarting Redis), and
subscribes the current topics again. Open subscriptions carry on; messages
published while the link was down are lost, which :attr:`Subscription.
interruptions` tells the screen.

``publish`` never raises for an unreachable Redis: the change it announces has
already been committed, and failing the citizen's request because a board will
not hear of it would be worse. It waits at most ``publish_timeout`` (1 s by
default, retries included), then logs, counts :attr:`RedisBroker.
publish_failures` and returns. Publishing a message that is not a JSON object
still raises ``TypeError``: that is a bug, not an outage.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import secrets
from collections import Counter
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.exceptions import RedisError

from kezek.live.fanout import Fanout, Mailbox, Message, check_topic, decode, encode
from kezek.live.subscription import DEFAULT_QUEUE_SIZE, Subscription

__all__ = ["RedisBroker"]

log = logging.getLogger("kezek.live")

_BATCH = 500  # channels per SUBSCRIBE/UNSUBSCRIBE command


class _Link:
    """One pub/sub connection and what was asked of Redis on it.

    Kept per connection because after a reconnect nothing of the old one holds.
    ``live`` holds topics whose SUBSCRIBE Redis has confirmed with no UNSUBSCRIBE
    sent after it: only then may a subscriber waiting in ``__aenter__`` go on.
    """

    __slots__ = ("alive", "live", "opened_at", "pubsub", "sent", "unsub_in_flight")

    def __init__(self, pubsub: PubSub, opened_at: float) -> None:
        self.pubsub = pubsub
        self.opened_at = opened_at
        self.alive = True
        self.sent: set[str] = set()
        self.live: set[str] = set()
        self.unsub_in_flight: Counter[str] = Counter()


class RedisBroker:
    """A :class:`~kezek.live.broker.Broker` over Redis pub/sub; see the module docstring.

    ``prefix`` namespaces the channels (``kezek:center:5``) so that Kezek shares
    a Redis with others, and tests with each other. Creating the broker opens no
    connection: the first publish or subscription does.
    """

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "kezek:",
        queue_size: int = DEFAULT_QUEUE_SIZE,
        confirm_timeout: float = 5.0,
        ping_interval: float = 10.0,
        reconnect_min: float = 0.1,
        reconnect_max: float = 5.0,
        connect_timeout: float = 2.0,
        publish_timeout: float = 1.0,
        client_name: str | None = None,
    ) -> None:
        if queue_size < 1:
            raise ValueError("queue_size must be at least 1")
        self._prefix = prefix
        self._queue_size = queue_size
        self._confirm_timeout = confirm_timeout
        self._ping_interval = ping_interval
        self._reconnect_min = reconnect_min
        self._reconnect_max = reconnect_max
        self.client_name = client_name or f"kezek-live-{os.getpid()}-{secrets.token_hex(3)}"
        """Redis CLIENT name stem: ``<name>-pub`` and ``<name>-sub`` in ``CLIENT LIST``."""
        # Publishing: one connection, a couple of quick retries for a blip, then give up
        # after publish_timeout in all. That bound is ours (asyncio.timeout), not
        # redis-py's socket_timeout, for the reason given for the subscriber below.
        self._publish_timeout = publish_timeout
        self._publisher = Redis.from_url(
            url,
            single_connection_client=True,
            socket_connect_timeout=connect_timeout,
            socket_timeout=None,
            retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 2),
            client_name=f"{self.client_name}-pub",
        )
        # Subscribing: no retries inside redis-py; the reader loop owns reconnection.
        # socket_timeout=None (redis-py 8 defaults to 5 s): with one, redis-py wraps
        # each send in asyncio.wait_for, which on Python 3.11 can swallow a
        # cancellation. Reads have their own timeout, connecting is bounded by the
        # reader, and a stuck send ends when an unanswered PING drops the connection.
        self._connect_timeout = connect_timeout
        self._subscriber = Redis.from_url(
            url,
            socket_connect_timeout=connect_timeout,
            socket_timeout=None,
            socket_keepalive=True,
            retry=Retry(NoBackoff(), 0),
            client_name=f"{self.client_name}-sub",
        )
        self._fanout = Fanout()
        self._waiters: dict[str, list[asyncio.Future[None]]] = {}
        self._link: _Link | None = None
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._closed = False
        self.publish_failures = 0
        """Publishes lost because Redis could not be reached."""
        self.links_lost = 0
        """Times the pub/sub connection broke after it had been established."""
        self.connect_failures = 0
        """Failed attempts to (re)open the pub/sub connection."""

    # -- the Broker protocol -------------------------------------------------------------

    async def publish(self, topic: str, message: Message) -> None:
        check_topic(topic)
        self._check_open()
        payload = encode(message)
        try:
            async with asyncio.timeout(self._publish_timeout):
                await self._publisher.publish(self._channel(topic), payload)
        except (RedisError, OSError) as exc:  # TimeoutError is an OSError
            self.publish_failures += 1
            log.warning("live: could not publish to %r, message lost: %s", topic, exc)

    def subscribe(self, topic: str) -> Subscription:
        check_topic(topic)
        return Subscription(topic, Mailbox(self._queue_size), self._attach, self._detach)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        tasks, self._tasks = self._tasks, []
        # Cancel until done: a cancellation can be lost inside redis-py on Python 3.11
        # (asyncio.wait_for returning a result that raced the cancel).
        while pending := [task for task in tasks if not task.done()]:
            for task in pending:
                task.cancel()
            await asyncio.wait(pending, timeout=0.1)
        self._fanout.close()
        # Let anyone still entering finish entering; their iteration ends at once.
        for waiters in self._waiters.values():
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)
        self._waiters.clear()
        await self._subscriber.aclose()
        await self._publisher.aclose()

    # -- introspection, for tests and metrics --------------------------------------------

    def subscriber_count(self, topic: str) -> int:
        """How many local subscriptions are open on ``topic``."""
        return self._fanout.count(topic)

    def is_live(self, topic: str) -> bool:
        """Whether Redis has confirmed this process's subscription to ``topic``."""
        link = self._link
        return link is not None and topic in link.live

    def channel(self, topic: str) -> str:
        """The Redis channel a topic is published on."""
        return self._channel(topic)

    # -- subscribing ---------------------------------------------------------------------

    async def _attach(self, sub: Subscription) -> None:
        """Register locally, then wait until Redis delivers the topic to this process.

        Waiting makes "entered, then published" reliable. If Redis does not
        answer within ``confirm_timeout`` the subscription stays registered and
        goes live when the reader reconnects: a board opened during a Redis
        restart shows up late rather than failing.
        """
        self._check_open()
        self._start()
        topic = sub.topic
        first = self._fanout.add(topic, sub.mailbox)
        if self.is_live(topic):
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiters = self._waiters.setdefault(topic, [])
        waiters.append(waiter)
        if first:
            self._wake.set()
        try:
            async with asyncio.timeout(self._confirm_timeout):
                await waiter
        except TimeoutError:
            log.warning("live: Redis has not confirmed %r yet; it goes live later", topic)
        except BaseException:
            self._detach(sub)
            raise
        finally:
            if waiter in waiters:
                waiters.remove(waiter)
            if not waiters and self._waiters.get(topic) is waiters:
                del self._waiters[topic]

    def _detach(self, sub: Subscription) -> None:
        if self._fanout.remove(sub.topic, sub.mailbox):
            self._wake.set()

    def _start(self) -> None:
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._read_forever(), name="kezek-live-redis-reader"),
                asyncio.create_task(self._sync_forever(), name="kezek-live-redis-sync"),
            ]

    # -- keeping Redis's subscriptions equal to the local topics --------------------------

    async def _sync_forever(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            link = self._link
            if link is None or not link.alive:
                continue  # the reader wakes us again once it has a new link
            try:
                await self._reconcile(link)
            except (RedisError, OSError) as exc:
                log.debug("live: subscription update failed, the reader reconnects: %s", exc)

    async def _reconcile(self, link: _Link) -> None:
        gone = [topic for topic in link.sent if topic not in self._fanout]
        new = [topic for topic in self._fanout.topics() if topic not in link.sent]
        # Book-keeping first, so changes made while we await are diffed next time.
        for topic in gone:
            link.sent.discard(topic)
            link.live.discard(topic)
            link.unsub_in_flight[topic] += 1
        link.sent.update(new)
        for start in range(0, len(gone), _BATCH):
            if not link.alive:
                return
            await link.pubsub.unsubscribe(*map(self._channel, gone[start : start + _BATCH]))
        for start in range(0, len(new), _BATCH):
            if not link.alive:
                return
            await link.pubsub.subscribe(*map(self._channel, new[start : start + _BATCH]))

    # -- reading -------------------------------------------------------------------------

    async def _read_forever(self) -> None:
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            link = _Link(self._subscriber.pubsub(), loop.time())
            try:
                async with asyncio.timeout(2 * self._connect_timeout):  # TCP + handshake
                    await link.pubsub.connect()  # type: ignore[no-untyped-call]  # redis-py
            except (RedisError, OSError) as exc:
                await self._discard(link)
                attempt += 1
                self.connect_failures += 1
                level = logging.WARNING if attempt == 1 else logging.DEBUG
                log.log(level, "live: cannot reach Redis (attempt %d): %s", attempt, exc)
                await asyncio.sleep(self._backoff(attempt))
                continue
            if attempt:
                log.info("live: reconnected to Redis after %d attempt(s)", attempt)
            self._link = link
            self._wake.set()  # subscribe the current topics on the new connection
            try:
                await self._read(link)
            except (RedisError, OSError) as exc:
                log.warning("live: lost the Redis pub/sub connection: %s", exc)
            except Exception:
                log.exception("live: unexpected error in the Redis reader")
            finally:
                self._link = None
                await self._discard(link)
            self.links_lost += 1
            for box in self._fanout.mailboxes():
                box.interruptions += 1
            # A link that stayed up a while starts the backoff afresh; one that
            # dies at once (Redis refusing us after the handshake) keeps growing it.
            stable = loop.time() - link.opened_at >= 2 * self._reconnect_max
            attempt = 1 if stable else attempt + 1
            await asyncio.sleep(self._backoff(attempt))

    async def _read(self, link: _Link) -> None:
        """Read until the connection fails; only returns by raising."""
        loop = asyncio.get_running_loop()
        last_seen = loop.time()
        ping_sent: float | None = None
        while True:
            raw: Any = await link.pubsub.get_message(timeout=self._ping_interval)
            now = loop.time()
            if raw is not None:
                last_seen = now
                self._handle(link, raw)
                continue
            if ping_sent is not None and last_seen < ping_sent:
                raise ConnectionError("Redis did not answer PING on the pub/sub connection")
            ping_sent = now
            await link.pubsub.ping()

    def _handle(self, link: _Link, raw: dict[str, Any]) -> None:
        kind = raw.get("type")
        topic = self._topic(raw.get("channel"))
        if topic is None:
            return
        if kind == "message":
            try:
                message = decode(raw["data"])
            except ValueError:
                log.warning("live: ignored a message that is not a JSON object")
                return
            self._fanout.deliver(topic, message)
        elif kind == "subscribe":
            if link.unsub_in_flight[topic] == 0 and topic in link.sent:
                link.live.add(topic)
                for waiter in self._waiters.get(topic, ()):
                    if not waiter.done():
                        waiter.set_result(None)
        elif kind == "unsubscribe" and link.unsub_in_flight[topic] > 0:
            link.unsub_in_flight[topic] -= 1

    async def _discard(self, link: _Link) -> None:
        link.alive = False
        try:
            await link.pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py
        except (RedisError, OSError) as exc:
            log.debug("live: error closing a pub/sub connection: %s", exc)

    # -- helpers -------------------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        """Capped exponential delay with jitter, so workers do not reconnect in step."""
        ceiling = min(self._reconnect_max, self._reconnect_min * 2.0 ** (attempt - 1))
        return ceiling * random.uniform(0.5, 1.0)

    def _channel(self, topic: str) -> str:
        return self._prefix + topic

    def _topic(self, channel: object) -> str | None:
        if isinstance(channel, bytes):
            channel = channel.decode("utf-8", "replace")
        if not isinstance(channel, str) or not channel.startswith(self._prefix):
            return None
        return channel[len(self._prefix) :]

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the broker is closed")
