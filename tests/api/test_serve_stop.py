"""`kezek serve` stops within seconds on SIGTERM, even with a lobby board's stream open,
and the stream's last event tells the screen to reconnect (ADR 0016).

A real `kezek serve` in a subprocess on a free port over a seeded SQLite file: the signal
handling under test is uvicorn's and the app's, which an in-process client never runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.web.conftest import WEB_IIN_KEY, WEB_SECRET, _free_port, prepare, run_async

ROOT = Path(__file__).resolve().parents[2]


def start_serve(db_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KEZEK_DATABASE_URL": db_url, "KEZEK_IIN_KEY": WEB_IIN_KEY,
           "KEZEK_SECRET_KEY": WEB_SECRET, "KEZEK_ENV": "test", "KEZEK_LOG_LEVEL": "WARNING"}
    return subprocess.Popen(
        [sys.executable, "-m", "kezek.cli", "serve", "--port", str(port), "--no-jobs",
         "--timeout-graceful-shutdown", "30"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"kezek serve exited: {proc.stderr.read()[-2000:]!r}"
                                 if proc.stderr else "kezek serve exited")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("kezek serve did not become ready")


def test_sigterm_ends_open_board_streams_and_the_server_exits(sqlite_url: str) -> None:
    centers = run_async(prepare, sqlite_url)
    port = _free_port()
    proc = start_serve(sqlite_url, port)
    try:
        wait_ready(port, proc)
        cid = next(iter(centers.values()))
        url = f"http://127.0.0.1:{port}/api/v1/centers/{cid}/board/events"
        with httpx.Client(timeout=httpx.Timeout(5, read=20)) as client, \
                client.stream("GET", url) as stream:
            assert stream.status_code == 200
            chunks = stream.iter_bytes()
            received = next(chunks)
            assert b": connected" in received
            # the graceful bound (30 s) is far above the limit below: only the stream's
            # own end lets the server exit in time.
            proc.send_signal(signal.SIGTERM)
            stopped = time.monotonic()
            for chunk in chunks:
                received += chunk
        assert b"event: reconnect" in received
        assert b"retry: " in received
        proc.wait(timeout=10)
        assert time.monotonic() - stopped < 8
        # uvicorn ends a clean stop by re-raising the signal it caught: -SIGTERM, or 0
        assert proc.returncode in (0, -signal.SIGTERM), proc.returncode
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
