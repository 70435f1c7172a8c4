"""What the floor looks like now: the queue for staff, the board for the lobby."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog
from kezek.app.arrivals import floor_rules
from kezek.core.floor import ACTIVE, TicketStatus, Waiting, ordered
from kezek.store.models import TicketRow, WindowRow, WindowStateRow, utcnow

BOARD_RECENT = 8


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


@dataclass(frozen=True, slots=True)
class QueueView:
    center_id: int
    occupancy: int
    occupancy_limit: int | None
    entries: list[QueueEntry]
    services: list[ServiceLoad]
    windows: list[WindowView]
    no_shows_today: int


async def queue(session: AsyncSession, center_id: int, now: dt.datetime | None = None
                ) -> QueueView:
    now = now or utcnow()
    ctx = await catalog.center(session, center_id)
    snap = await catalog.snapshot(session)
    rows = (await session.scalars(select(TicketRow).where(
        TicketRow.center_id == center_id,
        TicketRow.status.in_([s.value for s in ACTIVE])))).all()
    numbers = {w.id: w.number for w in (await session.scalars(select(WindowRow).where(
        WindowRow.center_id == center_id))).all()}
    waiting = [t for t in rows if t.status == TicketStatus.WAITING.value]
    order = {w.ticket_id: i for i, w in enumerate(ordered(
        [Waiting(t.id, frozenset(t.services), t.arrived_at, t.booked_start,
                 t.privilege is not None) for t in waiting], now, floor_rules(ctx)))}
    waiting.sort(key=lambda t: order[t.id])
    entries = [QueueEntry(t.id, t.label, list(t.services), t.kind, t.privilege is not None,
                          t.status, numbers.get(t.window_id or -1),
                          _minutes(now - t.arrived_at))
               for t in [*waiting, *(t for t in rows if t.status != TicketStatus.WAITING.value)]]
    loads: dict[str, list[int]] = {}
    for t in waiting:
        for code in t.services:
            loads.setdefault(code, []).append(_minutes(now - t.arrived_at))
    services = [ServiceLoad(code, len(w), max(w), snap.services[code].standard.max_wait_minutes
                            if code in snap.services else 0) for code, w in sorted(loads.items())]
    states = {s.window_id: s.state for s in (await session.scalars(select(WindowStateRow).where(
        WindowStateRow.window_id.in_([w.id for w in ctx.windows])))).all()}
    at_window = {t.window_id: t.label for t in rows if t.window_id is not None}
    windows = [WindowView(w.id, w.number, w.privilege, states.get(w.id, "closed"),
                          at_window.get(w.id)) for w in ctx.windows]
    return QueueView(center_id, len(rows), ctx.center.occupancy_limit, entries, services,
                     windows, await no_shows_today(session, center_id, now))


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
