"""Quiet hours: when a hold made at night ends, and what a span may look like."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kezek.core.quiet import hold_end, is_quiet, parse_quiet

TZ = ZoneInfo("Asia/Almaty")
NIGHT = parse_quiet("22:00-08:00")


def at(hh: int, mm: int, day: int = 8) -> dt.datetime:
    return dt.datetime(2026, 12, day, hh, mm, tzinfo=TZ)


@pytest.mark.parametrize(("made", "ends"), [
    (at(0, 12), at(8, 15)),            # the case: no more lapsing at 00:27
    (at(21, 50), at(8, 5, day=9)),     # ten minutes by day, five in the morning
    (at(22, 0), at(8, 15, day=9)),     # made as the night begins
    (at(7, 59), at(8, 15)),
    (at(8, 0), at(8, 15)),
    (at(14, 0), at(14, 15)),           # by day nothing changes
    (at(21, 45), at(22, 0)),           # ends exactly as the night begins
])
def test_a_hold_counts_no_minute_of_the_night(made: dt.datetime, ends: dt.datetime) -> None:
    assert hold_end(made, 15, "Asia/Almaty", NIGHT) == ends.astimezone(dt.UTC)


def test_a_hold_is_walked_in_the_centres_own_time() -> None:
    made = dt.datetime(2026, 12, 7, 19, 12, tzinfo=dt.UTC)  # 00:12 in Almaty (UTC+5)
    assert hold_end(made, 15, "Asia/Almaty", NIGHT) == at(8, 15).astimezone(dt.UTC)
    # Another centre's zone: the same wall-clock span, in that zone.
    aktau = hold_end(made, 15, "Asia/Aqtau", NIGHT).astimezone(ZoneInfo("Asia/Aqtau"))
    assert aktau.time() == dt.time(8, 15)


def test_a_daytime_span_and_none() -> None:
    lunch = parse_quiet("13:00-14:00")
    assert hold_end(at(12, 50), 15, "Asia/Almaty", lunch) == at(14, 5).astimezone(dt.UTC)
    assert hold_end(at(0, 12), 15, "Asia/Almaty", None) == at(0, 27).astimezone(dt.UTC)
    assert parse_quiet("") is None and parse_quiet(None) is None
    assert is_quiet(NIGHT, at(23, 0), "Asia/Almaty")
    assert not is_quiet(NIGHT, at(9, 0), "Asia/Almaty")
    assert not is_quiet(None, at(23, 0), "Asia/Almaty")


@pytest.mark.parametrize("bad", ["22-08", "25:00-08:00", "22:00-22:00", "night", "22:00"])
def test_a_malformed_span_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_quiet(bad)
