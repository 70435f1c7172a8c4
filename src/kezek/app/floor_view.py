"""What the floor looks like now: the queue for staff, the board for the lobby.

The queue carries the line outside a full centre beside the people inside: the door
admits from it, the manager watches how long it is and how long its head has waited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog
from kezek.app.arrivals import floor_rules
from kezek.app.calls import shift_ended_today
from kezek.core.floor import ACTIVE, FloorRules, TicketStatus, Waiting, ordered
from kezek.core.network import Window
from kezek.store.models import FloorEventRow, TicketRow, WindowRow, WindowStateRow, utcnow

BOARD_RECENT = 8
ADMITTED_MINUTES = 10  # how long the board asks an admitted ticket to come in


@dataclass(frozen=True, slots=True)
class QueueEntry:
    ticket_id: int
    label: str
    services: list[str]
    kind: str
    privileged: bool
    status: str
    window: int | None
    waited_minutes: int
    booked_time: str | None  # HH:MM in the centre's time, for a booked person


@dataclass(frozen=True, slots=True)
class ServiceLoad:
    service: str
    waiting: int
    longest_wait_minutes: int
    max_wait_minutes: int

    @property
    def within_standard(self) -> bool:
        return self.longest_wait_minutes <= self.max_wait_minutes


@dataclass(frozen=True, slots=True)
class WindowView:
    id: int
    number: int
    privilege: bool
    state: str
    ticket: str | None
    shift_ended: bool  # closed by the end of the shift today: call-next refuses it


@dataclass(frozen=True, slots=True)
class QueueView:
    center_id: int
    occupancy: int
    occupancy_limit: int | None
    entries: list[QueueEntry]
    services: list[ServiceLoad]
    windows: list[WindowView]
    no_shows_today: int
    outside: list[QueueEntry]  # the line outside, next in first

    @property
    def longest_outside_minutes(self) -> int:
        return max((e.waited_minutes for e in self.outside), default=0)

    @property
    def free_places(self) -> int | None:
        if self.occupancy_limit is None:
            return None
        return max(0, self.occupancy_limit - self.occupancy)


async def queue(session: AsyncSession, center_id: int, now: dt.datetime | None = None
                ) -> QueueView:
    now = now or utcnow()
    ctx = await catalog.center(session, center_id)
    snap = await catalog.snapshot(session)
    today = now.astimezone(ZoneInfo(ctx.center.timezone)).date()
    every = (await session.scalars(select(TicketRow).where(
        TicketRow.center_id == center_id, TicketRow.day == today,  # no overnight stragglers
        TicketRow.status.in_([*(s.value for s in ACTIVE), TicketStatus.OUTSIDE.value])))).all()
    rows = [t for t in every if t.status != TicketStatus.OUTSIDE.value]
    rules = floor_rules(ctx)
    numbers = {w.id: w.number for w in (await session.scalars(select(WindowRow).where(
        WindowRow.center_id == center_id))).all()}
    waiting = _in_order([t for t in rows if t.status == TicketStatus.WAITING.value], now, rules)
    outside = _in_order([t for t in every if t.status == TicketStatus.OUTSIDE.value], now,
                        rules)

    def entry(t: TicketRow) -> QueueEntry:
        return QueueEntry(t.id, t.label, list(t.services), t.kind, t.privilege is not None,
                          t.status, numbers.get(t.window_id or -1), _minutes(now - t.arrived_at),
                          booked_time(t.booked_start, ctx.center.timezone))

    entries = [entry(t) for t in
               [*waiting, *(t for t in rows if t.status != TicketStatus.WAITING.value)]]
    loads: dict[str, list[int]] = {}
    for t in [*waiting, *outside]:  # waiting outside is waiting, against the same standard
        for code in t.services:
            loads.setdefault(code, []).append(_minutes(now - t.arrived_at))
    services = [ServiceLoad(code, len(w), max(w), snap.services[code].standard.max_wait_minutes
                            if code in snap.services else 0) for code, w in sorted(loads.items())]
    states = {s.window_id: s for s in (await session.scalars(select(WindowStateRow).where(
        WindowStateRow.window_id.in_([w.id for w in ctx.windows])))).all()}
    at_window = {t.window_id: t.label for t in rows if t.window_id is not None}

    def window(w: Window) -> WindowView:
        state = states.get(w.id)
        return WindowView(w.id, w.number, w.privilege,
                          state.state if state is not None else "closed", at_window.get(w.id),
                          state is not None
                          and shift_ended_today(state, ctx.center.timezone, now))

    windows = [window(w) for w in ctx.windows]
    return QueueView(center_id, len(rows), ctx.center.occupancy_limit, entries, services,
                     windows, await no_shows_today(session, center_id, now),
                     [entry(t) for t in outside])


def booked_time(start: dt.datetime | None, timezone: str) -> str | None:
    """A booked start as the console shows it: HH:MM in the centre's own time (the
    operator compares it with the clock on the wall, not with UTC)."""
    if start is None:
        return None
    return start.astimezone(ZoneInfo(timezone)).strftime("%H:%M")


def _in_order(rows: list[TicketRow], now: dt.datetime, rules: FloorRules) -> list[TicketRow]:
    """Tickets in the floor's serving order (core.floor.ordered)."""
    order = {w.ticket_id: i for i, w in enumerate(ordered(
        [Waiting(t.id, frozenset(t.services), t.arrived_at, t.booked_start,
                 t.privilege is not None) for t in rows], now, rules))}
    return sorted(rows, key=lambda t: order[t.id])


async def no_shows_today(session: AsyncSession, center_id: int,
                         now: dt.datetime | None = None) -> int:
    """Tickets of the centre's current local day that ended as no-shows."""
    ctx = await catalog.center(session, center_id)
    today = (now or utcnow()).astimezone(ZoneInfo(ctx.center.timezone)).date()
    return int(await session.scalar(select(func.count()).select_from(TicketRow).where(
        TicketRow.center_id == center_id, TicketRow.day == today,
        TicketRow.status == TicketStatus.NO_SHOW.value)) or 0)


@dataclass(frozen=True, slots=True)
class BoardLine:
    ticket: str
    window: int
    status: str


async def board(session: AsyncSession, center_id: int) -> list[BoardLine]:
    """Tickets called or being served, newest call first. No personal data."""
    await catalog.center(session, center_id)
    rows = (await session.execute(
        select(TicketRow.label, WindowRow.number, TicketRow.status)
        .join(WindowRow, WindowRow.id == TicketRow.window_id)
        .where(TicketRow.center_id == center_id,
               TicketRow.status.in_((TicketStatus.CALLED.value, TicketStatus.SERVING.value)))
        .order_by(TicketRow.called_at.desc()).limit(BOARD_RECENT))).all()
    return [BoardLine(label, number, status) for label, number, status in rows]


def _minutes(delta: dt.timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


async def admitted_recently(session: AsyncSession, center_id: int,
                            now: dt.datetime | None = None) -> list[str]:
    """Labels the board asks to come in: admitted in the last minutes and not yet called.
    No personal data."""
    now = now or utcnow()
    await catalog.center(session, center_id)
    since = now - dt.timedelta(minutes=ADMITTED_MINUTES)
    rows = (await session.execute(
        select(TicketRow.label, func.max(FloorEventRow.at))
        .join(FloorEventRow, FloorEventRow.ticket_id == TicketRow.id)
        .where(TicketRow.center_id == center_id, FloorEventRow.center_id == center_id,
               FloorEventRow.kind == "admitted", FloorEventRow.at >= since,
               TicketRow.status == TicketStatus.WAITING.value)
        .group_by(TicketRow.id, TicketRow.label)
        .order_by(func.max(FloorEventRow.at), TicketRow.id))).all()
    return [label for label, _ in rows]
