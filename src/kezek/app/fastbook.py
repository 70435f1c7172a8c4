"""A first booking of a new person on PostgreSQL, in one statement.

The common case of a rush (a person never seen, a free first seat) needs the person row,
the booking and its audit row. Sent as one statement with data-modifying CTEs it costs
one round trip instead of three, and PostgreSQL runs the same conditional statements
the slow path does, in the same order: the person upsert (which takes the row lock),
then the seat insert that the partial unique index lets only one request win, then the
audit row for the booking actually inserted. The booking is inserted only when the
person row is new: a person seen before needs the quota read first, so the caller
continues on the general path with the row already locked. A lost seat leaves nothing
behind but the locked person row, and the caller tries the next seats.

SQLite has no data-modifying CTEs; there the general path runs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Integer, Select, String, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from kezek.store.models import AuditRow, BookingRow, PersonRow
from kezek.store.types import UtcDateTime

BOOKING_COLUMNS = ("code", "person_id", "iin_masked", "service_code", "center_id",
                   "center_kind", "window_id", "seat", "start_utc", "end_utc", "local_date",
                   "status", "privilege", "channel", "created_at", "updated_at")
AUDIT_COLUMNS = ("at", "actor_id", "actor", "channel", "action", "entity", "entity_id",
                 "details")


@dataclass(frozen=True, slots=True)
class FirstTry:
    person_id: int
    first_seen: bool
    booking_id: int | None


@functools.cache
def statement() -> Select[Any]:
    persons, bookings, audit = PersonRow.__table__, BookingRow.__table__, AuditRow.__table__
    p = (pg_insert(persons)
         .values(iin_hash=bindparam("iin_hash"), iin_masked=bindparam("iin_masked"),
                 bookings_made=0)
         .on_conflict_do_update(index_elements=["iin_hash"],
                                set_={"bookings_made": persons.c.bookings_made + 1})
         .returning(persons.c.id, persons.c.bookings_made)).cte("p")
    values = [p.c.id if name == "person_id" else
              bindparam(name, type_=bookings.c[name].type) for name in BOOKING_COLUMNS]
    b = (pg_insert(bookings)
         .from_select(list(BOOKING_COLUMNS), select(*values).where(p.c.bookings_made == 0))
         .on_conflict_do_nothing()
         .returning(bookings.c.id)).cte("b")
    audit_values = [bindparam("at", type_=UtcDateTime()),
                    bindparam("actor_id", type_=Integer()),
                    bindparam("actor", type_=String()), bindparam("channel", type_=String()),
                    bindparam("action", type_=String()), bindparam("entity", type_=String()),
                    bindparam("code", type_=String()), bindparam("details", type_=JSON())]
    a = audit.insert().from_select(list(AUDIT_COLUMNS),
                                   select(*audit_values).select_from(b)).cte("a")
    return select(p.c.id, p.c.bookings_made,
                  select(b.c.id).scalar_subquery().label("booking_id")).add_cte(a)


def params(iin_hash: str, booking: dict[str, Any], audit: dict[str, Any]) -> dict[str, Any]:
    """Bind values: the booking's columns (person_id comes from the upsert) and the
    audit row's, named as in `statement`."""
    out = {k: v for k, v in booking.items() if k != "person_id"}
    out.update(iin_hash=iin_hash, at=audit["at"], actor_id=audit["actor_id"],
               actor=audit["actor"], action=audit["action"], entity=audit["entity"],
               details=audit["details"])
    out["channel"] = booking["channel"]
    return out
