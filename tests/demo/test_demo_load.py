"""`kezek demo load`: the demo accounts and a day at the demo centre, once, never in
production; run in-process against a temporary SQLite database on a pinned morning."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from kezek import clock
from kezek.app import demo_day
from kezek.app.actor import SYSTEM
from kezek.app.demo import demo_text
from kezek.app.identity.phone_import import parse
from kezek.cli import app
from kezek.core.errors import Forbidden
from kezek.settings import get_settings
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work

runner = CliRunner()
TABLES = ("users", "bookings", "tickets", "persons", "audit_log", "centers", "services")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
       pinned_clock: object) -> Iterator[Path]:
    path = tmp_path / "demo.db"
    monkeypatch.setenv("KEZEK_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("KEZEK_ENV", raising=False)
    get_settings.cache_clear()
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    yield path
    get_settings.cache_clear()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return list(conn.execute(sql).fetchall())


def _counts(path: Path) -> dict[str, int]:
    return {t: int(_rows(path, f"SELECT count(*) FROM {t}")[0][0])
            for t in TABLES}


def _by_status(path: Path, table: str) -> dict[str, int]:
    centre = f"(SELECT id FROM centers WHERE slug = '{demo_day.DEMO_CENTER}')"
    rows = _rows(path, f"SELECT status, count(*) FROM {table} "
                       f"WHERE center_id = {centre} GROUP BY status")
    return {str(status): int(n) for status, n in rows}


def test_the_demo_has_staff_and_a_living_floor_once(db: Path) -> None:
    first = runner.invoke(app, ["demo", "load", "--if-empty"])
    assert first.exit_code == 0, first.output
    for account in demo_day.DEMO_ACCOUNTS:  # printed, with the demo password
        assert f"{account.username}" in first.output and account.password in first.output
    users = dict(_rows(db, "SELECT username, role FROM users"))
    assert users == {a.username: a.role.value for a in demo_day.DEMO_ACCOUNTS}
    assert {r: list(users.values()).count(r) for r in ("admin", "manager", "door", "operator",
                                                        "call_centre", "analyst")} == {
        "admin": 1, "manager": 1, "door": 1, "operator": 3, "call_centre": 1, "analyst": 1}
    assert _by_status(db, "tickets") == {"done": 3, "serving": 1, "called": 1, "waiting": 5}
    assert _by_status(db, "bookings") == {"active": 6, "checked_in": 2}
    # Through the services: every booking and every ticket event is audited or recorded.
    assert _rows(db, "SELECT count(*) FROM audit_log WHERE action = 'booking.create'")[0][0] == 8
    assert _rows(db, "SELECT count(*) FROM audit_log WHERE action = 'user.create'")[0][0] == 8
    called = _rows(db, "SELECT w.number FROM tickets t JOIN windows w ON w.id = t.window_id "
                       "WHERE t.status IN ('called', 'serving') ORDER BY w.number")
    assert called == [(7,), (8,)]
    # The first three demo people stay free to book with; no IIN is shown in clear.
    free = [line.iin for line in parse(demo_text("people.csv"))][:3]
    masked = {str(r[0]) for r in _rows(db, "SELECT iin_masked FROM bookings")}
    assert all(f"{i[:2]}********{i[-2:]}" not in masked for i in free)
    assert not any(line.iin in first.output for line in parse(demo_text("people.csv")))

    before = _counts(db)
    second = runner.invoke(app, ["demo", "load", "--if-empty"])
    assert second.exit_code == 0 and "not loaded" in second.output
    assert "demo.door" in second.output  # the accounts are still shown
    assert _counts(db) == before


def test_after_closing_the_bookings_land_on_the_next_open_day(db: Path) -> None:
    """A Saturday evening (the demo centre closed until Monday): the floor still shows
    the day's people, and the bookings are on Monday, none checked in."""
    with clock.pinned(dt.datetime(2026, 12, 12, 21, 0, tzinfo=ZoneInfo("Asia/Almaty"))):
        result = runner.invoke(app, ["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert _by_status(db, "tickets") == {"done": 3, "serving": 1, "called": 1, "waiting": 5}
    assert _by_status(db, "bookings") == {"active": 6}
    days = _rows(db, "SELECT DISTINCT local_date FROM bookings")
    assert [str(d[0]) for d in days] == ["2026-12-14"]


def test_production_never_gets_demo_accounts_or_a_day(db: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEZEK_ENV", "production")
    monkeypatch.setenv("KEZEK_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("KEZEK_IIN_KEY", "i" * 40)
    monkeypatch.setenv("KEZEK_SMS_URL", "http://127.0.0.1:9/sms")
    get_settings.cache_clear()
    result = runner.invoke(app, ["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "never created in production" in result.output
    assert "Kezek-demo" not in result.output
    assert _counts(db)["users"] == 0 and _counts(db)["tickets"] == 0
    assert _counts(db)["bookings"] == 0 and _counts(db)["centers"] > 0

    async def direct() -> None:  # the services refuse too, whoever calls them
        engine = make_engine(get_settings().database_url)
        try:
            async with unit_of_work(make_sessionmaker(engine)) as s:
                with pytest.raises(Forbidden):
                    await demo_day.create_accounts(s, "production", SYSTEM)
                with pytest.raises(Forbidden):
                    await demo_day.seed_day(s, b"k" * 32, demo_text("people.csv"),
                                            "production")
        finally:
            await engine.dispose()

    asyncio.run(direct())
    assert _counts(db)["users"] == 0
