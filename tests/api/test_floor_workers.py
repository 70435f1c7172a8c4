"""Two API worker processes, one PostgreSQL, one Redis: a lobby board connected to one
worker sees a call made through the other, within a second."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import (
    ADMIN_PASSWORD,
    ADMIN_USER,
    API_IIN_KEY,
    API_SECRET,
    prepare,
)
from tests.api.test_concurrency import free_port
from tests.conftest import IN_CI, _truncate, random_iin

pytestmark = pytest.mark.pg
REDIS_URL = os.environ.get("KEZEK_TEST_REDIS", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]


def _redis_problem() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
        return None
    except Exception as exc:
        return f"Redis at {REDIS_URL} not reachable: {exc}"


def _worker(db_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KEZEK_DATABASE_URL": db_url, "KEZEK_REDIS_URL": REDIS_URL,
           "KEZEK_IIN_KEY": API_IIN_KEY, "KEZEK_SECRET_KEY": API_SECRET, "KEZEK_ENV": "test",
           "KEZEK_LOG_LEVEL": "WARNING"}
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "kezek.api.asgi:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"], cwd=ROOT, env=env)


def _wait_ready(port: int, proc: subprocess.Popen[bytes]) -> None:
    # Generous: two workers importing at once on a busy two-core CI machine.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, "worker exited"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("worker did not start")


@pytest.fixture
def workers(pg_url: str) -> Iterator[tuple[str, str, dict[str, int]]]:
    problem = _redis_problem()
    if problem:
        if IN_CI:
            pytest.fail(f"CI needs Redis: {problem}")
        pytest.skip(problem)
    asyncio.run(_truncate(pg_url))
    centers = asyncio.run(prepare(pg_url))
    ports = [free_port(), free_port()]
    procs = [_worker(pg_url, p) for p in ports]
    try:
        for port, proc in zip(ports, procs, strict=True):
            _wait_ready(port, proc)
        yield f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}", centers
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


async def _scenario(a: str, b: str, cid: int) -> tuple[dict[str, object], float]:
    async with httpx.AsyncClient(base_url=b, timeout=10) as api:
        token = (await api.post("/api/v1/auth/token", json={
            "username": ADMIN_USER, "password": ADMIN_PASSWORD})).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        windows = (await api.get(f"/api/v1/centers/{cid}/windows")).json()
        window = next(w["id"] for w in windows if w["number"] == 2)
        r = await api.post(f"/api/v1/centers/{cid}/arrivals", headers=auth,
                           json={"iin": random_iin(), "service": "01010001"})
        assert r.status_code == 201, r.text
        async with httpx.AsyncClient(base_url=a, timeout=10) as board, board.stream(
                "GET", f"/api/v1/centers/{cid}/board/events") as stream:
            lines = stream.aiter_lines()
            assert (await anext(lines)).startswith(": connected")
            await asyncio.sleep(0.3)  # the subscription reaches Redis
            sent = time.monotonic()
            called = await api.post(f"/api/v1/windows/{window}/call-next", headers=auth)
            assert called.status_code == 200, called.text
            async with asyncio.timeout(5):
                async for line in lines:
                    if line.startswith("data: "):
                        message = json.loads(line[6:])
                        if message["type"] == "called":
                            return message, time.monotonic() - sent
    raise AssertionError("no event")


def test_board_on_one_worker_sees_a_call_made_through_the_other(workers) -> None:
    a, b, centers = workers
    message, delay = asyncio.run(_scenario(a, b, centers["mixed"]))
    assert message["ticket"] == "A-001" and message["window"] == 2
    assert delay < 1.0
    assert not any(isinstance(v, str) and v.isdigit() and len(v) == 12
                   for v in message.values())  # nothing that could be an IIN
