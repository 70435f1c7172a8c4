"""The one clock (kezek.clock, ADR 0024): pinned, it reads the given instant and then
advances normally; unpinned, it is the real clock; the application reads it through
`utcnow`; KEZEK_CLOCK_AT pins a server while it runs and is refused in production."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from kezek import clock
from kezek.api.app import create_app
from kezek.settings import Settings
from kezek.store.models import utcnow
from tests.conftest import MORNING

EVENING = dt.datetime(2026, 12, 8, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=5)))
SECOND = dt.timedelta(seconds=1)


def _near(a: dt.datetime, b: dt.datetime, within: dt.timedelta = SECOND) -> bool:
    return abs(a - b) < within


def _offset() -> dt.timedelta:
    """How far Kezek's clock is from the real one: zero unless something outside the
    test pinned it (the 23:30 proof run of ADR 0024 does)."""
    return clock.now() - dt.datetime.now(dt.UTC)


def _as_before(offset: dt.timedelta) -> bool:
    return abs(_offset() - offset) < SECOND


def test_a_pinned_clock_reads_the_instant_then_advances() -> None:
    before = _offset()
    with clock.pinned(EVENING) as at:
        assert at == EVENING
        first = clock.now()
        assert first.tzinfo is dt.UTC and _near(first, EVENING)
        time.sleep(0.2)
        later = clock.now()
        assert dt.timedelta(seconds=0.2) <= later - first < SECOND  # not frozen
        assert clock.local("Asia/Almaty").time().replace(second=0, microsecond=0) == \
            dt.time(23, 30)
        assert _near(utcnow(), EVENING)  # the application's reading follows the pin
    assert _as_before(before)  # the clock it was before (the real one, normally)


def test_pins_nest_and_restore_what_was_before() -> None:
    before = _offset()
    with clock.pinned(MORNING):
        with clock.pinned(EVENING):
            assert _near(clock.now(), EVENING)
        assert _near(clock.now(), MORNING)
    assert _as_before(before)
    clock.restore(clock.pin(EVENING))
    assert _as_before(before)


def test_the_pinned_morning_fixture(pinned_clock: dt.datetime) -> None:
    assert pinned_clock == MORNING and pinned_clock.weekday() == 1  # a Tuesday
    assert clock.local("Asia/Almaty").hour == 10


def test_a_pin_without_an_offset_is_refused() -> None:
    before = _offset()
    with pytest.raises(ValueError, match="UTC offset"):
        clock.pin(dt.datetime(2026, 12, 8, 10, 0))
    assert _as_before(before)


def test_the_setting_is_read_and_refused_in_production(monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    monkeypatch.setenv("KEZEK_CLOCK_AT", "2026-12-08T10:00+05:00")
    assert Settings().clock_at == MORNING
    monkeypatch.setenv("KEZEK_CLOCK_AT", "2026-12-08T10:00")
    with pytest.raises(ValidationError, match="UTC offset"):
        Settings()
    monkeypatch.delenv("KEZEK_CLOCK_AT")
    safe = {"secret_key": "s" * 40, "iin_key": "k" * 40, "sms_url": "http://127.0.0.1:9/sms"}
    assert Settings(env="production", **safe).clock_at is None
    with pytest.raises(ValidationError, match="KEZEK_CLOCK_AT is for development"):
        Settings(env="production", clock_at=MORNING, **safe)


def test_a_server_runs_on_the_clock_it_is_given(sqlite_url: str) -> None:
    before = _offset()
    settings = Settings(database_url=sqlite_url, env="test", clock_at=EVENING)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        assert _near(clock.now(), EVENING, 5 * SECOND)  # the server's thread pinned it
    assert _as_before(before)  # and put it back when it stopped
    with TestClient(create_app(Settings(database_url=sqlite_url, env="test"))):
        assert _as_before(before)  # without the setting, the server leaves it alone


def test_every_process_reads_the_setting_the_same_way() -> None:
    # serve, the jobs worker and the bot enter this for KEZEK_CLOCK_AT; unset, the real one.
    with clock.pinned_from_setting(None):
        assert abs((clock.now() - dt.datetime.now(dt.UTC)).total_seconds()) < 5
    with clock.pinned_from_setting(MORNING):
        assert abs((clock.now() - MORNING).total_seconds()) < 5
    assert abs((clock.now() - dt.datetime.now(dt.UTC)).total_seconds()) < 5
