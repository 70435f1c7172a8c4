"""The one-statement booking (app/fastbook.py) and its autocommit run, against the rules.

On PostgreSQL a new person's booking is one statement; when the booking is all the
caller's transaction holds (`alone`, the API and the web page) it runs in autocommit.
These tests pin what that must not change: a refusal writes nothing, a person seen before
goes through the quota read under the row lock, a seat lost between the statement's read
and its insert is booked elsewhere by the general path, and only an `alone` booking is
committed before the caller's transaction ends.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select, text

from kezek.app import booking, catalog
from kezek.app.actor import CITIZEN, Channel
from kezek.app.booking import BookingRequest
from kezek.core.errors import QuotaExceeded, SlotFull
from kezek.core.privacy import iin_digest
from kezek.store.db import unit_of_work
from kezek.store.models import AuditRow, BookingRow, PersonRow, WindowRow
from tests.conftest import IIN_KEY, next_weekday, random_iin
from tests.store.test_booking import at, center_id

ALONE = pytest.mark.parametrize("alone", [False, True], ids=["in_transaction", "alone"])
# SQLite has no data-modifying CTEs, hence no one-statement booking to race or commit.
PG_ONLY = pytest.mark.parametrize("db_url", ["pg"], indirect=True)


def request(iin: str, cid: int, start: dt.datetime, service: str = "01010001"
            ) -> BookingRequest:
    return BookingRequest(iin, service, cid, start, Channel.WEB)


async def book(sm, iin: str, cid: int, start: dt.datetime, alone: bool,
               service: str = "01010001") -> BookingRow:
    async with unit_of_work(sm) as s:
        return await booking.book(s, request(iin, cid, start, service), IIN_KEY, CITIZEN,
                                  alone=alone)


async def counts(sm) -> tuple[int, int, int]:
    async with sm() as s:
        return tuple([int(await s.scalar(select(func.count()).select_from(t)))  # type: ignore[misc]
                      for t in (PersonRow, BookingRow, AuditRow)])


@ALONE
async def test_a_full_slot_refuses_a_new_person_and_writes_nothing(sm, alone) -> None:
    cid = await center_id(sm, "mixed")  # capacity 3 for the identity service
    start = at(next_weekday(), 11)
    for _ in range(3):
        await book(sm, random_iin(), cid, start, alone)
    before = await counts(sm)
    with pytest.raises(SlotFull):
        await book(sm, random_iin(), cid, start, alone)
    assert await counts(sm) == before


@ALONE
async def test_a_person_seen_before_is_locked_and_counted_once(sm, alone) -> None:
    """The statement writes nothing for a known IIN: the general path books, after the
    quota read, and the person's counter moves once per booking, not per attempt."""
    cid = await center_id(sm, "mixed")
    iin = random_iin()
    first = await book(sm, iin, cid, at(next_weekday(), 10), alone)
    # general and specialised quotas are counted apart: a vehicle visit is allowed too
    second = await book(sm, iin, await center_id(sm, "vehicle"), at(next_weekday(), 12),
                        alone, service="04010001")
    async with sm() as s:
        person = await s.scalar(select(PersonRow).where(
            PersonRow.iin_hash == iin_digest(iin, IIN_KEY)))
        assert person is not None and person.bookings_made == 1
        assert {first.person_id, second.person_id} == {person.id}
        audits = (await s.scalars(select(AuditRow.entity_id).where(
            AuditRow.action == "booking.create"))).all()
    assert sorted(audits) == sorted([first.code, second.code])


@PG_ONLY
async def test_only_an_alone_booking_commits_before_the_caller(sm, monkeypatch) -> None:
    cid = await center_id(sm, "mixed")
    start = at(next_weekday(), 13)
    monkeypatch.setattr(catalog, "RECHECK_SECONDS", 3600.0)  # no version read begins one
    await book(sm, random_iin(), cid, start, alone=False)  # the catalog is loaded
    for alone in (True, False):
        async with unit_of_work(sm) as s:
            row = await booking.book(s, request(random_iin(), cid, start), IIN_KEY, CITIZEN,
                                     alone=alone)
            assert s.in_transaction() is not alone  # alone: no BEGIN was ever sent
            async with sm() as other:
                seen = await other.get(BookingRow, row.id)
            assert (seen is not None) is alone


@PG_ONLY
@ALONE
async def test_a_seat_lost_after_the_read_is_booked_elsewhere(sm, alone) -> None:
    """Another transaction holds the first seat, not yet committed: the statement's read
    cannot see it, so its insert waits, then loses; the general path books the next seat,
    and the new person has one row and the booking one audit row."""
    cid = await center_id(sm, "mixed")
    start = at(next_weekday(), 14)
    iin = random_iin()
    async with sm() as holder:
        held = await booking.book(holder, request(random_iin(), cid, start), IIN_KEY,
                                  CITIZEN)  # uncommitted
        task = asyncio.create_task(book(sm, iin, cid, start, alone))
        await _until_waiting(holder)
        await holder.commit()
    row = await task
    assert (row.window_id, row.seat) != (held.window_id, held.seat)
    async with sm() as s:
        persons = (await s.scalars(select(PersonRow.id).where(
            PersonRow.iin_hash == iin_digest(iin, IIN_KEY)))).all()
        audits = (await s.scalars(select(AuditRow.id).where(
            AuditRow.entity_id == row.code))).all()
    assert persons == [row.person_id] and len(audits) == 1


async def _until_waiting(session) -> None:
    """Until a booking statement waits for the holder's transaction (the seat it took)."""
    # A row lock wait is a wait for the other transaction's id (pg_stat_activity's query
    # text is not reliable here: asyncpg's prepared statements do not always update it).
    sql = text("SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'")
    async with session.bind.connect() as conn:
        for _ in range(200):
            if await conn.scalar(sql):
                return
            await asyncio.sleep(0.025)
    raise AssertionError("the booking never waited for the held seat")


@ALONE
async def test_a_person_over_the_quota_leaves_no_booking_and_no_audit(sm, alone) -> None:
    """On PostgreSQL a person seen before is booked and then checked (one statement does
    the insert, the audit row and the quota read): the refusal must take both back."""
    cid = await center_id(sm, "mixed")
    iin = random_iin()
    await book(sm, iin, cid, at(next_weekday(), 10), alone)
    before = await counts(sm)
    start = at(next_weekday(days_ahead=3), 10)
    with pytest.raises(QuotaExceeded):  # one general booking per ten days
        await book(sm, iin, cid, start, alone, service="05010001")
    assert await counts(sm) == before
    other = await book(sm, random_iin(), cid, start, alone, service="05010001")
    async with sm() as s:
        first_window = await s.scalar(select(WindowRow.id).where(
            WindowRow.center_id == cid, WindowRow.number == 1))
    assert (other.window_id, other.seat) == (first_window, 0)  # the first seat stayed free


@PG_ONLY
async def test_the_first_statement_follows_the_mix_of_people(sm, monkeypatch) -> None:
    """While most people are new the first statement runs in autocommit; once most are
    seen before it runs in the transaction and locks the person at once."""
    from kezek.app import seats

    monkeypatch.setattr(seats, "MIX_WEIGHT", 0.5)  # a short memory, for the test
    monkeypatch.setattr(catalog, "RECHECK_SECONDS", 3600.0)  # no version read begins one
    cid = await center_id(sm, "mixed")
    day = next_weekday(days_ahead=2)
    known = [random_iin() for _ in range(2)]
    async with unit_of_work(sm) as s:  # people seen before, without bookings
        await catalog.snapshot(s)  # loaded now, not by the first booking
        s.add_all([PersonRow(iin_hash=iin_digest(i, IIN_KEY), iin_masked="00********00",
                             bookings_made=1) for i in known])

    async def alone_in_transaction(iin: str, hour: int) -> bool:
        async with unit_of_work(sm) as s:
            await booking.book(s, request(iin, cid, at(day, hour)), IIN_KEY, CITIZEN,
                               alone=True)
            return s.in_transaction()

    assert not await alone_in_transaction(random_iin(), 9)  # new people: autocommit
    for hour, iin in zip((10, 11), known, strict=True):
        await alone_in_transaction(iin, hour)  # seen before: the share rises to 0.75
    assert await alone_in_transaction(random_iin(), 12)  # now in a transaction
    assert not await alone_in_transaction(random_iin(), 13)  # 0.375: autocommit again
