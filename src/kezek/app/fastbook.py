"""A first booking of a new person on PostgreSQL, in one statement.

The common case of a rush (a person never seen, a free seat) needs the person row, the
booking in the first free seat and its audit row. Sent as one statement with
data-modifying CTEs it costs one round trip instead of three; and since one statement is
atomic it needs no transaction around it, which saves the BEGIN and COMMIT round trips
too when the request has not begun one (`seats.first_try` runs it in autocommit then).

PostgreSQL runs the same conditional statements the general path does: the read of the
seats held over the block, the person insert, then the insert into the first candidate
seat not among them (the partial unique index and the overlap constraint let only one
request win it), then the audit row for the booking actually inserted. Picking the seat
in the statement keeps a filling slot at one round trip.

In autocommit the person is inserted only if no row has the IIN (`ON CONFLICT DO
NOTHING`: a concurrent first booking of the same IIN makes this one wait for it, then do
nothing) and only if a seat looked free; a person seen before needs the quota read first,
so nothing is written and the caller takes the general path, which locks the person row.
A seat lost to a concurrent request between the read and the insert leaves the new person
row (committed) and no booking; the general path then finds the row and books under its
lock as for anyone seen before. Inside a transaction (`statement(lock=True)`) the person
is upserted whether new or not: that is the lock, held to the end of the transaction, and
a person seen before goes straight on to `seen_statement`.

SQLite has no data-modifying CTEs; there the general path runs.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal,
    select,
    text,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert

from kezek.store.models import HOLDING_SQL, AuditRow, BookingRow, PersonRow
from kezek.store.types import UtcDateTime

BOOKING_COLUMNS = ("code", "person_id", "iin_masked", "service_code", "center_id",
                   "center_kind", "window_id", "seat", "start_utc", "end_utc", "local_date",
                   "status", "privilege", "channel", "created_at", "updated_at",
                   "privilege_claim", "privilege_status", "origin_addr", "origin_net",
                   "origin_phone", "made_on")
HOLDING = text("bookings." + HOLDING_SQL)
COUNTING = text("bookings.status IN ('active', 'checked_in', 'served', 'no_show')")
AUDIT_COLUMNS = ("at", "actor_id", "actor", "channel", "action", "entity", "entity_id",
                 "details")


@dataclass(frozen=True, slots=True)
class FirstTry:
    """What the one statement did: booked (booking_id set), or left the booking to the
    general path. `person_id` is set when the statement inserted the person (`new`) or,
    run with the lock, locked a person seen before; `window_id` and `seat` name the seat
    that looked free, if any."""

    booking_id: int | None
    person_id: int | None
    new: bool
    locked: bool
    window_id: int | None
    seat: int | None

    @property
    def booked(self) -> bool:
        return self.booking_id is not None


@functools.cache
def statement(lock: bool = False) -> Select[Any]:
    """The one statement; with `lock` (inside a transaction) the person row is upserted
    whether new or not, which locks it for the rest of the transaction, and `made` says
    which it was; without (autocommit) only a new person is inserted."""
    persons, bookings = PersonRow.__table__, BookingRow.__table__
    bk = bookings.c
    # The seats held over the block (the same bounded read as take_seat's), then the
    # first candidate seat, in the caller's order, that none of them holds.
    taken = (select(bk.window_id, bk.seat).where(
        bk.center_id == bindparam("center_id"), bk.start_utc > bindparam("since"),
        bk.start_utc < bindparam("end_utc"), bk.end_utc > bindparam("start_utc"),
        HOLDING)).cte("t")
    cand = func.unnest(bindparam("windows", type_=ARRAY(Integer)),
                       bindparam("seats", type_=ARRAY(Integer))
                       ).table_valued("w", "s", with_ordinality="o").render_derived()
    seat = (select(cand.c.w, cand.c.s)
            .where(tuple_(cand.c.w, cand.c.s).not_in(select(taken.c.window_id,
                                                            taken.c.seat)))
            .order_by(cand.c.o).limit(1)).cte("c")
    person = select(bindparam("iin_hash", type_=String()),
                    bindparam("iin_masked", type_=String()), literal(0))
    upsert = pg_insert(persons)
    if lock:  # the row lock, for the rest of the transaction; a refusal rolls it back
        p = (upsert.from_select(["iin_hash", "iin_masked", "bookings_made"], person)
             .on_conflict_do_update(index_elements=["iin_hash"],
                                    set_={"bookings_made": persons.c.bookings_made + 1})
             .returning(persons.c.id, persons.c.bookings_made)).cte("p")
    else:
        # A new person only, and only when a seat looked free: a person seen before
        # needs the quota read, and a full slot should leave no trace.
        p = (upsert.from_select(["iin_hash", "iin_masked", "bookings_made"],
                                person.where(select(seat.c.w).exists()))
             .on_conflict_do_nothing(index_elements=["iin_hash"])
             .returning(persons.c.id, persons.c.bookings_made)).cte("p")
    values = [p.c.id if name == "person_id" else seat.c.w if name == "window_id" else
              seat.c.s if name == "seat" else
              bindparam(name, type_=bookings.c[name].type) for name in BOOKING_COLUMNS]
    b = (pg_insert(bookings)
         .from_select(list(BOOKING_COLUMNS),
                      select(*values).select_from(p).join(seat, true())
                      .where(p.c.bookings_made == 0))
         .on_conflict_do_nothing()
         .returning(bk.id)).cte("b")
    return select(select(b.c.id).scalar_subquery().label("booking_id"),
                  select(p.c.id).scalar_subquery().label("person_id"),
                  select(p.c.bookings_made).scalar_subquery().label("made"),
                  select(seat.c.w).scalar_subquery().label("window_id"),
                  select(seat.c.s).scalar_subquery().label("seat")).add_cte(_audit_of(b))


def _audit_of(booked: Any) -> Any:
    """The audit row of the booking the CTE `booked` inserted, if it inserted one."""
    audit_values: list[ColumnElement[Any]] = [
        bindparam("at", type_=UtcDateTime()), bindparam("actor_id", type_=Integer()),
        bindparam("actor", type_=String()), bindparam("channel", type_=String()),
        bindparam("action", type_=String()), bindparam("entity", type_=String()),
        bindparam("code", type_=String()), bindparam("details", type_=JSON())]
    return AuditRow.__table__.insert().from_select(
        list(AUDIT_COLUMNS), select(*audit_values).select_from(booked)).cte("a")


@functools.cache
def seen_statement() -> Select[Any]:
    """A person seen before, under the person row's lock: the booking into one seat (the
    one the first statement found free), its audit row, and the person's other bookings
    that count against quotas, in one statement.

    The quota is checked in Python on those bookings after the insert: the statement's
    snapshot is taken after the lock, so it holds every booking of the person, and a
    booking over the quota is rolled back with the transaction before anyone sees it.
    A seat lost meanwhile inserts nothing; the caller reads what is taken and goes on.
    """
    bookings = BookingRow.__table__
    bk = bookings.c
    b = (pg_insert(bookings)
         .values({name: bindparam(name, type_=bookings.c[name].type)
                  for name in BOOKING_COLUMNS})
         .on_conflict_do_nothing()
         .returning(bk.id)).cte("b")
    held = (select(bk.id, bk.service_code, bk.start_utc, bk.local_date, bk.center_kind,
                   bk.status)
            .where(bk.person_id == bindparam("person_id"), COUNTING,
                   bk.start_utc > bindparam("held_since"))).subquery("h")
    one = select(literal(1).label("one")).subquery("one")
    return (select(select(b.c.id).scalar_subquery().label("booking_id"), held.c.id,
                   held.c.service_code, held.c.start_utc, held.c.local_date,
                   held.c.center_kind, held.c.status)
            .select_from(one.outerjoin(held, true())).add_cte(_audit_of(b)))


def seen_params(booking: dict[str, Any], audit: dict[str, Any], held_since: dt.datetime
                ) -> dict[str, Any]:
    """Bind values of `seen_statement`: every booking column, the audit row's, and the
    start of the quota window."""
    return {**booking, "at": audit["at"], "actor_id": audit["actor_id"],
            "actor": audit["actor"], "action": audit["action"], "entity": audit["entity"],
            "details": audit["details"], "held_since": held_since}


def params(iin_hash: str, booking: dict[str, Any], audit: dict[str, Any],
           seats: list[tuple[int, int]], since: dt.datetime) -> dict[str, Any]:
    """Bind values: the booking's columns (person_id comes from the upsert, window and
    seat from the first free candidate), the candidates in order, and the audit row's,
    named as in `statement`."""
    out = {k: v for k, v in booking.items() if k not in ("person_id", "window_id", "seat")}
    out.update(windows=[w for w, _ in seats], seats=[s for _, s in seats], since=since)
    out.update(iin_hash=iin_hash, at=audit["at"], actor_id=audit["actor_id"],
               actor=audit["actor"], action=audit["action"], entity=audit["entity"],
               details=audit["details"])
    out["channel"] = booking["channel"]
    return out
