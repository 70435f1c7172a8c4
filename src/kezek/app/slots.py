"""Free slots: schedule-generated starts minus the seats that bookings hold."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import ballot_draw, catalog
from kezek.app.catalog import CenterContext
from kezek.core.policy import Privilege, eligible_windows
from kezek.core.registry import Service
from kezek.core.release import Phase, check_open, phase
from kezek.core.slots import (
    block_end,
    bookable_days,
    day_starts,
    local_today,
    slots_needed,
)
from kezek.store.models import HOLDING_SQL, BookingRow

MAX_DAYS = 31


@dataclass(frozen=True, slots=True)
class FreeSlot:
    start: dt.datetime  # aware, in the centre's zone
    free: int
    capacity: int


# How far ahead the earliest free time is looked for: first the next few days, which
# is where it usually is, then the rest of the span in one read.
EARLIEST_SPANS = (3, 11)


async def earliest_free(session: AsyncSession, center_id: int, service_code: str,
                        now: dt.datetime) -> FreeSlot | None:
    """The first bookable start with a free seat within sum(EARLIEST_SPANS) days, or None.

    What a person comparing centres wants to know first; read in two spans so that a
    centre with room tomorrow costs one short read."""
    ctx = await catalog.center(session, center_id)
    day = local_today(ctx.center, now)
    for span in EARLIEST_SPANS:
        found = await free_slots(session, center_id, service_code, day, span, now)
        if found:
            return found[0]
        day += dt.timedelta(days=span)
    return None


async def free_slots(
    session: AsyncSession, center_id: int, service_code: str, first: dt.date | None,
    days: int, now: dt.datetime, privilege: Privilege | None = None,
) -> list[FreeSlot]:
    """Bookable starts with at least one free seat, from `first` for `days` days.

    A seat is free at a start when the service's whole block (its standard slot, on the
    centre's grid) is free on it: a 30-minute visit needs a seat free for two slots.
    A first day not open yet (fair release, ADR 13) raises NotReleased or BallotOpen;
    later days not open yet are left out. A day whose ballot is due is drawn first.
    """
    service = await catalog.service(session, service_code)
    ctx = await catalog.center(session, center_id)
    today = local_today(ctx.center, now)
    start_day = max(first or today, today)
    days = max(1, min(days, MAX_DAYS))
    last_day = start_day + dt.timedelta(days=days - 1)
    if start_day <= today + dt.timedelta(days=ctx.center.horizon_days):
        check_open(ctx.center, ctx.policy, start_day, now)
    while last_day > start_day and phase(ctx.center, ctx.policy, last_day, now) is not Phase.OPEN:
        last_day -= dt.timedelta(days=1)
    if ctx.policy.ballot_minutes > 0:
        day = start_day
        while day <= last_day:
            await ballot_draw.ensure_drawn(session, ctx, day, now)
            day += dt.timedelta(days=1)
    windows = eligible_windows(ctx.center, service, ctx.windows, privilege)
    capacity = sum(w.seats for w in windows)
    n = slots_needed(ctx.center, service.standard.slot_minutes)
    lead = now + dt.timedelta(minutes=ctx.policy.min_lead_minutes)
    starts = [s for day in bookable_days(ctx.center, today, (last_day - today).days + 1)
              if day >= start_day
              for s in day_starts(ctx.center, day, ctx.exceptions, ctx.holidays, n)
              if s > lead]
    if not starts:
        return []
    length = block_end(ctx.center, starts[0], n) - starts[0]
    held = await held_blocks(session, [w.id for w in windows], starts[0].astimezone(dt.UTC),
                             starts[-1].astimezone(dt.UTC) + length, ctx.longest_block)
    cap = ctx.center.slot_capacity
    center_taken = (await center_counts(session, center_id, starts[0], starts[-1])
                    if cap is not None else Counter[dt.datetime]())
    out = []
    for s in starts:
        at = s.astimezone(dt.UTC)
        free = capacity - sum(1 for blocks in held.values() if blocks.overlaps(at, at + length))
        if cap is not None:
            free = min(free, cap - center_taken.get(at, 0))
        if free > 0:
            out.append(FreeSlot(s, free, capacity if cap is None else min(capacity, cap)))
    return out


@dataclass(slots=True)
class SeatBlocks:
    """The blocks one seat holds, sorted; they never overlap (the database sees to it),
    so sorted by start they are sorted by end too, and one bisection answers."""

    starts: list[dt.datetime] = field(default_factory=list)
    ends: list[dt.datetime] = field(default_factory=list)

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        i = bisect.bisect_left(self.starts, end)
        return i > 0 and self.ends[i - 1] > start


async def held_blocks(session: AsyncSession, window_ids: list[int], first: dt.datetime,
                      last: dt.datetime, longest: dt.timedelta
                      ) -> dict[tuple[int, int], SeatBlocks]:
    """Per (window, seat), the blocks held that overlap [first, last); `longest` (the
    catalog's longest block) bounds the index range from below."""
    rows = await session.execute(
        select(BookingRow.window_id, BookingRow.seat, BookingRow.start_utc,
               BookingRow.end_utc).where(
            BookingRow.window_id.in_(window_ids), BookingRow.start_utc > first - longest,
            BookingRow.start_utc < last,
            BookingRow.end_utc > first, text("bookings." + HOLDING_SQL),
        ).order_by(BookingRow.start_utc))
    out: dict[tuple[int, int], SeatBlocks] = {}
    for window_id, seat, start, end in rows.all():
        blocks = out.setdefault((window_id, seat), SeatBlocks())
        blocks.starts.append(start)
        blocks.ends.append(end)
    return out


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


def visit_end(ctx: CenterContext, service: Service, start_utc: dt.datetime) -> dt.datetime:
    """The end of a visit's block: the service's standard slot, on the centre's grid."""
    return block_end(ctx.center, start_utc, slots_needed(ctx.center,
                                                         service.standard.slot_minutes))
