"""Tickets: numbers allocated by the database, and the floor's event record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import admission, floor_events
from kezek.app.actor import Actor
from kezek.core.floor import TicketStatus, ticket_label
from kezek.store.models import TicketCounterRow, TicketRow, utcnow


async def next_number(session: AsyncSession, center_id: int, day: dt.date, prefix: str) -> int:
    """The next ticket number for a centre, day and prefix.

    An UPDATE ... RETURNING on the counter row: the row lock serialises concurrent
    arrivals, so numbers are unique and gapless without counting rows.
    """
    conn = await session.connection()
    dml: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    await conn.execute(dml.insert(TicketCounterRow).values(
        center_id=center_id, day=day, prefix=prefix, last=0).on_conflict_do_nothing())
    result = await conn.execute(
        update(TicketCounterRow)
        .where(TicketCounterRow.center_id == center_id, TicketCounterRow.day == day,
               TicketCounterRow.prefix == prefix)
        .values(last=TicketCounterRow.last + 1).returning(TicketCounterRow.last))
    return int(result.scalar_one())


async def issue(session: AsyncSession, center_id: int, day: dt.date, prefix: str,
                values: dict[str, Any], actor: Actor) -> TicketRow:
    number = await next_number(session, center_id, day, prefix)
    ticket = TicketRow(center_id=center_id, day=day, prefix=prefix, number=number,
                       label=ticket_label(prefix, number), **values)
    session.add(ticket)
    await session.flush()
    details: dict[str, Any] = {"kind": ticket.kind}
    if ticket.status == TicketStatus.OUTSIDE.value:
        details["outside"] = True
    await record(session, ticket, "arrived", actor, details=details)
    return ticket


async def record(session: AsyncSession, ticket: TicketRow, kind: str, actor: Actor,
                 window_number: int | None = None, details: dict[str, Any] | None = None,
                 at: dt.datetime | None = None) -> None:
    """Writes the event and queues the live message (sent after commit). No IIN in either.

    Every change of a ticket passes here, so this is also where a person leaving the
    floor lets the next one in from outside (with the centre's `auto_admit` rule).
    """
    when = at or utcnow()
    await floor_events.write(session, ticket, kind, actor, window_number, details, when)
    await admission.after_exit(session, ticket, kind, actor, when)
