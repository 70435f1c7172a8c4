"""PostgreSQL going away mid-request (a failover, an operator's pg_terminate_backend)
is the database's unavailability, answered 503 with the envelope, never a 500.

A booking is held up on a table lock taken by another session; while it waits, its
backend is terminated, as a primary's death or a failover manager would end it. The
server then reports SQLSTATE 57P01 (admin_shutdown), which asyncpg raises as a
PostgresError, not an InterfaceError: SQLAlchemy wraps it in its generic DBAPIError,
which no 503 handler caught (bench/failover.py found it).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
from fastapi.testclient import TestClient

from kezek.api.app import create_app
from tests.api.conftest import assert_error, at, prepare, settings_for
from tests.conftest import _truncate, next_weekday, random_iin

pytestmark = pytest.mark.pg


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@pytest.fixture
def pg_client(pg_url: str) -> Iterator[tuple[TestClient, dict[str, int]]]:
    asyncio.run(_truncate(pg_url))
    centers = asyncio.run(prepare(pg_url, identity="none"))
    with TestClient(create_app(settings_for(pg_url, throttle=False))) as client:
        yield client, centers


async def _terminate_waiting_booking(url: str, started: threading.Event) -> int:
    """Locks the bookings table, waits until a backend of this database queues behind
    the lock, terminates that backend, then lets the lock go; returns its pid."""
    holder = await asyncpg.connect(_dsn(url))
    try:
        tx = holder.transaction()
        await tx.start()
        await holder.execute("LOCK TABLE bookings IN ACCESS EXCLUSIVE MODE")
        started.set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            pid = await holder.fetchval(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid() LIMIT 1")
            if pid:
                assert await holder.fetchval("SELECT pg_terminate_backend($1)", pid)
                await tx.rollback()
                return int(pid)
            await asyncio.sleep(0.05)
        await tx.rollback()
        raise AssertionError("no booking queued behind the lock")
    finally:
        await holder.close()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_backend_terminated_mid_booking_answers_503(
        pg_client: tuple[TestClient, dict[str, int]], pg_url: str, lang: str) -> None:
    client, centers = pg_client
    start = at(next_weekday(), 10)
    body: dict[str, Any] = {"iin": random_iin(), "service": "01010001", "center": centers["mixed"],
            "start": start}
    warm = client.post("/api/v1/bookings", json={**body, "iin": random_iin(),
                                                 "start": at(next_weekday(), 11)})
    assert warm.status_code == 201, warm.text  # the pool holds a live connection now
    started = threading.Event()
    result: dict[str, Any] = {}

    def killer() -> None:
        result["pid"] = asyncio.run(_terminate_waiting_booking(pg_url, started))

    thread = threading.Thread(target=killer)
    thread.start()
    assert started.wait(20)
    r = client.post("/api/v1/bookings", json=body, headers={"Accept-Language": lang})
    thread.join(30)
    assert result.get("pid"), "the booking's backend was not terminated"
    text = assert_error(r, 503, "unavailable")
    assert body["iin"] not in text and body["iin"] not in r.text
    assert r.headers.get("Retry-After")
    # The pool dropped the dead connection: the next booking is served again.
    again = client.post("/api/v1/bookings", json={**body, "iin": random_iin()})
    assert again.status_code == 201, again.text
