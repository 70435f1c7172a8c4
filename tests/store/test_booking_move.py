"""A booking moved in place (`reschedule(keep_code=True)`, the web's Move, ADR 0031), on
SQLite and PostgreSQL: it keeps its code, and a refused move leaves it as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from kezek.app import booking, network
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.core.errors import QuotaExceeded, SlotFull
from kezek.store.db import unit_of_work
from kezek.store.models import AuditRow, BookingRow
from tests.conftest import IIN_KEY, next_weekday, random_iin
from tests.store.test_booking import IIN, at, book, center_id

ADMIN = Actor("admin", 1, Role.ADMIN)
BIRTHS = "03010001"  # served at two windows of the mixed centre: two seats a slot


async def move(sm, code: str, start: dt.datetime) -> BookingRow:
    async with unit_of_work(sm) as s:
        return await booking.reschedule(s, code, IIN, start, IIN_KEY, CITIZEN, Channel.WEB,
                                        keep_code=True)


async def rows_of(sm, person_id: int) -> list[BookingRow]:
    async with sm() as s:
        return list((await s.scalars(select(BookingRow).where(
            BookingRow.person_id == person_id,
            BookingRow.status.not_in(booking.WAITLIST_HOLDS)).order_by(BookingRow.id))).all())


async def test_a_move_keeps_the_code_and_the_old_row_is_kept_as_moved(sm) -> None:
    cid = await center_id(sm, "mixed")
    day = next_weekday()
    row = await book(sm, IIN, cid, at(day, 10), service=BIRTHS)
    moved = await move(sm, row.code, at(day, 14))
    assert moved.code == row.code and moved.id != row.id
    assert moved.start_utc == at(day, 14).astimezone(dt.UTC)
    old, new = await rows_of(sm, row.person_id)
    assert (old.id, old.status) == (row.id, "moved") and old.code != row.code
    assert (new.code, new.status) == (row.code, "active")
    async with sm() as s:  # the code now finds the moved booking, and the audit says so
        found = await booking.get_owned(s, row.code, IIN, IIN_KEY)
        assert found.id == moved.id
        audit = await s.scalar(select(AuditRow).where(AuditRow.action == "booking.reschedule"))
        assert audit is not None and audit.entity_id == row.code
        assert audit.details["was"] == old.code and IIN not in str(audit.details)


async def test_without_keep_code_the_move_gets_a_new_code(sm) -> None:
    cid = await center_id(sm, "mixed")
    day = next_weekday()
    row = await book(sm, IIN, cid, at(day, 10), service=BIRTHS)
    async with unit_of_work(sm) as s:
        moved = await booking.reschedule(s, row.code, IIN, at(day, 14), IIN_KEY, CITIZEN,
                                         Channel.CALL_CENTRE)
    assert moved.code != row.code


async def test_a_taken_new_time_leaves_the_booking_and_its_seat_as_they_were(sm) -> None:
    cid = await center_id(sm, "mixed")
    day = next_weekday()
    row = await book(sm, IIN, cid, at(day, 10), service=BIRTHS)
    for _ in range(2):  # 14:00 fills up before the person presses Move
        await book(sm, random_iin(), cid, at(day, 14), service=BIRTHS)
    with pytest.raises(SlotFull):
        await move(sm, row.code, at(day, 14))
    (kept,) = await rows_of(sm, row.person_id)
    assert (kept.code, kept.status, kept.start_utc, kept.window_id, kept.seat) == (
        row.code, "active", row.start_utc, row.window_id, row.seat)
    # The old seat was never freed: with one other person at 10:00 the slot is full.
    await book(sm, random_iin(), cid, at(day, 10), service=BIRTHS)
    with pytest.raises(SlotFull):
        await book(sm, random_iin(), cid, at(day, 10), service=BIRTHS)


async def test_a_move_is_held_to_the_same_quota_as_a_booking(sm) -> None:
    cid = await center_id(sm, "mixed")
    day = next_weekday()
    other_day = next_weekday(days_ahead=(day - dt.date.today()).days + 1)
    async with unit_of_work(sm) as s:  # three bookings in ten days, two services a day
        await network.update_center(s, cid, {"policy": {"max_bookings": 3}}, ADMIN,
                                    Channel.API)
    row = await book(sm, IIN, cid, at(day, 10))
    others = [await book(sm, IIN, cid, at(other_day, 10), service=BIRTHS),
              await book(sm, IIN, cid, at(other_day, 12), service="05010001")]
    with pytest.raises(QuotaExceeded) as refused:  # a third service type on that day
        await move(sm, row.code, at(other_day, 11))
    assert refused.value.params["rule"] == "per_day"
    assert [(r.code, r.status, r.start_utc) for r in await rows_of(sm, row.person_id)] == [
        (r.code, "active", r.start_utc) for r in (row, *others)]
    moved = await move(sm, row.code, at(day, 11))  # the same day is fine: its own quota
    assert moved.code == row.code
