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
                    seats: list[tuple[int, int]], center_capacity: int | None = None
                    ) -> BookingRow:
    """Inserts the booking into the first free (window, seat) at its start.

    The partial unique indexes decide: one on the window seat, and, where the centre
    caps people per slot, one on a centre-wide seat. ON CONFLICT DO NOTHING lets a loser
    re-read what is taken and try again without aborting the transaction.
    """
    attempts = len(seats) + (center_capacity or 0) + 1
    for _ in range(attempts):
        taken, center_taken = await _taken(session, values, seats, center_capacity)
        free = [s for s in seats if s not in taken]
        center_seat = None
        if center_capacity is not None:
            spare = [i for i in range(center_capacity) if i not in center_taken]
            if not spare:
                break
            center_seat = spare[0]
        if not free:
            break
        for window_id, seat in free:
            stmt = (_insert(session, BookingRow)
                    .values(**values, window_id=window_id, seat=seat, center_seat=center_seat)
                    .on_conflict_do_nothing()
                    .returning(BookingRow.id))
            new_id = (await session.execute(stmt)).scalar_one_or_none()
            if new_id is not None:
                return BookingRow(id=new_id, window_id=window_id, seat=seat,
                                  center_seat=center_seat, **values)
            if center_seat is not None:
                break  # the centre seat may be the one taken: re-read both
    raise SlotFull()


async def _taken(session: AsyncSession, values: dict[str, Any], seats: list[tuple[int, int]],
                 center_capacity: int | None) -> tuple[set[tuple[int, int]], set[int]]:
    rows = (await session.execute(
        select(BookingRow.window_id, BookingRow.seat, BookingRow.center_seat).where(
            BookingRow.center_id == values["center_id"],
            BookingRow.start_utc == values["start_utc"],
            BookingRow.status.in_(("active", "checked_in"))))).all()
    taken = {(w, s) for w, s, _ in rows}
    center_taken = {c for _, _, c in rows if c is not None} if center_capacity else set()
    return taken, center_taken
