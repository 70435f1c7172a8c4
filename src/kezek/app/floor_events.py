"""The floor's event record: one row per change of a ticket, and its live message.

Apart from tickets.py because admission writes its own events ("admitted", "left" from
outside) while tickets.record calls admission after an exit: both import this module,
and neither imports the other back (no import cycle).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app.actor import Actor
from kezek.app.outbox import center_topic, queue_message
from kezek.store.models import FloorEventRow, TicketRow


async def write(session: AsyncSession, ticket: TicketRow, kind: str, actor: Actor,
                window_number: int | None, details: dict[str, Any] | None,
                when: dt.datetime) -> None:
    """Writes the event and queues the live message (sent after commit). No IIN in either."""
    await session.execute(insert(FloorEventRow).values(
        at=when, center_id=ticket.center_id, ticket_id=ticket.id, kind=kind,
        window_id=ticket.window_id, actor=actor.label, details=details or {}))
    queue_message(session, center_topic(ticket.center_id), {
        "type": kind, "ticket": ticket.label, "window": window_number,
        "status": ticket.status, "at": when.isoformat(),
    })
