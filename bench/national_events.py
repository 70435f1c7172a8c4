"""The national peak hour as timed events: what bench/national_hour.py replays over HTTP.

Pure: reads the generated visit columns (kezek.analytics.generate), returns plain records.

The hour is the one with the most arrivals in the data set. A replay covers a slice of it
(the whole hour by default); times are seconds from the slice's start, in data time:
- `book`: a booking made in the slice (`booked_at` inside it), for a slot on a later day;
- `arrive`: a person at the door in the slice: a check-in (booked) or a walk-in;
- `call`: an operator's call-next in the slice, then `start` and `finish` after the
  visit's own gaps (the operator flow; steps past the slice's end are not replayed).
The people already waiting at the slice's start (arrived before, called or gone after)
are `waiting`: the bench puts them on the floor before the clock starts, so the queue a
call-next reads is as long as the data says, not empty at the start of the replay.

The generator draws each served visit's window at random, so its windows serve several
people at once; a real window serves one. The replay therefore takes any free window for
a call, and `windows_needed` gives each centre enough windows for the slice's busiest
moment (the bench adds windows serving everything where the network has fewer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kezek.analytics.schema import CHANNELS, Column

BOOKING_CHANNELS = ("web", "bot", "call_centre", "door")
SPREAD_SEED = 12


@dataclass(frozen=True)
class Booking:
    at: float
    visit: int
    center: int
    service: int
    slot: np.datetime64  # the slot's start, UTC, as the data set has it
    channel: str
    privileged: bool


@dataclass(frozen=True)
class Arrival:
    at: float
    visit: int
    center: int
    service: int
    booked: bool
    privileged: bool
    late_by: float  # seconds after the slot's start (negative: early); 0 for walk-ins


@dataclass(frozen=True)
class Call:
    at: float
    visit: int
    center: int
    start_after: float   # seconds from the call to the start of service
    finish_after: float  # seconds from the start of service to its end


@dataclass(frozen=True)
class Waiting:
    visit: int
    center: int
    service: int
    privileged: bool
    waited: float  # seconds since arrival at the slice's start


@dataclass(frozen=True)
class Hour:
    """One slice of the busiest hour, ready to replay."""

    hour: np.datetime64
    start: float
    seconds: float
    bookings: list[Booking]
    arrivals: list[Arrival]
    calls: list[Call]
    waiting: list[Waiting]

    def windows_needed(self) -> dict[int, int]:
        """Per centre, the most operator flows (call to finish) open at one moment."""
        spans: dict[int, list[tuple[float, int]]] = {}
        for c in self.calls:
            end = min(c.at + c.start_after + c.finish_after, self.seconds)
            spans.setdefault(c.center, []).extend([(c.at, 1), (end, -1)])
        out = {}
        for centre, edges in spans.items():
            open_now = peak = 0
            for _, step in sorted(edges, key=lambda e: (e[0], e[1])):
                open_now += step
                peak = max(peak, open_now)
            out[centre] = peak
        return out

    def counts(self) -> dict[str, int]:
        starts = sum(1 for c in self.calls if c.at + c.start_after < self.seconds)
        finishes = sum(1 for c in self.calls
                       if c.at + c.start_after + c.finish_after < self.seconds)
        return {"bookings": len(self.bookings), "arrivals": len(self.arrivals),
                "check-ins": sum(1 for a in self.arrivals if a.booked),
                "calls": len(self.calls), "starts": starts, "finishes": finishes,
                "waiting at start": len(self.waiting)}


def busiest_hour(columns: Mapping[str, npt.NDArray[Any]]) -> np.datetime64:
    """The UTC hour with the most arrivals (the earliest if several tie)."""
    arrived = columns[Column.ARRIVED_AT]
    hours = arrived[~np.isnat(arrived)].astype("datetime64[h]")
    values, counts = np.unique(hours, return_counts=True)
    return values[int(np.argmax(counts))]  # type: ignore[no-any-return]


def _seconds(t: npt.NDArray[np.datetime64], origin: np.datetime64) -> npt.NDArray[np.float64]:
    return (t - origin) / np.timedelta64(1, "s")


def build(columns: Mapping[str, npt.NDArray[Any]], start_minute: float = 0.0,
          minutes: float = 60.0, hour: np.datetime64 | None = None) -> Hour:
    """The slice [start_minute, start_minute + minutes) of the busiest hour as events."""
    hour = busiest_hour(columns) if hour is None else hour
    origin = hour.astype("datetime64[s]") + np.timedelta64(round(start_minute * 60), "s")
    length = minutes * 60.0
    c = columns
    outcome, kind = c[Column.OUTCOME], c[Column.KIND]
    booked_kind = kind == 0
    arrived = _seconds(c[Column.ARRIVED_AT], origin)
    # The generator gives walk-ins whole minutes of arrival (no seconds): replayed as they
    # are, every walk-in of the country in a minute came through the door in the same
    # second, a burst of about 150 requests each minute. Spread over their minute
    # (seeded by visit, so every run and every slice spreads them the same way).
    at = c[Column.ARRIVED_AT].astype("datetime64[s]").astype(np.int64)
    on_minute = ~booked_kind & (at % 60 == 0) & ~np.isnat(c[Column.ARRIVED_AT])
    spread = np.random.default_rng(SPREAD_SEED).random(arrived.size) * 60.0
    arrived = np.where(on_minute, arrived + spread, arrived)
    called = _seconds(c[Column.CALLED_AT], origin)
    started = _seconds(c[Column.STARTED_AT], origin)
    finished = _seconds(c[Column.FINISHED_AT], origin)
    left = _seconds(c[Column.LEFT_AT], origin)
    booked_at = _seconds(c[Column.BOOKED_AT], origin)
    slot = c[Column.SLOT_AT]
    slot_s = _seconds(slot, origin)

    def inside(t: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
        with np.errstate(invalid="ignore"):
            return np.flatnonzero((t >= 0) & (t < length))

    bookings = [Booking(float(booked_at[i]), int(i), int(c[Column.CENTER][i]),
                        int(c[Column.SERVICE][i]), slot[i],
                        CHANNELS[int(c[Column.CHANNEL][i])],
                        bool(c[Column.PRIVILEGED][i]))
                for i in inside(booked_at)
                if CHANNELS[int(c[Column.CHANNEL][i])] in BOOKING_CHANNELS
                and slot_s[i] >= length]  # for a later slot: not one of the slice's arrivals
    arrivals = [Arrival(float(arrived[i]), int(i), int(c[Column.CENTER][i]),
                        int(c[Column.SERVICE][i]), bool(booked_kind[i]),
                        bool(c[Column.PRIVILEGED][i]),
                        float(arrived[i] - slot_s[i]) if booked_kind[i] else 0.0)
                for i in inside(arrived)]
    calls = [Call(float(called[i]), int(i), int(c[Column.CENTER][i]),
                  float(started[i] - called[i]), float(finished[i] - started[i]))
             for i in inside(called) if outcome[i] == 0]
    with np.errstate(invalid="ignore"):
        still = np.where(outcome == 0, called >= 0, np.where(outcome == 2, left >= 0, False))
        before = np.flatnonzero((arrived < 0) & still & (arrived > -12 * 3600))
    waiting = [Waiting(int(i), int(c[Column.CENTER][i]), int(c[Column.SERVICE][i]),
                       bool(c[Column.PRIVILEGED][i]), float(-arrived[i])) for i in before]
    order = sorted
    return Hour(hour, start_minute * 60.0, length, order(bookings, key=lambda e: e.at),
                order(arrivals, key=lambda e: e.at), order(calls, key=lambda e: e.at),
                waiting)
