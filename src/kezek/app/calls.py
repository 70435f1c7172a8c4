"""The operator's actions at a window: call next, recall, start, finish, no-show, transfer,
pause and resume.

"Call next" picks by the pure ordering rules and takes the ticket with a conditional
UPDATE (only while it is still waiting). If another window took it first, the update
touches no row and the next best is tried: nobody is ever called to two windows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import ColumnElement, Integer, any_, bindparam, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from kezek.app import after_commit, catalog, day_end, tickets
from kezek.app.actor import Actor, Role
from kezek.app.arrivals import floor_rules
from kezek.core.errors import Forbidden, InvalidState, NotFound
from kezek.core.floor import (
    FloorRules,
    TicketStatus,
    Waiting,
    candidates_for_window,
    is_no_show,
)
from kezek.core.network import Window, window_serves
from kezek.store.models import BookingRow, TicketRow, WindowRow, WindowStateRow, utcnow

BATCH = 25
PAGE = 100
# The first page is one batch: a window that serves most services takes one of its first
# few, so reading (and decoding) a hundred rows on every call was mostly waste.
FIRST_PAGE = BATCH


async def window_of(session: AsyncSession, window_id: int, actor: Actor) -> tuple[WindowRow,
                                                                                   Window]:
    """The window, if this staff member may work it (own centre, or admin)."""
    row = await session.get(WindowRow, window_id)
    if row is None:
        raise NotFound(entity="window")
    if not (actor.role is Role.ADMIN or (
            actor.role in (Role.OPERATOR, Role.MANAGER) and row.center_id in actor.centers)):
        raise Forbidden()
    ctx = await catalog.center(session, row.center_id)
    window = next((w for w in ctx.windows if w.id == window_id), None)
    if window is None:
        raise NotFound(entity="window")
    return row, window


async def set_state(session: AsyncSession, window_id: int, state: str, actor: Actor) -> str:
    """Opens, pauses or closes a window; a paused window is not called to."""
    if state not in ("open", "paused", "closed"):
        raise InvalidState(target=state)
    await window_of(session, window_id, actor)
    row = await session.get(WindowStateRow, window_id)
    if row is None:
        session.add(WindowStateRow(window_id=window_id, state=state, operator_id=actor.user_id))
    else:
        row.state, row.operator_id, row.since = state, actor.user_id, utcnow()
    await session.flush()
    return state


async def _serving_services(session: AsyncSession, center_id: int, window: Window
                            ) -> frozenset[str]:
    ctx = await catalog.center(session, center_id)
    services = (await catalog.snapshot(session)).services.values()
    return frozenset(s.code for s in services if window_serves(window, s, ctx.center))


async def call_next(session: AsyncSession, window_id: int, actor: Actor,
                    now: dt.datetime | None = None) -> TicketRow | None:
    """Calls the next person for this window, or returns None if nobody it serves waits."""
    now = now or utcnow()
    row, window = await window_of(session, window_id, actor)
    state = await hold_window(session, window_id, actor)
    ctx = await catalog.center(session, row.center_id)
    if state.state == "paused":
        raise InvalidState(reason="window_paused")
    if shift_ended_today(state, ctx.center.timezone, now):
        raise InvalidState(reason="shift_ended")
    if state.state != "open":
        state.state, state.operator_id, state.since = "open", actor.user_id, utcnow()
        await session.flush()
    await refuse_if_busy(session, row)
    await day_end.close_past_days(session, row.center_id,
                                  day_end.local_today(ctx.center.timezone, now))
    rules = floor_rules(ctx)
    services = await _serving_services(session, row.center_id, window)
    batch: list[int] = []
    async for waiting in _ranked(session, row.center_id, services, window.privilege, now,
                                 rules):
        batch.append(waiting.ticket_id)
        if len(batch) == BATCH:
            ticket = await _take_first(session, batch, window_id, now)
            if ticket is not None:
                break
            batch = []
    else:
        ticket = await _take_first(session, batch, window_id, now) if batch else None
    if ticket is not None:
        await tickets.record(session, ticket, "called", actor, row.number, at=now)
        after_commit.line_moved(session, row.center_id)  # "your turn is near", after commit
    return ticket


def shift_ended_today(state: WindowStateRow, timezone: str, now: dt.datetime) -> bool:
    """Whether the window's shift was ended (app.console.end_shift) on the centre's
    current day: closed with nobody at it. Call-next then refuses rather than opening the
    window again; opening it (the state endpoint) or the next day lifts that (ADR 0030).
    """
    if state.state != "closed" or state.operator_id is not None:
        return False
    return (day_end.local_today(timezone, state.since)
            == day_end.local_today(timezone, now))


async def refuse_if_busy(session: AsyncSession, row: WindowRow) -> None:
    """409 `window_busy` while someone is called to or served at this window."""
    # The centre's condition lets ix_tickets_center_status find the few called or serving
    # tickets; on window_id alone PostgreSQL read those of every centre.
    current = await session.scalar(select(TicketRow).where(
        TicketRow.center_id == row.center_id, TicketRow.window_id == row.id,
        TicketRow.status.in_((TicketStatus.CALLED.value, TicketStatus.SERVING.value))))
    if current is not None:
        raise InvalidState(current=current.status, reason="window_busy")


async def hold_window(session: AsyncSession, window_id: int, actor: Actor
                       ) -> WindowStateRow:
    """The window's state row, created if this is its first use, and held to the end of
    the transaction, so presses of call-next at one window take turns.

    Several presses at once on a new window each inserted the first state row, and all
    but one failed on the primary key (a 500). Now the row is made with ON CONFLICT DO
    NOTHING, then locked: on PostgreSQL FOR UPDATE queues the other presses behind this
    one; SQLite's write lock (taken by the insert) does the same for the whole database.
    The presses after the first then see the window busy and are answered 409.
    """
    conn = await session.connection()
    dml: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    await conn.execute(dml.insert(WindowStateRow.__table__).values(
        window_id=window_id, state="open", operator_id=actor.user_id, since=utcnow())
        .on_conflict_do_nothing())
    state = await session.get(WindowStateRow, window_id, with_for_update=True,
                              populate_existing=True)
    if state is None:  # the window was deleted under us
        raise NotFound(entity="window")
    return state


async def _take_first(session: AsyncSession, batch: list[int], window_id: int,
                      now: dt.datetime) -> TicketRow | None:
    """Calls the first of these (best first) that is still waiting and not being taken.

    One statement: an UPDATE of the row its sub-select picks. PostgreSQL skips rows a
    concurrent call has locked (FOR UPDATE SKIP LOCKED); the UPDATE's own condition is
    the referee either way, so nobody is ever called to two windows. It was a SELECT, an
    UPDATE and a reload (three round trips; bench/ANALYSIS.md, national hour), and the
    order came from a CASE of one bound value per candidate, which SQLAlchemy built and
    keyed anew on every call; PostgreSQL now takes the batch as one array parameter.
    """
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        ids = bindparam("batch", batch, type_=postgresql.ARRAY(Integer))
        preference: ColumnElement[Any] = func.array_position(ids, TicketRow.id)
        among = TicketRow.id == any_(ids)
    else:
        preference = case({tid: i for i, tid in enumerate(batch)}, value=TicketRow.id)
        among = TicketRow.id.in_(batch)
    pick = (select(TicketRow.id).where(among, TicketRow.status == TicketStatus.WAITING.value)
            .order_by(preference).limit(1).with_for_update(skip_locked=True)
            .scalar_subquery())
    taken = (update(TicketRow)
             .where(TicketRow.id == pick, TicketRow.status == TicketStatus.WAITING.value)
             .values(status=TicketStatus.CALLED.value, window_id=window_id,
                     calls=TicketRow.calls + 1, called_at=now)
             .returning(TicketRow))
    ticket: TicketRow | None = await session.scalar(
        select(TicketRow).from_statement(taken).execution_options(populate_existing=True))
    return ticket


def _queue_order(now: dt.datetime, rules: FloorRules
                 ) -> list[ColumnElement[Any] | InstrumentedAttribute[Any]]:
    """The floor's ordering key (core.floor.Waiting.key) as SQL, to read the queue in pages.

    Only pre-sorts: the core still picks among what is read, so the two must agree; a
    test checks they do.
    """
    due = now + dt.timedelta(minutes=rules.early_lead_minutes)
    rank = case((TicketRow.booked_start.is_(None), 1), (TicketRow.booked_start <= due, 0),
                else_=2)
    first = func.coalesce(TicketRow.booked_start, TicketRow.arrived_at)
    return [rank, first, TicketRow.arrived_at, TicketRow.id]


async def _ranked(session: AsyncSession, center_id: int, services: frozenset[str],
                  privilege_window: bool, now: dt.datetime, rules: FloorRules
                  ) -> AsyncIterator[Waiting]:
    """Everyone this window may call, best first, read a page at a time.

    A privilege window reads the privileged first, then (if the centre allows) everyone.
    """
    passes: list[bool | None] = [None]
    if privilege_window and rules.privilege_first:
        passes = [True, False] if rules.privilege_serves_others else [True]
    for privileged in passes:
        offset, size = 0, FIRST_PAGE
        while True:
            stmt = (select(TicketRow.id, TicketRow.services, TicketRow.arrived_at,
                           TicketRow.booked_start, TicketRow.privilege)
                    .where(TicketRow.center_id == center_id,
                           TicketRow.status == TicketStatus.WAITING.value)
                    .order_by(*_queue_order(now, rules)).offset(offset).limit(size))
            if privileged is True:
                stmt = stmt.where(TicketRow.privilege.is_not(None))
            elif privileged is False:
                stmt = stmt.where(TicketRow.privilege.is_(None))
            rows = (await session.execute(stmt)).all()
            page = [Waiting(t.id, frozenset(t.services), t.arrived_at, t.booked_start,
                            t.privilege is not None) for t in rows]
            for w in candidates_for_window(page, services, False, now, rules):
                yield w
            if len(rows) < size:
                break
            offset, size = offset + size, PAGE


async def _ticket_at(session: AsyncSession, ticket_id: int, actor: Actor,
                     allowed: tuple[TicketStatus, ...]) -> tuple[TicketRow, WindowRow]:
    ticket = await session.get(TicketRow, ticket_id, with_for_update=True)
    if ticket is None or ticket.window_id is None:
        raise NotFound(entity="ticket")
    window_row, _ = await window_of(session, ticket.window_id, actor)
    if TicketStatus(ticket.status) not in allowed:
        raise InvalidState(current=ticket.status)
    return ticket, window_row


async def recall(session: AsyncSession, ticket_id: int, actor: Actor) -> TicketRow:
    """Calls the same person again; after the centre's number of calls, a no-show."""
    ticket, window = await _ticket_at(session, ticket_id, actor, (TicketStatus.CALLED,))
    rules = floor_rules(await catalog.center(session, ticket.center_id))
    if is_no_show(ticket.calls, rules):
        return await no_show(session, ticket_id, actor)
    ticket.calls += 1
    ticket.called_at = utcnow()
    await session.flush()
    await tickets.record(session, ticket, "recalled", actor, window.number,
                         {"calls": ticket.calls})
    return ticket


async def _move(session: AsyncSession, ticket_id: int, actor: Actor, current: TicketStatus,
                target: TicketStatus, event: str, booking_status: str | None = None
                ) -> TicketRow:
    """One step of a ticket at its window: check, change, close the booking, record."""
    ticket, window = await _ticket_at(session, ticket_id, actor, (current,))
    ticket.status = target.value
    if target is TicketStatus.SERVING:
        ticket.started_at = utcnow()
    else:
        ticket.finished_at = utcnow()
    if booking_status is not None:
        await _close_booking(session, ticket, booking_status)
    await session.flush()
    await tickets.record(session, ticket, event, actor, window.number, {"calls": ticket.calls})
    return ticket


async def start(session: AsyncSession, ticket_id: int, actor: Actor) -> TicketRow:
    return await _move(session, ticket_id, actor, TicketStatus.CALLED, TicketStatus.SERVING,
                       "started")


async def finish(session: AsyncSession, ticket_id: int, actor: Actor) -> TicketRow:
    ticket = await _move(session, ticket_id, actor, TicketStatus.SERVING, TicketStatus.DONE,
                         "finished", "served")
    after_commit.visit_finished(session, ticket.id)  # the feedback request, after commit
    return ticket


async def no_show(session: AsyncSession, ticket_id: int, actor: Actor) -> TicketRow:
    return await _move(session, ticket_id, actor, TicketStatus.CALLED, TicketStatus.NO_SHOW,
                       "no_show", "no_show")


async def transfer(session: AsyncSession, ticket_id: int, service_code: str, actor: Actor
                   ) -> TicketRow:
    """Sends the person to another service, keeping their place (arrival and booked time)."""
    ticket, window = await _ticket_at(session, ticket_id, actor,
                                      (TicketStatus.CALLED, TicketStatus.SERVING))
    service = await catalog.service(session, service_code)
    ctx = await catalog.center(session, ticket.center_id)
    if not any(window_serves(w, service, ctx.center) for w in ctx.windows):
        raise InvalidState(reason="service_not_here")
    ticket.status, ticket.window_id = TicketStatus.WAITING.value, None
    ticket.services = [service.code]
    ticket.calls = 0
    await session.flush()
    await tickets.record(session, ticket, "transferred", actor, window.number,
                         {"to_service": service.code})
    return ticket


async def left(session: AsyncSession, ticket_id: int, actor: Actor) -> TicketRow:
    """The person left before being served (door or operator records it)."""
    ticket = await session.get(TicketRow, ticket_id, with_for_update=True)
    if ticket is None:
        raise NotFound(entity="ticket")
    if not (actor.role is Role.ADMIN or (
            actor.role in (Role.OPERATOR, Role.MANAGER, Role.DOOR)
            and ticket.center_id in actor.centers)):
        raise Forbidden()
    if ticket.status not in (TicketStatus.WAITING.value, TicketStatus.CALLED.value):
        raise InvalidState(current=ticket.status)
    ticket.status, ticket.finished_at = TicketStatus.LEFT.value, utcnow()
    await session.flush()
    await tickets.record(session, ticket, "left", actor)
    return ticket


async def _close_booking(session: AsyncSession, ticket: TicketRow, status: str) -> None:
    if ticket.booking_id is not None:
        await session.execute(update(BookingRow).where(BookingRow.id == ticket.booking_id)
                               .values(status=status, updated_at=utcnow()))
