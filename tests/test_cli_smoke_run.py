"""Every `kezek` command run for real (issue 12), the second half: the data, report,
planning and what-if commands, and the ones that run until stopped (`serve`, `jobs
worker`, `bot`), plus the database commands on PostgreSQL. A file of its own so that the
test processes share the work; the helpers and the completeness check are in
tests/test_cli_smoke.py.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.fake_api import FakeBotApi
from tests.test_cli_smoke import (
    FIXTURES,
    IIN,
    KEZEK,
    PASSWORD,
    Kezek,
    all_bad,
    covers,
    free_port,
    module_kezek,
)


@pytest.fixture(scope="module")
def k(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kezek]:
    yield from module_kezek(tmp_path_factory)


def test_data_report_plan_whatif(k: Kezek) -> None:
    data = k.home / "national"
    assert f"wrote {data}" in k.ok("data", "generate", "--scale", "0.001", "--months",
                                   "0.2", "--out", str(data), "--no-floor-form")
    assert "region" in k.ok("data", "stats", "--data", str(data), "--by", "region")
    assert "index.html" in k.ok("report", "--data", str(data), "--out", str(k.home / "rep"))
    assert "Open" in k.ok("plan", "solve", str(FIXTURES / "plan_instance.json"),
                          "--simulate", "0")
    assert '"opened"' in k.ok("plan", "almaty-vehicle", "--json", "--simulate", "0")
    whatif = k.home / "whatif"
    assert "index.html" in k.ok("whatif", "example", "--days", "1", "--seeds", "1",
                                "--out", str(whatif))
    assert "index.html" in k.ok("whatif", "run", str(FIXTURES / "whatif_small.json"),
                                "--days", "1", "--seeds", "1", "--out",
                                str(k.home / "whatif-run"))
    broken = k.home / "broken-plan.json"
    broken.write_text('{"k": "two"}', encoding="utf-8")
    all_bad(k, [(("data", "generate", "--start", "2026-13-01", "--out", str(data)), "start"),
                (("data", "generate", "--network", str(k.home / "missing.json")),
                 "cannot read"),
                (("data", "stats", "--data", str(data), "--by", "colour"), "unknown dimension"),
                (("data", "stats", "--data", str(k.home / "nothing")), "error:"),
                (("data", "stats", "--data", str(data), "--start", "soon"), "dates must"),
                (("report", "--data", str(k.home / "nothing"), "--out", str(k.home / "r2")),
                 "error:"),
                (("plan", "solve", str(broken), "--simulate", "0"), "broken-plan"),
                (("plan", "almaty-vehicle", "--k", "-1"), "--k"),
                (("whatif", "run", str(broken), "--out", str(whatif)), "broken-plan"),
                (("whatif", "example", "--days", "0"), "--days")])


@covers("serve", "data export")
def test_serve_then_floor_export(k: Kezek) -> None:
    """`serve` answers /healthz and stops on SIGTERM with status 0; a ticket taken
    through it is what `data export` then writes."""
    bare = Kezek(k.home, {**k.env, "KEZEK_DATABASE_URL": f"sqlite:///{k.home / 'bare.db'}"},
                 k.forks)
    assert "database is up to date" in bare.ok("db", "upgrade")
    assert "nothing to export" in bare.bad("data", "export", "--out", str(k.home / "bare"))
    # The demo's day has tickets of its own; the one taken through `serve` is one more.
    before = _tickets(k.ok("data", "export", "--out", str(k.home / "floor")))
    # Centre 4 (stepnogorsk-1) takes walk-ins; the first three are booking-only.
    made = subprocess.run([KEZEK, "users", "create", "smoke.door", "--role", "door",
                           "--center", "4"], cwd=k.home, capture_output=True, text=True,
                          env={**k.env, "KEZEK_NEW_PASSWORD": PASSWORD}, timeout=60)
    assert made.returncode == 0, made.stdout + made.stderr
    port = free_port()
    server = k.popen("serve", "--port", str(port), "--no-jobs",
                     "--timeout-graceful-shutdown", "3")
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                server.alive()
                assert time.monotonic() < deadline, "serve never answered /healthz"
                time.sleep(0.3)
        token = _post(base + "/api/v1/auth/token",
                      {"username": "smoke.door", "password": PASSWORD})["access_token"]
        ticket = _post(base + "/api/v1/centers/4/arrivals", {"iin": IIN, "service": "01010001"},
                       str(token))
        assert ticket["ticket"]
    finally:
        output = server.stop()
    assert "Uvicorn running on" in output and IIN not in output
    assert _tickets(k.ok("data", "export", "--out", str(k.home / "floor"))) == before + 1
    all_bad(k, [(("serve", "--port", "http"), "port")])


def _tickets(line: str) -> int:
    """The ticket count in `data export`'s line ("... tickets 10, events 22, ...")."""
    found = re.search(r"tickets (\d+)", line)
    assert found, line
    return int(found.group(1))


def _post(url: str, body: dict[str, object], token: str | None = None) -> dict[str, object]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(req, timeout=20) as r:
        result: dict[str, object] = json.loads(r.read())
        return result


@covers("jobs run-due", "jobs worker")
def test_jobs(k: Kezek) -> None:
    assert "scheduled 0, queued 0" in k.ok("jobs", "run-due")
    worker = k.popen("jobs", "worker", "--workers", "1")
    worker.wait_for("consumer started")
    time.sleep(1)
    worker.alive()
    worker.stop()
    queue = k.home / "queue-dir"
    queue.mkdir()
    all_bad(Kezek(k.home, {**k.env, "KEZEK_JOBS_FILE": str(queue)}),
            [(("jobs", "run-due"), "job queue"),
             (("jobs", "worker", "--workers", "0"), "between 1 and 32")])


@covers("bot")
def test_bot_polls_the_fake_api_and_stops(k: Kezek) -> None:
    api = FakeBotApi()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(api.start(), loop).result(10)
    try:
        bot = k.popen("bot", env={**k.env, "KEZEK_TELEGRAM_TOKEN": "123456:ABCdefGhIJKlmno",
                                  "KEZEK_TELEGRAM_API_BASE": api.url})
        deadline = time.monotonic() + 60
        while not (api.of("getUpdates") or api.of("getMe")):
            bot.alive()
            assert time.monotonic() < deadline, "the bot never called the Bot API"
            time.sleep(0.2)
        bot.stop()
    finally:
        asyncio.run_coroutine_threadsafe(api.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
    all_bad(Kezek(k.home, {**k.env, "KEZEK_TELEGRAM_TOKEN": "not-a-token"}),
            [(("bot",), "does not look like a bot token")])


def test_database_commands_on_postgresql(k: Kezek, tmp_path: Path) -> None:
    """The same commands against PostgreSQL: the migrations, the demo load, a listing and
    an unknown user's one line (the rest of the module runs on SQLite, to stay quick)."""
    from tests.conftest import empty_pg_db

    with empty_pg_db() as url:
        pg = Kezek(tmp_path, {**k.env, "KEZEK_DATABASE_URL": url})
        assert "database is up to date" in pg.ok("db", "upgrade")
        assert "demo loaded: services 192" in pg.ok("demo", "load")
        assert "almaty" in pg.ok("network", "centers", "--city", "almaty")
        assert "no such user: nobody" in pg.bad("users", "unlock", "nobody")
