"""Slots: the bookable start times of a centre, generated from its schedule.

Nothing here is stored: a slot is a (centre, start) pair that the schedule allows, and
its capacity is the seats of the windows that may serve the asked service then.  The
database only records bookings; its unique index on (window, start, seat) is what stops
two people taking the same place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from zoneinfo import ZoneInfo

from kezek.core.errors import OutsideSchedule
from kezek.core.network import Center
from kezek.core.schedule import DayException, hours_on


def day_starts(
    center: Center,
    day: dt.date,
    exceptions: Mapping[dt.date, DayException],
    holidays: frozenset[dt.date],
    slots: int = 1,
) -> list[dt.datetime]:
    """Slot starts on one local date, as aware datetimes in the centre's zone.

    With `slots` > 1 (a service whose standard takes several of the centre's slots),
    only the starts whose whole block ends by closing time: the booking cut-off limits
    when a visit may start, closing time when it must end.
    """
    hours = hours_on(day, center.schedule, exceptions, holidays)
    if hours is None:
        return []
    zone = ZoneInfo(center.timezone)
    step = dt.timedelta(minutes=center.slot_minutes)
    t = dt.datetime.combine(day, hours.opens, zone)
    closes = dt.datetime.combine(day, hours.closes, zone)
    cutoff = dt.datetime.combine(day, center.latest_booking, zone)
    starts: list[dt.datetime] = []
    while t + step * slots <= closes and t < cutoff:
        starts.append(t)
        t += step
    return starts


def slots_needed(center: Center, slot_minutes: int) -> int:
    """How many of the centre's slots a service's standard slot takes (at least one).

    A 30-minute service at a centre on a 15-minute grid takes two consecutive slots of
    one window seat; rounding up, so a visit never runs into the next person's time.
    """
    return max(1, -(-slot_minutes // center.slot_minutes))


def block_end(center: Center, start: dt.datetime, slots: int) -> dt.datetime:
    """When a visit of `slots` slots starting at `start` ends (same zone as `start`)."""
    return start + dt.timedelta(minutes=center.slot_minutes * slots)


def bookable_days(center: Center, today: dt.date, days: int) -> Iterator[dt.date]:
    """Dates from `today` within the centre's booking horizon."""
    last = today + dt.timedelta(days=center.horizon_days)
    for i in range(max(days, 0)):
        day = today + dt.timedelta(days=i)
        if day > last:
            return
        yield day


def local_today(center: Center, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(center.timezone)).date()


def check_start(
    center: Center,
    start: dt.datetime,
    now: dt.datetime,
    exceptions: Mapping[dt.date, DayException],
    holidays: frozenset[dt.date],
    slots: int = 1,
) -> dt.datetime:
    """Returns the start in UTC if it is a bookable slot now; raises OutsideSchedule if not.

    `slots` is what the service takes (`slots_needed`): its block must end by closing.
    """
    if start.tzinfo is None:
        raise OutsideSchedule(reason="timezone")
    local = start.astimezone(ZoneInfo(center.timezone))
    if start <= now:
        raise OutsideSchedule(reason="past")
    if local.date() > local_today(center, now) + dt.timedelta(days=center.horizon_days):
        raise OutsideSchedule(reason="horizon")
    day = local.date()
    if local not in day_starts(center, day, exceptions, holidays):
        raise OutsideSchedule(reason="not_a_slot")
    if slots > 1 and local not in day_starts(center, day, exceptions, holidays, slots):
        raise OutsideSchedule(reason="ends_after_closing")
    return start.astimezone(dt.UTC)
