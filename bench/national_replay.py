"""The replay itself: the slice's events sent over HTTP at their moments, sped up.

Open loop: each event is sent at t0 + (data second) / speed whatever the server's state,
on a pool of keep-alive connections, so a slow server shows as latency, not as fewer
requests. An operator flow (call-next, then start and finish after the visit's own gaps)
holds a free window of its centre; a call-next that finds nobody waiting is `empty`.
GET /healthz is probed all along, on its own connection: the reference under the same load.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bench.loadgen import RawConnection
from bench.national_events import Arrival, Booking, Call, Hour
from bench.national_floor import PRIVILEGE, Floor

TIMEOUT = 30.0
# Refusals the data set makes legitimate: a slot already full, a booking-only centre's
# offer to a late person (200), nobody waiting for a window (200, `empty`).
LEGITIMATE = {"409 slot_full"}


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    lag: list[float] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    window_waits: int = 0
    samples: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def errors(self) -> dict[str, int]:
        return {k: v for k, v in self.outcomes.items()
                if not k.split(" ", 1)[1].startswith(("2", "empty", "offer", "not-offered"))
                and k.split(" ", 1)[1] not in LEGITIMATE}

    def refusals(self) -> dict[str, int]:
        return {k: v for k, v in self.outcomes.items() if k.split(" ", 1)[1] in LEGITIMATE}


def weekday_slot(slot: object, zone: str, today: dt.date) -> str:
    """A data set slot moved to the first later day of the same weekday (the centre's
    schedule is by weekday), at the same local clock time; ISO 8601 with offset."""
    local = dt.datetime.fromisoformat(str(slot)).replace(tzinfo=dt.UTC).astimezone(
        ZoneInfo(zone))
    ahead = (local.weekday() - today.weekday()) % 7 or 7
    day = today + dt.timedelta(days=ahead)
    return dt.datetime.combine(day, local.time(), ZoneInfo(zone)).isoformat()


class Replay:
    def __init__(self, base: str, token: str, floor: Floor, iin_of: dict[int, str],
                 speed: float, connections: int = 128) -> None:
        self.base, self.floor, self.iin_of, self.speed = base, floor, iin_of, speed
        self.auth = {"Authorization": f"Bearer {token}"}
        self.tally = Tally()
        self._pool: asyncio.LifoQueue[RawConnection] = asyncio.LifoQueue()
        for _ in range(connections):
            self._pool.put_nowait(RawConnection(base))
        self._free: dict[int, asyncio.Queue[int]] = {}
        self.t0 = self.deadline = 0.0

    async def _post(self, kind: str, path: str, body: dict[str, object],
                    headers: dict[str, str] | None = None) -> tuple[int, dict[str, object]]:
        conn = await self._pool.get()
        if time.perf_counter() > self.deadline:  # queued for a connection past the end
            self._pool.put_nowait(conn)
            self.tally.outcomes[f"{kind} unsent"] += 1
            return 0, {}
        t = time.perf_counter()
        try:
            try:
                status, payload = await asyncio.wait_for(conn.post(path, body, headers),
                                                         TIMEOUT)
            except (asyncio.IncompleteReadError, ConnectionResetError) as exc:
                # uvicorn closes a keep-alive connection idle for 5 s; a request written
                # to it is never read, so it is sent again once on a new connection
                if isinstance(exc, asyncio.IncompleteReadError) and exc.partial:
                    raise
                status, payload = await asyncio.wait_for(conn.post(path, body, headers),
                                                         TIMEOUT)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
            self.tally.outcomes[f"{kind} transport {type(exc).__name__}"] += 1
            return 0, {}
        finally:
            self.tally.latencies.setdefault(kind, []).append(time.perf_counter() - t)
            self._pool.put_nowait(conn)
        data = json.loads(payload) if payload else {}
        code = str(status) if status < 300 else f"{status} {data.get('error', {}).get('code')}"
        self.tally.outcomes[f"{kind} {code}"] += 1
        if status >= 400:  # the first answer of each kind of refusal, for the record
            self.tally.samples.setdefault(f"{kind} {code}", json.dumps(data.get("error")))
        return status, data

    async def _at(self, data_second: float) -> None:
        due = self.t0 + data_second / self.speed
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            self.tally.lag.append(-delay)

    def _refused_by_rule(self, kind: str, centre: int, service: int, privileged: bool) -> bool:
        if self.floor.offers(centre, service, privileged):
            return False
        self.tally.outcomes[f"{kind} not-offered"] += 1
        return True

    async def book(self, b: Booking) -> None:
        await self._at(b.at)
        if self._refused_by_rule("book", b.center, b.service, b.privileged):
            return
        zone = self.floor.zones[b.center]
        today = dt.datetime.now(ZoneInfo(zone)).date()
        body: dict[str, object] = {
            "iin": self.iin_of[b.visit], "service": self.floor.services[b.service],
            "center": self.floor.centers[b.center],
            # the bot is its own adapter (an API client may not say `bot`): over HTTP it
            # is a web booking, through the same application service
            "channel": "web" if b.channel == "bot" else b.channel,
            "start": weekday_slot(b.slot, zone, today)}
        if b.channel == "call_centre":
            body["identity_checked"] = True
        if b.privileged:
            body["privilege"] = PRIVILEGE
        staff = self.auth if b.channel in ("call_centre", "door") else None
        await self._post("book", "/api/v1/bookings", body, staff)

    async def arrive(self, a: Arrival) -> None:
        await self._at(a.at)
        if self._refused_by_rule("check-in" if a.booked else "walk-in", a.center, a.service,
                                 a.privileged):
            return
        body: dict[str, object] = {"iin": self.iin_of[a.visit]}
        if not a.booked:
            body["service"] = self.floor.services[a.service]
            if a.privileged:
                body["privilege"] = PRIVILEGE
        kind = "check-in" if a.booked else "walk-in"
        status, data = await self._post(kind, f"/api/v1/centers/{self.floor.centers[a.center]}"
                                        "/arrivals", body, self.auth)
        if status == 200 and data.get("offer"):
            self.tally.outcomes[f"{kind} offer"] += 1

    async def call(self, c: Call, end: float) -> None:
        await self._at(c.at)
        free = self._free.setdefault(c.center, _windows(self.floor.windows[c.center]))
        if free.empty():
            self.tally.window_waits += 1
        try:  # windows held by flows past the slice never free up: wait until the end
            window = await asyncio.wait_for(free.get(), max(self.deadline - time.perf_counter(),
                                                            0.001))
        except TimeoutError:
            self.tally.outcomes["call-next unsent"] += 1
            return
        status, data = await self._post("call-next", f"/api/v1/windows/{window}/call-next",
                                        {}, self.auth)
        ticket = data.get("ticket") if status == 200 else None
        if status == 200 and not ticket:
            self.tally.outcomes["call-next empty"] += 1
        if not isinstance(ticket, dict):
            free.put_nowait(window)
            return
        for step, after in (("start", c.start_after), ("finish", c.start_after + c.finish_after)):
            if c.at + after >= end:
                return  # past the slice: the window stays with this person
            await self._at(c.at + after)
            if time.perf_counter() > self.deadline:
                self.tally.outcomes[f"{step} unsent"] += 1
                return
            await self._post(step, f"/api/v1/tickets/{ticket['id']}/{step}", {}, self.auth)
        free.put_nowait(window)

    async def _health(self, stop: asyncio.Event) -> None:
        parts = urlsplit(self.base)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while not stop.is_set():
                t = time.perf_counter()
                writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                await reader.readexactly(length)
                self.tally.health.append(time.perf_counter() - t)
                await asyncio.sleep(0.05)
        finally:
            writer.close()

    async def run(self, hour: Hour, t0_wall: float) -> Tally:
        """Replays the slice; `t0_wall` is the perf_counter moment of its data second 0."""
        self.t0 = t0_wall
        stop = asyncio.Event()
        health = asyncio.create_task(self._health(stop))
        events: list[tuple[float, int, Booking | Arrival | Call]] = sorted(
            [(b.at, 0, b) for b in hour.bookings] + [(a.at, 1, a) for a in hour.arrivals]
            + [(c.at, 2, c) for c in hour.calls], key=lambda e: (e[0], e[1]))
        began = time.perf_counter()
        # A server far behind would stretch a step without bound: past twice its planned
        # length (plus 10 s) the rest is not sent, and counted as errors (`unsent`).
        self.deadline = self.t0 + 2 * hour.seconds / self.speed + 10
        tasks = []
        for n, (at, _, event) in enumerate(events):  # a task per event when due
            if time.perf_counter() > self.deadline:
                for _, _, rest in events[n:]:
                    self.tally.outcomes[f"{_kind(rest)} unsent"] += 1
                break
            delay = self.t0 + at / self.speed - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if isinstance(event, Booking):
                tasks.append(asyncio.create_task(self.book(event)))
            elif isinstance(event, Arrival):
                tasks.append(asyncio.create_task(self.arrive(event)))
            else:
                tasks.append(asyncio.create_task(self.call(event, hour.seconds)))
        await asyncio.gather(*tasks)
        self.tally.seconds = time.perf_counter() - began
        stop.set()
        await health
        while not self._pool.empty():
            await self._pool.get_nowait().close()
        return self.tally


def _windows(ids: list[int]) -> asyncio.Queue[int]:
    q: asyncio.Queue[int] = asyncio.Queue()
    for w in ids:
        q.put_nowait(w)
    return q


def _kind(event: Booking | Arrival | Call) -> str:
    if isinstance(event, Booking):
        return "book"
    if isinstance(event, Arrival):
        return "check-in" if event.booked else "walk-in"
    return "call-next"
