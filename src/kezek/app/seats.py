"""The statements that make booking race-free, on SQLite and PostgreSQL alike.

They run as prebuilt Core statements on the session's connection: this is the hot path
of a booking rush, and ORM bookkeeping per statement would cost more than the database.
"""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, bindparam, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from kezek.app import fastbook
from kezek.app.catalog import CenterContext
from kezek.core.errors import SlotFull
from kezek.store.models import HOLDING_SQL, AuditRow, BookingRow, PersonRow

_bookings = BookingRow.__table__
_persons = PersonRow.__table__
# Literal SQL, not IN (...) parameters: expanding parameters re-render on every execution.
HOLDING = text("bookings." + HOLDING_SQL)
COUNTING = fastbook.COUNTING


@dataclass(frozen=True, slots=True)
class _Statements:
    upsert_person: Executable
    touch_person: Executable
    held: Executable
    taken: Executable
    insert_booking: Executable
    insert_audit: Executable


@functools.cache
def _statements(dialect: str) -> _Statements:
    dml: Any = postgresql if dialect == "postgresql" else sqlite
    b, p = _bookings.c, _persons.c
    return _Statements(
        upsert_person=dml.insert(_persons).values(
            iin_hash=bindparam("iin_hash"), iin_masked=bindparam("iin_masked"), bookings_made=0,
        ).on_conflict_do_update(
            index_elements=["iin_hash"], set_={"bookings_made": p.bookings_made + 1},
        ).returning(p.id, p.bookings_made),
        touch_person=_persons.update().where(p.id == bindparam("pid")).values(
            bookings_made=p.bookings_made).returning(p.id, p.bookings_made),
        held=select(b.id, b.service_code, b.start_utc, b.local_date, b.center_kind, b.status)
        .where(b.person_id == bindparam("pid"), COUNTING,
               b.start_utc > bindparam("since")),
        taken=select(b.window_id, b.seat, b.center_seat, b.start_utc).where(
            b.center_id == bindparam("cid"), b.start_utc > bindparam("since"),
            b.start_utc < bindparam("end"), b.end_utc > bindparam("start"), HOLDING),
        insert_booking=dml.insert(_bookings).on_conflict_do_nothing().returning(b.id),
        insert_audit=dml.insert(AuditRow.__table__),
    )


async def _conn(session: AsyncSession) -> tuple[AsyncConnection, _Statements]:
    conn = await session.connection()
    return conn, _statements(conn.dialect.name)


async def lock_person(session: AsyncSession, iin_hash: str | None, masked: str | None,
                      person_id: int | None = None) -> tuple[int, bool]:
    """Upserts the person's row, which locks it until the transaction ends.

    Every booking of one IIN passes here first, so their quota reads are serialised.
    Returns the person's id and whether the row is new: a person first seen by this
    statement has no committed booking (a concurrent first booking of the same IIN
    makes this one take the update path once it commits), so quotas need no read.
    """
    conn, st = await _conn(session)
    if person_id is not None:
        result = await conn.execute(st.touch_person, {"pid": person_id})
    else:
        result = await conn.execute(st.upsert_person, {"iin_hash": iin_hash,
                                                       "iin_masked": masked})
    pid, made = result.one()
    return int(pid), person_id is None and made == 0


async def first_try(session: AsyncSession, iin_hash: str, values: dict[str, Any],
                    audit_row: dict[str, Any], seats: list[tuple[int, int]],
                    ctx: CenterContext, alone: bool = False) -> fastbook.FirstTry | None:
    """The one-statement booking of a new person (PostgreSQL only; None elsewhere).

    Inserts the person, the booking into the first of `seats` that is free over its
    block, and its audit row, only if the person is new (see fastbook). If the booking
    is all the caller's transaction would hold (`alone`), the session has not begun one,
    and most recent bookings were by new people (`Mix`), the statement runs by itself in
    autocommit on a pooled connection, returned before the session takes one: no BEGIN,
    no COMMIT, and no request ever holds two connections. Otherwise it runs in the
    session's transaction and also locks the person row, new or not, so that a person
    seen before goes straight on to the booking statement.
    """
    engine = session.bind
    if engine is None or engine.dialect.name != "postgresql":
        return None
    since = values["start_utc"] - ctx.longest_block
    bind = fastbook.params(iin_hash, values, audit_row, seats, since)
    mix = _mixes.setdefault(engine, Mix()) if isinstance(engine, AsyncEngine) else None
    lock = not alone or session.in_transaction() or mix is None or mix.prefers_transaction()
    if lock:
        result = await (await session.connection()).execute(fastbook.statement(True), bind)
        row = result.one()
    else:
        assert isinstance(engine, AsyncEngine)  # a bound connection has no Mix: it locks
        async with _autocommit(engine).connect() as conn:
            row = (await conn.execute(fastbook.statement(False), bind)).one()
    booking_id, person_id, made, window_id, seat = row
    if mix is not None and window_id is not None:  # a seat looked free: the person is known
        mix.note(seen_before=made != 0)
    return fastbook.FirstTry(booking_id, person_id, made == 0, lock and person_id is not None,
                             window_id, seat)


# CPU per booking in process (bench.request_cpu --known 0 / 1, 2026-11-24): in autocommit
# 0.84 ms for a new person, 1.40 for one seen before (the first statement does nothing
# for them, then BEGIN, the lock, the booking, COMMIT); in a transaction with the lock in
# the first statement 0.96 and 1.20. Even at a share s of people seen before:
# 0.84 + 0.56 s = 0.96 + 0.24 s, s = 0.375.
SEEN_SHARE_FOR_TRANSACTION = 0.375
MIX_WEIGHT = 0.01  # about the last hundred bookings


@dataclass
class Mix:
    """Of the recent bookings, the share by people seen before (a moving average, per
    engine, that is per worker): the one-statement booking runs in autocommit while most
    people are new, in a transaction that locks the person at once when most are not."""

    seen: float = 0.0

    def note(self, seen_before: bool) -> None:
        self.seen += MIX_WEIGHT * ((1.0 if seen_before else 0.0) - self.seen)

    def prefers_transaction(self) -> bool:
        return self.seen > SEEN_SHARE_FOR_TRANSACTION


_mixes: weakref.WeakKeyDictionary[AsyncEngine, Mix] = weakref.WeakKeyDictionary()


_autocommit_engines: weakref.WeakKeyDictionary[AsyncEngine, AsyncEngine] = (
    weakref.WeakKeyDictionary())


def _autocommit(engine: AsyncEngine) -> AsyncEngine:
    """The engine's autocommit view: the same pool, connections without BEGIN/COMMIT."""
    found = _autocommit_engines.get(engine)
    if found is None:
        found = engine.execution_options(isolation_level="AUTOCOMMIT")
        _autocommit_engines[engine] = found
    return found


async def take_seen_seat(session: AsyncSession, values: dict[str, Any],
                         audit_row: dict[str, Any], held_since: dt.datetime
                         ) -> tuple[int | None, list[Any]]:
    """For a person seen before, after `lock_person` (PostgreSQL): inserts the booking into
    the seat `values` names, with its audit row, and reads the person's other held
    bookings, in one statement (fastbook.seen_statement). Returns the new booking's id
    (None if the seat was lost) and those bookings, for the caller's quota check."""
    conn, _ = await _conn(session)
    rows = (await conn.execute(fastbook.seen_statement(),
                               fastbook.seen_params(values, audit_row, held_since))).all()
    return rows[0].booking_id, [r for r in rows if r.id is not None]


async def held_bookings(session: AsyncSession, person_id: int, since: dt.datetime
                        ) -> list[Any]:
    """The person's bookings that count against quotas; read only after lock_person."""
    conn, st = await _conn(session)
    return list((await conn.execute(st.held, {"pid": person_id, "since": since})).all())


async def take_seat(session: AsyncSession, values: dict[str, Any],
                    seats: list[tuple[int, int]], ctx: CenterContext, read_first: bool = False
                    ) -> BookingRow:
    """Inserts the booking into the first free (window, seat) over its block of slots.

    The database decides: the partial unique index on the window seat and the overlap
    referee for blocks longer than a slot (migration 0007), and, where the centre caps
    people per slot, a unique centre-wide seat at the start. ON CONFLICT DO NOTHING lets a loser
    re-read what is taken and try again without aborting the transaction. The first
    attempt goes without a read (in the common case the first seat is free) unless
    `read_first` says a seat is already known to be lost.
    """
    conn, st = await _conn(session)
    center_capacity = ctx.center.slot_capacity
    taken: set[tuple[int, int]] = set()
    center_taken: set[int] = set()
    fresh = False
    if read_first:
        taken, center_taken = await _taken(conn, st, values, ctx)
        fresh = True
    for _ in range(len(seats) + (center_capacity or 0) + 2):
        free = [s for s in seats if s not in taken]
        center_seat = None
        if center_capacity is not None:
            spare = [i for i in range(center_capacity) if i not in center_taken]
            center_seat = spare[0] if spare else None
        if not free or (center_capacity is not None and center_seat is None):
            if fresh:
                break
        else:
            for window_id, seat in free:
                row = {**values, "window_id": window_id, "seat": seat,
                       "center_seat": center_seat}
                new_id = (await conn.execute(st.insert_booking, row)).scalar_one_or_none()
                if new_id is not None:
                    return BookingRow(id=new_id, **row)
                if center_seat is not None or not fresh:
                    break  # re-read what is taken before the next try
        taken, center_taken = await _taken(conn, st, values, ctx)
        fresh = True
    raise SlotFull()


async def _taken(conn: AsyncConnection, st: _Statements, values: dict[str, Any],
                 ctx: CenterContext) -> tuple[set[tuple[int, int]], set[int]]:
    """The seats held over the booking's block, and the centre-wide seats at its start.

    The index range is bounded below by the longest block the catalog allows: without
    that bound the read walks every earlier booking of the centre."""
    start = values["start_utc"]
    rows = (await conn.execute(st.taken, {
        "cid": values["center_id"], "since": start - ctx.longest_block, "start": start,
        "end": values["end_utc"]})).all()
    return ({(w, s) for w, s, _, _ in rows},
            {c for _, _, c, at in rows if c is not None and at == start})


async def insert_row(session: AsyncSession, values: dict[str, Any]) -> int | None:
    """Inserts one row into the seat `values` names; its id, or None if the seat is held
    (the same conflict rules as `take_seat`, without trying another seat)."""
    conn, st = await _conn(session)
    new_id = (await conn.execute(st.insert_booking, values)).scalar_one_or_none()
    return None if new_id is None else int(new_id)


async def audit_row(session: AsyncSession, values: dict[str, Any]) -> None:
    conn, st = await _conn(session)
    await conn.execute(st.insert_audit, values)
