"""Log lines: ISO 8601 times with zone and milliseconds, the request id on every line,
and a real `kezek serve` whose stderr is JSON only, without ANSI colours, IINs masked."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from asgi_correlation_id import correlation_id

from kezek import logs
from kezek.logs import JsonFormatter, RedactingFilter, _RenameCorrelation

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")


def _line(record: logging.LogRecord) -> dict[str, object]:
    from asgi_correlation_id import CorrelationIdFilter

    for f in (RedactingFilter(), CorrelationIdFilter(default_value="-"), _RenameCorrelation()):
        f.filter(record)
    data: dict[str, object] = json.loads(JsonFormatter().format(record))
    return data


def test_time_is_iso_with_zone_and_milliseconds() -> None:
    record = logging.LogRecord("kezek.x", logging.INFO, __file__, 1, "hello", None, None)
    data = _line(record)
    assert ISO_MS.match(str(data["ts"])), data["ts"]
    parsed = dt.datetime.fromisoformat(str(data["ts"]))
    assert abs(parsed.timestamp() - record.created) < 0.001


def test_request_id_and_no_colour_copy_on_the_line() -> None:
    token = correlation_id.set("abc-123")
    try:
        record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1,
                                   "Started \x1b[1mserver\x1b[0m for 870412300415", None, None)
        record.color_message = "\x1b[32mStarted\x1b[0m"
        data = _line(record)
    finally:
        correlation_id.reset(token)
    assert data["request_id"] == "abc-123"
    assert "color_message" not in data and "correlation_id" not in data
    assert "\x1b" not in json.dumps(data) and "870412300415" not in str(data["msg"])


def test_a_job_has_its_own_correlation_id() -> None:
    token = logs.correlate("job")
    try:
        assert str(correlation_id.get()).startswith("job-")
    finally:
        logs.uncorrelate(token)
    assert correlation_id.get() is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_kezek_serve_writes_json_lines_without_colours(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "KEZEK_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
           "KEZEK_LOG_JSON": "true", "FORCE_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kezek.cli", "serve", "--port", str(port), "--no-jobs"],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rid = str(uuid.uuid4())
    try:
        deadline = time.monotonic() + 90  # the app imports in ~25 s on a loaded machine
        while True:
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}/healthz",
                                             headers={"X-Request-ID": rid})
                with urllib.request.urlopen(req, timeout=2) as r:
                    assert r.headers["X-Request-ID"] == rid
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    lines = [ln for ln in err.decode().splitlines() if ln.strip()]
    assert lines
    assert not [ln for ln in lines if "\x1b[" in ln]
    parsed = [json.loads(ln) for ln in lines]  # every line is one JSON object
    assert all(ISO_MS.match(p["ts"]) for p in parsed)
    access = [p for p in parsed if p["logger"] == "uvicorn.access"]
    assert any(p["request_id"] == rid and "/healthz" in p["msg"] for p in access), access


def test_multiprocess_mode_sums_the_workers(tmp_path: Path) -> None:
    """Two processes write to PROMETHEUS_MULTIPROC_DIR; a scrape in a third sums them."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    bump = ("from kezek import metrics; metrics.REFUSALS.labels('quota_exceeded').inc(2);"
            "metrics.SSE_CLIENTS.inc()")
    for _ in range(2):
        subprocess.run([sys.executable, "-c", bump], env=env, check=True, timeout=60)
    read = ("from prometheus_client import generate_latest; from kezek import metrics;"
            "print(generate_latest(metrics.registry()).decode())")
    text = subprocess.run([sys.executable, "-c", read], env=env, check=True, timeout=60,
                          capture_output=True).stdout.decode()
    assert 'kezek_refusals_total{code="quota_exceeded"} 4.0' in text
    assert "kezek_sse_clients 2.0" in text  # a gauge summed over the workers
