"""Free slots: schedule-generated starts minus the seats that bookings hold."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog
from kezek.core.policy import Privilege, eligible_windows
from kezek.core.slots import bookable_days, day_starts, local_today
from kezek.store.models import HOLDING_SQL, BookingRow

MAX_DAYS = 31


@dataclass(frozen=True, slots=True)
class FreeSlot:
    start: dt.datetime  # aware, in the centre's zone
    free: int
    capacity: int


async def free_slots(
    session: AsyncSession, center_id: int, service_code: str, first: dt.date | None,
    days: int, now: dt.datetime, privilege: Privilege | None = None,
) -> list[FreeSlot]:
    """Bookable starts with at least one free seat, from `first` for `days` days."""
    service = await catalog.service(session, service_code)
    ctx = await catalog.center(session, center_id)
    today = local_today(ctx.center, now)
    start_day = max(first or today, today)
    days = max(1, min(days, MAX_DAYS))
    last_day = start_day + dt.timedelta(days=days - 1)
    windows = eligible_windows(ctx.center, service, ctx.windows, privilege)
    capacity = sum(w.seats for w in windows)
    lead = now + dt.timedelta(minutes=ctx.policy.min_lead_minutes)
    starts = [s for day in bookable_days(ctx.center, today, (last_day - today).days + 1)
              if day >= start_day
              for s in day_starts(ctx.center, day, ctx.exceptions, ctx.holidays) if s > lead]
    if not starts:
        return []
    taken = await taken_counts(session, [w.id for w in windows], starts[0], starts[-1])
    cap = ctx.center.slot_capacity
    center_taken = (await center_counts(session, center_id, starts[0], starts[-1])
                    if cap is not None else Counter[dt.datetime]())
    out = []
    for s in starts:
        at = s.astimezone(dt.UTC)
        free = capacity - taken.get(at, 0)
        if cap is not None:
            free = min(free, cap - center_taken.get(at, 0))
        if free > 0:
            out.append(FreeSlot(s, free, capacity if cap is None else min(capacity, cap)))
    return out


async def taken_counts(session: AsyncSession, window_ids: list[int], first: dt.datetime,
                       last: dt.datetime) -> Counter[dt.datetime]:
    """Seats held per start on these windows."""
    return await _holding(session, BookingRow.window_id.in_(window_ids), first, last)


async def center_counts(session: AsyncSession, center_id: int, first: dt.datetime,
                        last: dt.datetime) -> Counter[dt.datetime]:
    """People booked per start across the whole centre."""
    return await _holding(session, BookingRow.center_id == center_id, first, last)


async def _holding(session: AsyncSession, where: ColumnElement[bool], first: dt.datetime,
                   last: dt.datetime) -> Counter[dt.datetime]:
    rows = await session.execute(
        select(BookingRow.start_utc, func.count()).where(
            where, BookingRow.start_utc >= first, BookingRow.start_utc <= last,
            text("bookings." + HOLDING_SQL),
        ).group_by(BookingRow.start_utc))
    return Counter({start: n for start, n in rows.all()})
