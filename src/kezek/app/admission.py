"""The door's small-group admission: the occupancy limit and the line outside.

A person who arrives at a full centre is not turned away: their ticket waits
`outside`, keeping its arrival time, until the door lets a group in (or, with the
centre's `auto_admit` rule, until someone leaves the floor). Who comes in first is
decided by the floor's own order (core.floor.to_admit).

Counting the people inside and then changing that count (an arrival, an admission) is a
race between two doors or two requests. Every such change first locks the centre's row
(PostgreSQL: `FOR NO KEY UPDATE`, which does not block inserts that only reference the
centre; SQLite: a write, which takes the database's single write lock), so the limit
holds under any concurrency. Lock order: a booking or ticket the caller already holds,
then the centre, then the outside tickets; nothing locks the centre and then waits for a
ticket that is inside.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog, floor_events
from kezek.app.actor import Actor, Role
from kezek.app.catalog import CenterContext
from kezek.core.errors import Forbidden, NotFound
from kezek.core.floor import (
    ACTIVE,
    TicketStatus,
    Waiting,
    arrival_status,
    place_outside,
    to_admit,
)
from kezek.store.models import CenterRow, TicketRow, utcnow

OUTSIDE = TicketStatus.OUTSIDE.value
EXITS = frozenset({"finished", "left", "no_show"})  # events after which a place may be free
_SQLITE_LOCK = text("UPDATE centers SET occupancy_limit = occupancy_limit WHERE id = :id")


@dataclass(frozen=True, slots=True)
class Admission:
    """What one press of "Admit" did. `reason` says why nobody came in, if nobody did."""

    admitted: list[TicketRow]
    inside: int
    limit: int | None
    outside: int
    reason: str | None  # "nobody_outside" | "no_room" | None


async def lock_centre(session: AsyncSession, center_id: int) -> None:
    """Holds the centre until the transaction ends: one count-and-change at a time."""
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        await session.execute(select(CenterRow.id).where(CenterRow.id == center_id)
                              .with_for_update(key_share=True))
    else:
        await session.execute(_SQLITE_LOCK, {"id": center_id})


async def counts(session: AsyncSession, center_id: int) -> tuple[int, int]:
    """People inside (waiting, called, being served) and people waiting outside."""
    statuses = [s.value for s in ACTIVE] + [OUTSIDE]
    rows = (await session.execute(
        select(TicketRow.status, func.count()).where(
            TicketRow.center_id == center_id, TicketRow.status.in_(statuses))
        .group_by(TicketRow.status))).all()
    by_status = {status: int(n) for status, n in rows}
    return sum(n for s, n in by_status.items() if s != OUTSIDE), by_status.get(OUTSIDE, 0)


async def entry_status(session: AsyncSession, ctx: CenterContext) -> TicketStatus:
    """Where a newcomer waits, decided under the centre's lock (held until commit)."""
    await lock_centre(session, ctx.center.id)
    inside, outside = await counts(session, ctx.center.id)
    return arrival_status(inside, outside, ctx.center.occupancy_limit)


async def outside_line(session: AsyncSession, center_id: int) -> list[Waiting]:
    """The tickets waiting outside, as the ordering rules see them (unordered)."""
    rows = (await session.execute(
        select(TicketRow.id, TicketRow.services, TicketRow.arrived_at,
               TicketRow.booked_start, TicketRow.privilege)
        .where(TicketRow.center_id == center_id, TicketRow.status == OUTSIDE))).all()
    return [Waiting(r.id, frozenset(r.services), r.arrived_at, r.booked_start,
                    r.privilege is not None) for r in rows]


async def place_of(session: AsyncSession, ticket: TicketRow, now: dt.datetime | None = None
                   ) -> int | None:
    """The ticket's place in the outside line (1: next in), None if it is not outside."""
    if ticket.status != OUTSIDE:
        return None
    ctx = await catalog.center(session, ticket.center_id)
    line = await outside_line(session, ticket.center_id)
    return place_outside(line, ticket.id, now or utcnow(), ctx.floor)


async def admit(session: AsyncSession, center_id: int, actor: Actor, count: int | None = None,
                now: dt.datetime | None = None, auto: bool = False) -> Admission:
    """Lets in up to `count` people (all that fit, if None) from the head of the line.

    Each admitted ticket becomes `waiting` with an "admitted" event (actor, time); its
    arrival time is kept, so the time spent outside counts as waiting.
    """
    now = now or utcnow()
    ctx = await catalog.center(session, center_id)
    await lock_centre(session, center_id)
    inside, _ = await counts(session, center_id)
    line = await outside_line(session, center_id)
    limit = ctx.center.occupancy_limit
    chosen = to_admit(line, inside, limit, count, now, ctx.floor)
    admitted: list[TicketRow] = []
    for w in chosen:
        moved = await session.execute(
            update(TicketRow).where(TicketRow.id == w.ticket_id, TicketRow.status == OUTSIDE)
            .values(status=TicketStatus.WAITING.value))
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            continue  # cannot happen under the centre's lock; never admit twice
        ticket = await session.get(TicketRow, w.ticket_id, populate_existing=True)
        assert ticket is not None
        # Not tickets.record: an admission is no exit, so nothing follows from it.
        await floor_events.write(session, ticket, "admitted", actor, None,
                                 {"auto": True} if auto else None, now)
        admitted.append(ticket)
    reason = None
    if not admitted:
        reason = "nobody_outside" if not line else "no_room"
    return Admission(admitted, inside + len(admitted), limit, len(line) - len(admitted),
                     reason)


async def after_exit(session: AsyncSession, ticket: TicketRow, kind: str, actor: Actor,
                     at: dt.datetime) -> None:
    """With the centre's `auto_admit` rule, someone leaving the floor lets the next in,
    in the same transaction. Off by default: door staff admit groups by hand."""
    if kind not in EXITS:
        return
    ctx = await catalog.center(session, ticket.center_id)
    if ctx.floor.auto_admit and ctx.center.occupancy_limit is not None:
        await admit(session, ticket.center_id, actor, now=at, auto=True)


async def refill(session: AsyncSession, ctx: CenterContext, actor: Actor,
                 now: dt.datetime) -> None:
    """After an arrival was sent outside: with `auto_admit`, whoever is first in line
    comes in at once if there is room (the newcomer only if nobody is before them)."""
    if ctx.floor.auto_admit:
        await admit(session, ctx.center.id, actor, now=now, auto=True)


async def leave_outside(session: AsyncSession, ticket_id: int, actor: Actor
                        ) -> TicketRow | None:
    """Records that a person in the outside line went away; None if the ticket is not
    outside (then it is an ordinary leave from the floor, calls.left)."""
    ticket = await session.get(TicketRow, ticket_id)
    if ticket is None:
        raise NotFound(entity="ticket")
    if ticket.status != OUTSIDE:
        return None
    if not (actor.role is Role.ADMIN or (
            actor.role in (Role.OPERATOR, Role.MANAGER, Role.DOOR)
            and ticket.center_id in actor.centers)):
        raise Forbidden()
    await lock_centre(session, ticket.center_id)
    ticket = await session.get(TicketRow, ticket_id, populate_existing=True,
                               with_for_update=True)
    if ticket is None or ticket.status != OUTSIDE:  # admitted meanwhile
        return None
    ticket.status, ticket.finished_at = TicketStatus.LEFT.value, utcnow()
    await session.flush()
    when = utcnow()
    await floor_events.write(session, ticket, "left", actor, None, {"from": OUTSIDE}, when)
    await after_exit(session, ticket, "left", actor, when)
    return ticket
