"""A rush on a real uvicorn server over PostgreSQL: the database referees every race.

200 people ask for one slot of three seats at once: exactly three get it.  One person
asks for 50 slots at once: the quota lets exactly one through.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select

from kezek.api.app import create_app
from kezek.core.privacy import iin_digest
from kezek.store.db import make_engine
from kezek.store.models import BookingRow, PersonRow
from tests.api.conftest import API_IIN_KEY, at, prepare, settings_for
from tests.conftest import _truncate, next_weekday, random_iin

pytestmark = pytest.mark.pg

IDENTITY = "01010001"  # at "mixed": windows 1, 2 and 3 serve it, one seat each


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Live:
    base_url: str
    db_url: str
    centers: dict[str, int]


@pytest.fixture
def live(pg_url: str) -> Iterator[Live]:
    """A real uvicorn on loopback, in a thread, over the truncated and seeded test DB.

    The network runs on the IIN alone and unthrottled: these are races for seats and
    quotas among people who may all book (tests/api/test_identity.py and
    test_throttle.py cover who may)."""
    asyncio.run(_truncate(pg_url))
    centers = asyncio.run(prepare(pg_url, identity="none"))
    port = free_port()
    app = create_app(settings_for(pg_url, throttle=False))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on", backlog=1024)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped during start-up"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield Live(f"http://127.0.0.1:{port}", pg_url, centers)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        assert not thread.is_alive(), "uvicorn did not stop"


async def rush(live: Live, bodies: list[dict[str, object]]) -> list[httpx.Response]:
    """Sends all bodies at once, each on its own connection, after a common start."""
    limits = httpx.Limits(max_connections=len(bodies), max_keepalive_connections=len(bodies))
    async with httpx.AsyncClient(base_url=live.base_url, limits=limits,
                                 timeout=httpx.Timeout(45.0)) as client:
        assert (await client.get("/healthz")).status_code == 200
        go = asyncio.Event()

        async def one(body: dict[str, object]) -> httpx.Response:
            await go.wait()
            return await client.post("/api/v1/bookings", json=body)

        tasks = [asyncio.create_task(one(b)) for b in bodies]
        await asyncio.sleep(0.05)
        go.set()
        return await asyncio.gather(*tasks)


def codes(responses: list[httpx.Response]) -> Counter[str]:
    out: Counter[str] = Counter()
    for r in responses:
        out[str(r.status_code) if r.status_code < 300 else
            f"{r.status_code} {r.json()['error']['code']}"] += 1
    return out


async def holding_at(url: str, center: int, start: str) -> list[tuple[int, int]]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(select(BookingRow.window_id, BookingRow.seat).where(
                BookingRow.center_id == center,
                BookingRow.start_utc == dt.datetime.fromisoformat(start),
                BookingRow.status.in_(("active", "checked_in"))))
            return [(w, s) for w, s in rows.all()]
    finally:
        await engine.dispose()


async def bookings_of(url: str, iin: str) -> list[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            digest = iin_digest(iin, API_IIN_KEY.encode())
            rows = await conn.execute(
                select(BookingRow.status).join(PersonRow, PersonRow.id == BookingRow.person_id)
                .where(PersonRow.iin_hash == digest))
            people = await conn.scalar(select(func.count()).select_from(PersonRow).where(
                PersonRow.iin_hash == digest))
            assert people == 1
            return [s for (s,) in rows.all()]
    finally:
        await engine.dispose()


def test_two_hundred_people_rush_one_slot_of_three_seats(live: Live) -> None:
    started = time.monotonic()
    mixed = live.centers["mixed"]
    start = at(next_weekday(), 10)
    iins = set()
    while len(iins) < 200:
        iins.add(random_iin())
    bodies = [{"iin": iin, "service": IDENTITY, "center": mixed, "start": start}
              for iin in sorted(iins)]
    responses = asyncio.run(rush(live, bodies))
    assert codes(responses) == {"201": 3, "409 slot_full": 197}
    won = {r.json()["code"] for r in responses if r.status_code == 201}
    assert len(won) == 3
    seats = asyncio.run(holding_at(live.db_url, mixed, start))
    assert len(seats) == 3 and len(set(seats)) == 3
    assert time.monotonic() - started < 60


def test_one_person_asks_for_fifty_slots_at_once(live: Live) -> None:
    started = time.monotonic()
    mixed = live.centers["mixed"]
    first = next_weekday()
    second = next_weekday(dt.datetime.combine(first, dt.time(12), dt.UTC))
    starts = [at(day, 9 + q // 4, 15 * (q % 4)) for day in (first, second) for q in range(25)]
    assert len(set(starts)) == 50
    iin = random_iin()
    services = ("01010001", "03010001", "05010001")  # all three served at "mixed"
    bodies = [{"iin": iin, "service": services[i % 3], "center": mixed, "start": s}
              for i, s in enumerate(starts)]
    responses = asyncio.run(rush(live, bodies))
    got = codes(responses)
    assert got["201"] == 1, got
    assert set(got) == {"201", "409 already_booked", "409 quota_exceeded"}, got
    assert sum(got.values()) == 50
    assert asyncio.run(bookings_of(live.db_url, iin)) == ["active"]
    assert time.monotonic() - started < 60
