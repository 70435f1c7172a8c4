"""The operator console's safety steps: taking back a no-show pressed by mistake, and
ending the shift at a window.

Apart from calls.py (the window's ordinary steps) because both are corrections of the
floor rather than its flow, and each leaves an audit row beside the floor event: a
no-show that is undone changes a person's record (their booking was closed as a
no-show), and the end of a shift is what a manager reads when a window stood closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit, calls, tickets
from kezek.app.actor import Actor, Channel
from kezek.core.booking import BookingStatus
from kezek.core.errors import InvalidState, NotFound, UndoExpired
from kezek.core.floor import TicketStatus
from kezek.store.models import BookingRow, TicketRow, utcnow


async def undo_no_show(session: AsyncSession, ticket_id: int, window_id: int, actor: Actor,
                       minutes: int, now: dt.datetime | None = None) -> TicketRow:
    """Puts a no-show back to "called" at the window that marked it, within `minutes`.

    Only that window may: another window taking the person back would call them to a
    place the board never showed. The window must be free (it may have called the next
    person already) and is held as call-next holds it, so the two cannot cross. The
    booking closed as a no-show is checked in again.
    """
    now = now or utcnow()
    row, _ = await calls.window_of(session, window_id, actor)
    # The window first, then the ticket: the order call-next takes its locks in.
    await calls.hold_window(session, window_id, actor)
    ticket = await session.get(TicketRow, ticket_id, with_for_update=True)
    if ticket is None or ticket.window_id is None or ticket.center_id != row.center_id:
        raise NotFound(entity="ticket")
    if ticket.window_id != window_id:
        raise InvalidState(reason="undo_other_window")
    if ticket.status != TicketStatus.NO_SHOW.value:
        raise InvalidState(current=ticket.status)
    marked = ticket.finished_at
    if marked is None or now - marked > dt.timedelta(minutes=minutes):
        raise UndoExpired(minutes=minutes)
    await calls.refuse_if_busy(session, row)
    ticket.status, ticket.finished_at = TicketStatus.CALLED.value, None
    if ticket.booking_id is not None:
        await session.execute(update(BookingRow).where(BookingRow.id == ticket.booking_id)
                              .values(status=BookingStatus.CHECKED_IN.value, updated_at=now))
    await session.flush()
    await tickets.record(session, ticket, "no_show_undone", actor, row.number,
                         {"calls": ticket.calls}, at=now)
    await audit.record(session, actor, Channel.DOOR, "ticket.undo_no_show", "ticket",
                       ticket.id, {"ticket": ticket.label, "window": row.number,
                                   "no_show_at": marked.isoformat()})
    return ticket


@dataclass(frozen=True, slots=True)
class ShiftEnd:
    state: str
    at: dt.datetime


async def end_shift(session: AsyncSession, window_id: int, actor: Actor) -> ShiftEnd:
    """Closes the window for the day: refused (409 `window_busy`) while someone is called
    to it or served at it, so nobody is left standing at a closed window.

    "Closed" is the window state that already exists; the end of a shift leaves nobody at
    the window, and call-next refuses such a window for the rest of the centre's day
    (opening it again through the state endpoint is the deliberate way back). The audit
    row says who ended it and from which state (ADR 0030).
    """
    row, _ = await calls.window_of(session, window_id, actor)
    state = await calls.hold_window(session, window_id, actor)
    await calls.refuse_if_busy(session, row)
    was, now = state.state, utcnow()
    # Nobody sits at it: what tells an ended shift from a window merely closed (calls.
    # shift_ended_today), without a new column or state value.
    state.state, state.operator_id, state.since = "closed", None, now
    await session.flush()
    await audit.record(session, actor, Channel.DOOR, "window.end_shift", "window", window_id,
                       {"window": row.number, "center": row.center_id, "was": was})
    return ShiftEnd("closed", now)
