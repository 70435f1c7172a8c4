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
from prometheus_client import REGISTRY

from kezek.api.app import create_app
from kezek.i18n import message
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


async def _terminate_waiting(url: str, started: threading.Event, table: str = "bookings",
                             times: int = 1) -> list[int]:
    """Locks `table`, waits until a backend of this database queues behind the lock,
    terminates it (`times` times: after the first, the next request's backend), then
    lets the lock go; returns the pids."""
    holder = await asyncpg.connect(_dsn(url))
    pids: list[int] = []
    try:
        tx = holder.transaction()
        await tx.start()
        await holder.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        started.set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(pids) < times:
            # The activity view is a snapshot kept for the transaction: read it afresh.
            await holder.execute("SELECT pg_stat_clear_snapshot()")
            pid = await holder.fetchval(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid() "
                "AND NOT (pid = ANY($1::int[])) LIMIT 1", pids)
            if pid:
                assert await holder.fetchval("SELECT pg_terminate_backend($1)", pid)
                pids.append(int(pid))
            await asyncio.sleep(0.05)
        await tx.rollback()
        return pids
    finally:
        await holder.close()


def _while_terminating(pg_url: str, request: Any, table: str = "bookings", times: int = 1
                       ) -> tuple[Any, list[int]]:
    """`request()` while its backend is terminated `times` times; its answer and the pids."""
    started = threading.Event()
    result: dict[str, list[int]] = {}

    def killer() -> None:
        result["pids"] = asyncio.run(_terminate_waiting(pg_url, started, table, times))

    thread = threading.Thread(target=killer)
    thread.start()
    assert started.wait(20)
    answer = request()
    thread.join(30)
    return answer, result.get("pids", [])


def _retries(client: TestClient) -> float:
    """The process's count of retried reads (what /metrics shows a loopback scraper)."""
    value = REGISTRY.get_sample_value("kezek_read_retries_total")
    assert value is not None, "kezek_read_retries_total is not registered"
    return value


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
    r, pids = _while_terminating(pg_url, lambda: client.post(
        "/api/v1/bookings", json=body, headers={"Accept-Language": lang}))
    assert pids, "the booking's backend was not terminated"
    text = assert_error(r, 503, "unavailable")  # a write is not tried again
    assert body["iin"] not in text and body["iin"] not in r.text
    assert r.headers.get("Retry-After")
    # The pool dropped the dead connection: the next booking is served again.
    again = client.post("/api/v1/bookings", json={**body, "iin": random_iin()})
    assert again.status_code == 201, again.text


def test_a_read_that_lost_its_connection_is_tried_once_more(
        pg_client: tuple[TestClient, dict[str, int]], pg_url: str) -> None:
    client, _ = pg_client
    assert client.get("/api/v1/regions").status_code == 200  # the pool holds a connection
    before = _retries(client)
    r, pids = _while_terminating(pg_url, lambda: client.get("/api/v1/regions"), "regions")
    assert len(pids) == 1, "the read's backend was not terminated"
    assert r.status_code == 200, r.text  # the second try, on a fresh connection
    assert len(r.json()) == 20 and r.json()[0]["code"]
    assert _retries(client) == before + 1


def test_a_read_is_tried_only_once(pg_client: tuple[TestClient, dict[str, int]],
                                   pg_url: str) -> None:
    client, _ = pg_client
    assert client.get("/api/v1/regions").status_code == 200
    before = _retries(client)
    r, pids = _while_terminating(pg_url, lambda: client.get(
        "/api/v1/regions", headers={"Accept-Language": "kk"}), "regions", times=2)
    assert len(pids) == 2, "both tries' backends should have been terminated"
    assert assert_error(r, 503, "unavailable") == message("unavailable", "kk")
    assert r.headers.get("Retry-After")
    assert _retries(client) == before + 1
