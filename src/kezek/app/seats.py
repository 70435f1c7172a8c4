"""The two statements that make booking race-free, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.core.errors import SlotFull
from kezek.store.models import BookingRow, PersonRow


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table))


async def lock_person(session: AsyncSession, iin_hash: str | None, masked: str | None,
                      person_id: int | None = None) -> int:
    """Upserts the person's row, which locks it until the transaction ends.

    Every booking of one IIN passes here first, so their quota reads are serialised.
    """
    if person_id is not None:
        stmt = (PersonRow.__table__.update().where(PersonRow.id == person_id)
                .values(bookings_made=PersonRow.bookings_made).returning(PersonRow.id))
        return int((await session.execute(stmt)).scalar_one())
    ins: Insert = _insert(session, PersonRow).values(iin_hash=iin_hash, iin_masked=masked,
                                                     bookings_made=0)
    stmt = ins.on_conflict_do_update(  # type: ignore[attr-defined]
        index_elements=["iin_hash"],
        set_={"bookings_made": PersonRow.bookings_made + 1},
    ).returning(PersonRow.id)
    return int((await session.execute(stmt)).scalar_one())


async def take_seat(session: AsyncSession, values: dict[str, Any],
                    seats: list[tuple[int, int]]) -> BookingRow:
    """Inserts the booking into the first free (window, seat) at its start.

    The partial unique index decides; ON CONFLICT DO NOTHING lets a loser try the next
    seat without aborting the transaction.  Seats seen taken are skipped first.
    """
    taken = set((await session.execute(
        select(BookingRow.window_id, BookingRow.seat).where(
            BookingRow.window_id.in_({w for w, _ in seats}),
            BookingRow.start_utc == values["start_utc"],
            BookingRow.status.in_(("active", "checked_in"))))).all())
    for window_id, seat in seats:
        if (window_id, seat) in taken:
            continue
        stmt = (_insert(session, BookingRow)
                .values(**values, window_id=window_id, seat=seat)
                .on_conflict_do_nothing()
                .returning(BookingRow.id))
        new_id = (await session.execute(stmt)).scalar_one_or_none()
        if new_id is not None:
            return BookingRow(id=new_id, window_id=window_id, seat=seat, **values)
    raise SlotFull()
