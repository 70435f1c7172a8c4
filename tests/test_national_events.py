"""The national bench's events, built from a handful of visits whose times are known."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from bench.national_events import build, busiest_hour

from kezek.analytics.schema import CHANNELS, Column

NAT = np.datetime64("NaT", "s")


def _t(hhmm: str | None) -> np.datetime64:
    return NAT if hhmm is None else np.datetime64(f"2026-01-19T{hhmm}:00", "s")


# (kind 0 booked / 1 walk-in, outcome, channel, booked_at, slot, arrived, called, started,
#  finished, left, centre)
VISITS: list[tuple[Any, ...]] = [
    (1, 0, "walk_in", None, None, "05:10", "05:20", "05:21", "05:30", None, 0),
    (1, 0, "walk_in", None, None, "05:15", "05:25", "05:26", "06:20", None, 0),
    (0, 0, "web", "04:00", "05:45", "05:40", "05:50", "05:51", "05:59", None, 1),
    (1, 0, "walk_in", None, None, "04:50", "05:05", "05:06", "05:16", None, 0),  # waiting
    (1, 2, "walk_in", None, None, "04:55", None, None, None, "05:02", 0),         # waiting
    (0, 1, "bot", "05:30", "08:00", None, None, None, None, None, 1),  # books a later slot
    (0, 1, "web", "05:35", "05:50", None, None, None, None, None, 1),  # slot in the hour
    (1, 0, "walk_in", None, None, "03:10", "03:20", "03:21", "03:30", None, 1),  # earlier
]


def columns() -> dict[str, Any]:
    cols: dict[str, list[Any]] = {k: [] for k in (
        Column.KIND, Column.OUTCOME, Column.CHANNEL, Column.BOOKED_AT, Column.SLOT_AT,
        Column.ARRIVED_AT, Column.CALLED_AT, Column.STARTED_AT, Column.FINISHED_AT,
        Column.LEFT_AT, Column.CENTER)}
    for kind, outcome, channel, *times, centre in VISITS:
        cols[Column.KIND].append(kind)
        cols[Column.OUTCOME].append(outcome)
        cols[Column.CHANNEL].append(CHANNELS.index(channel))
        for name, t in zip((Column.BOOKED_AT, Column.SLOT_AT, Column.ARRIVED_AT,
                            Column.CALLED_AT, Column.STARTED_AT, Column.FINISHED_AT,
                            Column.LEFT_AT), times, strict=True):
            cols[name].append(_t(t))
        cols[Column.CENTER].append(centre)
    out = {k: np.array(v) for k, v in cols.items()}
    n = len(VISITS)
    out[Column.SERVICE] = np.arange(n)
    out[Column.PRIVILEGED] = np.zeros(n, bool)
    return out


def test_the_busiest_hour_is_the_one_with_most_arrivals() -> None:
    assert busiest_hour(columns()) == np.datetime64("2026-01-19T05", "h")


def test_the_whole_hour() -> None:
    hour = build(columns())
    assert [a.visit for a in hour.arrivals] == [0, 1, 2]
    assert [a.booked for a in hour.arrivals] == [False, False, True]
    assert hour.arrivals[2].late_by == -300.0  # five minutes early: booked, to the second
    assert hour.arrivals[2].at == 2400.0
    # every call in the hour, its start and finish after the visit's own gaps
    assert [(c.visit, c.at, c.start_after, c.finish_after) for c in hour.calls] == [
        (3, 300.0, 60.0, 600.0), (0, 1200.0, 60.0, 540.0), (1, 1500.0, 60.0, 3240.0),
        (2, 3000.0, 60.0, 480.0)]
    # the booking made in the hour for a later slot; not the one whose slot is inside it
    assert [(b.visit, b.at, b.channel) for b in hour.bookings] == [(5, 1800.0, "bot")]
    # already waiting at 05:00: arrived before, called (or gone) after
    assert sorted(w.visit for w in hour.waiting) == [3, 4]
    assert [540 < w.waited <= 600 or 240 < w.waited <= 300 for w in hour.waiting] == [True] * 2
    # centre 0: visits 0 (05:20-05:30) and 1 (05:25, past the end) at once; 3 ends at 05:16
    assert hour.windows_needed() == {0: 2, 1: 1}
    assert hour.counts()["finishes"] == 3


def test_a_slice_keeps_its_own_events_and_who_waits_at_its_start() -> None:
    hour = build(columns(), start_minute=18, minutes=10)
    assert [a.visit for a in hour.arrivals] == []
    assert [(c.visit, c.at) for c in hour.calls] == [(0, 120.0), (1, 420.0)]
    assert sorted(w.visit for w in hour.waiting) == [0, 1]


@pytest.mark.parametrize("start", [0, 30])
def test_times_are_inside_the_slice(start: int) -> None:
    hour = build(columns(), start_minute=start, minutes=30)
    assert all(0 <= e.at < hour.seconds for e in (*hour.arrivals, *hour.calls,
                                                  *hour.bookings))


def test_walk_ins_on_whole_minutes_are_spread_over_their_minute() -> None:
    """The generator's walk-ins arrive on whole minutes: the replay spreads them, the same
    way every time, and keeps them inside their minute."""
    first, again = build(columns()), build(columns())
    walk_ins = [a for a in first.arrivals if not a.booked]
    assert [a.at for a in walk_ins] == [a.at for a in again.arrivals if not a.booked]
    assert 600 <= walk_ins[0].at < 660 and 900 <= walk_ins[1].at < 960
    assert any(a.at % 60 for a in walk_ins)
