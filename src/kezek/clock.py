"""The one clock that says what time it is: `now()` in UTC, and a centre's local time.

Why a seam of our own: opening hours, the release time, the ballot window and the
floor's order ("booked for now goes before a walk-in") all depend on the time of day, so
a test of them judged by the wall clock either skips near midnight or checks less. The
application reads the time here (through `kezek.store.models.utcnow`, which delegates to
`now()`), and a test or a development server may *pin* it: from the moment it is pinned
the clock reads the given instant and then advances normally (an offset from the real
clock, not a frozen one, so timeouts, sleeps and "five minutes later" still work).

Pinning is process-wide on purpose: the page tests run the server in a thread of the test
process, and that thread must see the same time as the test. A server started apart gets
it from `KEZEK_CLOCK_AT` (kezek.settings; refused in production), applied while the app
runs (kezek.api.app).

What stays on the real clock: durations measured by `time.time()` or `time.monotonic()`
(proof and seal lifetimes, challenge expiry, throttle windows), each issued and checked on
the same clock, so a pinned day does not change them (ADR 0024).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from zoneinfo import ZoneInfo

_NONE = dt.timedelta(0)
_offset: dt.timedelta = _NONE


def now() -> dt.datetime:
    """The current instant, aware, in UTC (pinned or not)."""
    return dt.datetime.now(dt.UTC) + _offset


def local(timezone: str) -> dt.datetime:
    """The current time in a centre's zone (an IANA name, e.g. "Asia/Almaty")."""
    return now().astimezone(ZoneInfo(timezone))


def _offset_to(at: dt.datetime) -> dt.timedelta:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a pinned time needs its UTC offset, e.g. 2026-12-08T10:00+05:00")
    return at - dt.datetime.now(dt.UTC)


def pin(at: dt.datetime) -> dt.timedelta:
    """From now on the clock reads `at` and advances normally; returns the offset that was
    in force before, for `restore`."""
    global _offset
    before, _offset = _offset, _offset_to(at)
    return before


def restore(before: dt.timedelta = _NONE) -> None:
    """Puts back the offset `pin` returned (by default, the real clock)."""
    global _offset
    _offset = before


@contextmanager
def pinned(at: dt.datetime) -> Iterator[dt.datetime]:
    """The clock pinned to `at` inside the block, whatever it was before afterwards."""
    before = pin(at)
    try:
        yield at
    finally:
        restore(before)


def pinned_from_setting(at: dt.datetime | None) -> AbstractContextManager[object]:
    """The clock pinned to KEZEK_CLOCK_AT (`settings.clock_at`) while a process runs, the
    real one when unset: the same for the API, the jobs worker and the bot (the
    settings refuse the value in production)."""
    return pinned(at) if at is not None else nullcontext()
