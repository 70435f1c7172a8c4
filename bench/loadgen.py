"""The load generator: N worker coroutines, each on its own keep-alive connection.

Each request books a fresh, valid, never-used IIN into a random slot for a random
service.  The same generator drives Kezek and the reference, so both pay its cost.

Two clients: `raw` (default), a minimal HTTP/1.1 client on asyncio streams, and `httpx`,
one AsyncClient with a pool of N connections.  On this machine httpx's pool costs the
generator ~8 ms of CPU per request at 64 concurrent requests (httpcore scans every
connection for every request), which caps any server at ~130 requests/s: it measures
the client, not the server.  The raw client costs ~0.1 ms a request.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from kezek.core.iin import check_digit


class IinSource:
    """Distinct valid person IINs from a seeded generator (none is handed out twice)."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._seen: set[str] = set()

    def __call__(self) -> str:
        r = self._rng
        while True:
            first = (f"{r.randint(0, 99):02d}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
                     f"{r.choice('3456')}{r.randint(0, 9999):04d}")
            digit = check_digit(first)
            if digit is None:
                continue
            iin = first + str(digit)
            if iin not in self._seen:
                self._seen.add(iin)
                return iin


class MixedIins:
    """IINs of people seen before (registered ahead of the run, each handed out once)
    with probability `share`, fresh ones otherwise; all distinct."""

    def __init__(self, fresh: IinSource, known: list[str], share: float, seed: int) -> None:
        self._fresh, self._known, self._share = fresh, list(known), share
        self._rng = random.Random(seed)

    def __call__(self) -> str:
        if self._known and self._rng.random() < self._share:
            return self._known.pop()
        return self._fresh()


@dataclass
class Tally:
    """What one run saw: outcomes by status and error code, and every latency."""

    seconds: float = 0.0
    warmup_booked: int = 0
    machine_busy: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.outcomes.values())

    @property
    def booked(self) -> int:
        return self.outcomes["201"]

    def rate(self, n: int) -> float:
        return n / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))
        return ordered[rank] * 1000


class RawConnection:
    """One HTTP/1.1 keep-alive connection, one request at a time (JSON in, JSON out)."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, path: str, body: dict[str, object],
                   headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        data = json.dumps(body).encode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items()).encode()
        writer.write(b"POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                     b"%sContent-Length: %d\r\n\r\n%s" % (
                         path.encode(), self.host.encode(), extra, len(data), data))
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            headers = {}
            for line in head.split(b"\r\n")[1:]:
                key, _, value = line.partition(b":")
                headers[key.strip().lower()] = value.strip()
            if b"content-length" in headers:
                payload = await reader.readexactly(int(headers[b"content-length"]))
            else:  # chunked
                chunks = []
                while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
                    chunks.append(await reader.readexactly(size))
                    await reader.readexactly(2)
                await reader.readexactly(2)
                payload = b"".join(chunks)
            if headers.get(b"connection", b"").lower() == b"close":
                await self.close()
            return status, payload
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


def raw_outcome(status: int, payload: bytes) -> str:
    if status < 300:
        return str(status)
    try:
        return f"{status} {json.loads(payload)['error']['code']}"
    except Exception:
        return f"{status} ?"


def outcome(response: httpx.Response) -> str:
    if response.status_code < 300:
        return str(response.status_code)
    try:
        code = response.json()["error"]["code"]
    except Exception:
        code = "?"
    return f"{response.status_code} {code}"


Post = Callable[[dict[str, object]], Awaitable[str]]


async def drive(base_url: str, center: int, starts: list[str], services: list[str],
                seconds: float, concurrency: int, iins: Callable[[], str], seed: int,
                client: str = "raw") -> Tally:
    """Books as fast as `concurrency` clients can for `seconds`; returns what happened."""
    rng = random.Random(seed)
    tally = Tally()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits,
                                 timeout=httpx.Timeout(30.0)) as pooled:

        def poster() -> tuple[Post, Callable[[], Awaitable[None]]]:
            if client == "httpx":
                async def via_httpx(body: dict[str, object]) -> str:
                    return outcome(await pooled.post("/api/v1/bookings", json=body))

                return via_httpx, _nothing
            conn = RawConnection(base_url)

            async def via_raw(body: dict[str, object]) -> str:
                return raw_outcome(*await asyncio.wait_for(
                    conn.post("/api/v1/bookings", body), 30.0))

            return via_raw, conn.close

        began = time.perf_counter()
        deadline = began + seconds

        async def worker() -> None:
            post, close = poster()
            try:
                while time.perf_counter() < deadline:
                    body = {"iin": iins(), "service": rng.choice(services), "center": center,
                            "start": rng.choice(starts), "channel": "web"}
                    t0 = time.perf_counter()
                    try:
                        tally.outcomes[await post(body)] += 1
                    except (httpx.HTTPError, OSError, asyncio.IncompleteReadError,
                            TimeoutError, ValueError) as exc:
                        tally.outcomes[f"transport {type(exc).__name__}"] += 1
                    tally.latencies.append(time.perf_counter() - t0)
            finally:
                await close()

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        tally.seconds = time.perf_counter() - began
    return tally


async def _nothing() -> None:
    return None
