"""Services longer than one slot hold their seat over a block, on SQLite and PostgreSQL.

A 30-minute service at a centre on a 15-minute grid takes two consecutive slots of one
window seat. The vehicle centre of the test network has one window of one seat, so every
overlap shows up as a refusal.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools

import pytest
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from kezek.app import booking, rerelease
from kezek.app.actor import CITIZEN, SYSTEM, Channel
from kezek.app.registry import import_services
from kezek.app.slots import free_slots
from kezek.core.errors import OutsideSchedule, SlotFull
from kezek.core.registry_io import services_from_records
from kezek.store.db import unit_of_work
from kezek.store.models import BookingRow
from tests.conftest import IIN_KEY, next_weekday, random_iin
from tests.store.test_booking import at, book, center_id

SHORT = "04010001"  # the test network's 15-minute vehicle service
LONG = "04010002"
LONG_SERVICE = {"code": LONG, "names": {"kk": "Көлікті қайта тіркеу",
                                        "ru": "Перерегистрация транспортного средства",
                                        "en": "Re-registration of a vehicle"},
                "sector": "vehicle", "delivery": "paper", "specialised_only": True,
                "standard": {"slot_minutes": 30}}


async def release_held(sm) -> None:
    """The sweep's release of held-back seats, its clock past the longest delay."""
    async with unit_of_work(sm) as s:
        await rerelease.release_due(s, dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11))


@pytest.fixture
async def long_service(sm) -> str:
    async with unit_of_work(sm) as s:
        await import_services(s, services_from_records([LONG_SERVICE]), SYSTEM, Channel.CLI)
    return LONG


def saturday() -> dt.date:
    day = next_weekday() + dt.timedelta(days=1)
    while day.weekday() != 5:
        day += dt.timedelta(days=1)
    return day


async def starts(sm, cid: int, service: str, day: dt.date) -> list[dt.time]:
    async with sm() as s:
        found = await free_slots(s, cid, service, day, 1, dt.datetime.now(dt.UTC))
    return [f.start.time() for f in found]


async def test_long_visit_holds_two_slots(sm, long_service) -> None:
    cid = await center_id(sm, "vehicle")
    day = next_weekday()
    row = await book(sm, random_iin(), cid, at(day, 10), service=LONG)
    assert row.end_utc - row.start_utc == dt.timedelta(minutes=30)
    with pytest.raises(SlotFull):  # its second slot
        await book(sm, random_iin(), cid, at(day, 10, 15), service=SHORT)
    with pytest.raises(SlotFull):  # a long visit before it would run into it
        await book(sm, random_iin(), cid, at(day, 9, 45), service=LONG)
    before = await book(sm, random_iin(), cid, at(day, 9, 45), service=SHORT)
    after = await book(sm, random_iin(), cid, at(day, 10, 30), service=LONG)
    assert (before.end_utc, after.start_utc) == (row.start_utc, row.end_utc)
    free_long = await starts(sm, cid, LONG, day)
    free_short = await starts(sm, cid, SHORT, day)
    for t in ("09:30", "09:45", "10:00", "10:15", "10:30", "10:45"):
        assert dt.time.fromisoformat(t) not in free_short or t == "09:30", t
    assert dt.time(9, 30) in free_short and dt.time(9, 30) not in free_long
    assert dt.time(9, 0) in free_long and dt.time(11, 0) in free_long


async def test_cancel_frees_the_whole_block(sm, long_service) -> None:
    cid = await center_id(sm, "vehicle")
    day, iin = next_weekday(), random_iin()
    row = await book(sm, iin, cid, at(day, 11), service=LONG)
    async with unit_of_work(sm) as s:
        await booking.cancel(s, row.code, iin, IIN_KEY, CITIZEN, Channel.WEB)
    # The whole block is held back first (ADR 13), then returns whole.
    assert not {dt.time(11), dt.time(11, 15)} & set(await starts(sm, cid, SHORT, day))
    await release_held(sm)
    assert {dt.time(11), dt.time(11, 15)} <= set(await starts(sm, cid, SHORT, day))
    await book(sm, random_iin(), cid, at(day, 11, 15), service=SHORT)


async def test_reschedule_moves_the_block(sm, long_service) -> None:
    cid = await center_id(sm, "vehicle")
    day, iin = next_weekday(), random_iin()
    row = await book(sm, iin, cid, at(day, 12), service=LONG)
    async with unit_of_work(sm) as s:
        moved = await booking.reschedule(s, row.code, iin, at(day, 12, 15), IIN_KEY, CITIZEN,
                                         Channel.WEB)
    assert moved.end_utc - moved.start_utc == dt.timedelta(minutes=30)
    await release_held(sm)  # the old block, held back for a while (ADR 13)
    await book(sm, random_iin(), cid, at(day, 12), service=SHORT)
    with pytest.raises(SlotFull):
        await book(sm, random_iin(), cid, at(day, 12, 30), service=SHORT)


async def test_block_must_end_by_closing(sm, long_service) -> None:
    cid = await center_id(sm, "mixed")  # Saturday 09:00-13:00
    async with unit_of_work(sm) as s:
        await import_services(s, services_from_records([{
            **LONG_SERVICE, "code": "05010002", "sector": "real_estate",
            "specialised_only": False}]), SYSTEM, Channel.CLI)
    day = saturday()
    assert dt.time(12, 45) in await starts(sm, cid, "05010001", day)
    long_starts = await starts(sm, cid, "05010002", day)
    assert long_starts[-1] == dt.time(12, 30)
    with pytest.raises(OutsideSchedule) as err:
        await book(sm, random_iin(), cid, at(day, 12, 45), service="05010002")
    assert err.value.params["reason"] == "ends_after_closing"


async def test_database_refuses_an_overlapping_block(sm, long_service) -> None:
    """The referee is the database, not the application: a raw insert of a block that
    overlaps a held one on the same seat inserts nothing, on both databases."""
    cid = await center_id(sm, "vehicle")
    row = await book(sm, random_iin(), cid, at(next_weekday(), 14), service=LONG)
    values = {c: getattr(row, c) for c in (
        "person_id", "iin_masked", "service_code", "center_id", "center_kind", "window_id",
        "seat", "local_date", "status", "channel", "created_at", "updated_at")}
    blocks = {"OVERLAP1": (15, 45), "OVERLAP2": (-15, 15), "OVERLAP3": (5, 20),
              "ADJACENT": (30, 45), "BEFORE": (-15, 0)}
    async with unit_of_work(sm) as s:
        dml = postgresql if s.bind.dialect.name == "postgresql" else sqlite
        for code, (start, end) in blocks.items():
            await s.execute(dml.insert(BookingRow).values(
                code=code, start_utc=row.start_utc + dt.timedelta(minutes=start),
                end_utc=row.start_utc + dt.timedelta(minutes=end), **values,
            ).on_conflict_do_nothing())
    async with sm() as s:
        codes = set((await s.scalars(select(BookingRow.code).where(
            BookingRow.center_id == cid))).all())
    assert codes == {row.code, "ADJACENT", "BEFORE"}


async def test_concurrent_overlapping_blocks_one_wins(sm, long_service) -> None:
    """Long visits at 10:00 and 10:15 and short ones at 10:15, all at once, on one seat:
    whatever the interleaving, the seat's held blocks never overlap."""
    cid = await center_id(sm, "vehicle")
    day = next_weekday(days_ahead=2)

    async def attempt(k: int) -> bool:
        start, service = [(at(day, 10), LONG), (at(day, 10, 15), LONG),
                          (at(day, 10, 15), SHORT)][k % 3]
        try:
            await book(sm, random_iin(), cid, start, service=service)
        except SlotFull:
            return False
        return True

    won = await asyncio.gather(*(attempt(k) for k in range(24)))
    async with sm() as s:
        held = sorted((await s.execute(select(BookingRow.start_utc, BookingRow.end_utc).where(
            BookingRow.center_id == cid, BookingRow.local_date == day))).all())
    assert sum(won) == len(held) >= 1
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(held))


async def test_database_refuses_an_update_into_an_overlap(sm, long_service) -> None:
    """Moving a booking in place onto a held block fails on both databases."""
    cid = await center_id(sm, "vehicle")
    day = next_weekday()
    long = await book(sm, random_iin(), cid, at(day, 15), service=LONG)
    short = await book(sm, random_iin(), cid, at(day, 14), service=SHORT)
    with pytest.raises(IntegrityError):
        async with unit_of_work(sm) as s:
            await s.execute(update(BookingRow).where(BookingRow.id == short.id).values(
                start_utc=long.start_utc + dt.timedelta(minutes=15),
                end_utc=long.end_utc + dt.timedelta(minutes=15)))
    async with unit_of_work(sm) as s:  # next to it is fine
        await s.execute(update(BookingRow).where(BookingRow.id == short.id).values(
            start_utc=long.end_utc, end_utc=long.end_utc + dt.timedelta(minutes=15)))
