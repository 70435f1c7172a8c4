"""A freed seat goes to the waitlist first, then back to the public at a random moment.

Issue 11 measured that a cancelled seat was free again at once: a hoarder handed a seat
to a buyer by cancelling while the buyer booked, 7 ms apart. Now every path that frees
a seat before its time (a cancel, the old seat of a reschedule, a waitlist offer that
lapsed or was left) holds it back as a `bookings` row with status 'held' and
`hold_until` set, in the same transaction as the freeing (ADR 13):

- the partial unique index and the overlap referee keep the held-back seat from
  everyone, the canceller included, exactly as they keep a booked seat, so slot search
  and every booking path respect it without a line of their own;
- the waitlist's offer run lifts the day's held-back seats for the people waiting
  (`lift`) and holds back again whatever they did not take (`restore`), inside its
  transaction: the public never sees the seat in between;
- at `hold_until`, drawn uniformly from the policy's range with the OS's CSPRNG, the
  sweep releases it (`release_due`) and offers it to the waitlist once more before it
  is free to all. Nobody outside knows the moment, so a hand-over cannot be timed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import after_commit, catalog
from kezek.app.seats import insert_row
from kezek.core.booking import new_code
from kezek.core.errors import KezekError
from kezek.core.release import rerelease_delay
from kezek.store.models import BookingRow
from kezek.store.models_jobs import WaitlistEntryRow

HELD, RELEASED = "held", "released"
_rng = random.SystemRandom()
SEAT_COLUMNS = ("person_id", "iin_masked", "service_code", "center_id", "center_kind",
                "window_id", "seat", "center_seat", "start_utc", "end_utc", "local_date",
                "channel")


async def _delay(session: AsyncSession, center_id: int, rng: random.Random | None
                 ) -> dt.timedelta:
    try:
        policy = (await catalog.center(session, center_id)).policy
    except KezekError:  # the centre is gone: nothing to protect
        return dt.timedelta(0)
    return rerelease_delay(policy, rng or _rng)


async def hold_back(session: AsyncSession, freed: BookingRow, now: dt.datetime,
                    rng: random.Random | None = None) -> dt.datetime | None:
    """Holds the seat `freed` just gave up (its row no longer holds) back from the
    public; returns until when, or None when the policy returns seats at once or the
    visit's time has come (nobody can book it any more)."""
    delay = await _delay(session, freed.center_id, rng)
    if delay <= dt.timedelta(0) or freed.start_utc <= now:
        return None
    until = now + delay
    values: dict[str, Any] = {c: getattr(freed, c) for c in SEAT_COLUMNS}
    values.update(code=new_code(), status=HELD, privilege=None, created_at=now,
                  updated_at=now, hold_until=until)
    held = await insert_row(session, values)
    if held is None:
        return None
    after_commit.hold_ends(session, freed.center_id, freed.local_date, until)
    return until


async def hold_lapsed(session: AsyncSession, booking_ids: list[int], now: dt.datetime,
                      rng: random.Random | None = None) -> None:
    """A waitlist offer's held seat that nobody will take (lapsed, or its person left):
    held back like a cancelled one, or released at once if the policy says so."""
    if not booking_ids:
        return
    rows = (await session.execute(select(BookingRow.id, BookingRow.center_id,
                                         BookingRow.start_utc, BookingRow.local_date).where(
        BookingRow.id.in_(booking_ids), BookingRow.status == HELD))).all()
    for booking_id, center_id, start, day in rows:
        delay = await _delay(session, center_id, rng)
        values: dict[str, Any] = {"updated_at": now}
        if delay > dt.timedelta(0) and start > now:
            values["hold_until"] = now + delay
            after_commit.hold_ends(session, center_id, day, values["hold_until"])
        else:
            values["status"] = RELEASED
        await session.execute(update(BookingRow).where(
            BookingRow.id == booking_id, BookingRow.status == HELD).values(**values))


async def lift(session: AsyncSession, center_id: int, day: dt.date, now: dt.datetime
               ) -> list[dict[str, Any]]:
    """Frees the day's held-back seats for the waitlist's offer run (under its lock), if
    anyone waits; returns what `restore` needs to hold back the rest again."""
    waiting = await session.scalar(select(WaitlistEntryRow.id).where(
        WaitlistEntryRow.center_id == center_id, WaitlistEntryRow.day == day,
        WaitlistEntryRow.status == "waiting").limit(1))
    if waiting is None:
        return []
    b = BookingRow.__table__.c
    rows = (await session.execute(
        update(BookingRow).where(BookingRow.center_id == center_id,
                                 BookingRow.local_date == day, BookingRow.status == HELD,
                                 BookingRow.hold_until.is_not(None))
        .values(status=RELEASED, updated_at=now)
        .returning(*(b[c] for c in SEAT_COLUMNS), b.hold_until))).all()
    return [dict(r._mapping) for r in rows]


async def restore(session: AsyncSession, lifted: list[dict[str, Any]], now: dt.datetime
                  ) -> int:
    """Holds back again the lifted seats that the waitlist did not take (an insert that
    finds its seat taken does nothing); returns how many."""
    restored = 0
    for seat in lifted:
        values = {**seat, "code": new_code(), "status": HELD, "privilege": None,
                  "created_at": now, "updated_at": now}
        restored += int(await insert_row(session, values) is not None)
    return restored


async def release_due(session: AsyncSession, now: dt.datetime, center_id: int | None = None,
                      day: dt.date | None = None) -> set[tuple[int, dt.date]]:
    """Returns held-back seats whose time has come to the public (of one centre's day,
    or everywhere); the (centre, day) pairs they were on, for the waitlist to be offered
    them first."""
    where = [BookingRow.status == HELD, BookingRow.hold_until.is_not(None),
             BookingRow.hold_until <= now]
    if center_id is not None:
        where += [BookingRow.center_id == center_id, BookingRow.local_date == day]
    rows = (await session.execute(
        update(BookingRow).where(*where)
        .values(status=RELEASED, updated_at=now)
        .returning(BookingRow.center_id, BookingRow.local_date))).all()
    return {(c, d) for c, d in rows}


async def held_back(session: AsyncSession, center_id: int, day: dt.date) -> int:
    """How many seats of the day are held back now (for pages and the measurement)."""
    found = await session.scalar(select(text("count(*)")).select_from(BookingRow).where(
        BookingRow.center_id == center_id, BookingRow.local_date == day,
        BookingRow.status == HELD, BookingRow.hold_until.is_not(None)))
    return int(found or 0)
