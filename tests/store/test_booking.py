"""Booking rules on real SQLite and PostgreSQL: seats, quotas, cancel, reschedule."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from kezek.app import booking, network, rerelease
from kezek.app.actor import CITIZEN, Channel
from kezek.app.booking import BookingRequest
from kezek.app.slots import free_slots
from kezek.core.errors import (
    AlreadyBooked,
    InvalidIin,
    NotFound,
    OutsideSchedule,
    QuotaExceeded,
    ServiceNotOffered,
    SlotFull,
)
from kezek.core.policy import Privilege
from kezek.store.db import unit_of_work
from kezek.store.models import AuditRow, BookingRow, CenterRow, PersonRow
from tests.conftest import IIN_KEY, next_weekday, random_iin

TZ = ZoneInfo("Asia/Almaty")
IIN = "900101300017"


async def center_id(sm, slug: str) -> int:
    async with sm() as s:
        return int(await s.scalar(select(CenterRow.id).where(CenterRow.slug == slug)))


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), TZ)


async def book(sm, iin: str, center: int, start: dt.datetime, service: str = "01010001",
               privilege: Privilege | None = None) -> BookingRow:
    async with unit_of_work(sm) as s:
        return await booking.book(s, BookingRequest(iin, service, center, start, Channel.WEB,
                                                    privilege), IIN_KEY, CITIZEN)


async def test_book_then_find_and_cancel(sm) -> None:
    cid = await center_id(sm, "mixed")
    day = next_weekday()
    row = await book(sm, IIN, cid, at(day, 10))
    assert row.status == "active" and row.iin_masked == "90********17"
    async with sm() as s:
        found = await booking.find_for_person(s, IIN, IIN_KEY)
        assert [b.code for b in found] == [row.code]
        stored = (await s.scalars(select(PersonRow.iin_hash))).all()
        assert IIN not in "".join(stored)
        audit = (await s.scalars(select(AuditRow))).all()
        assert any(a.action == "booking.create" and a.entity_id == row.code for a in audit)
        assert all(IIN not in str(a.details) for a in audit)
    async with unit_of_work(sm) as s:
        with pytest.raises(NotFound):
            await booking.cancel(s, row.code, "850715400129", IIN_KEY, CITIZEN, Channel.WEB)
    async with unit_of_work(sm) as s:
        cancelled = await booking.cancel(s, row.code.lower(), IIN, IIN_KEY, CITIZEN, Channel.WEB)
        assert cancelled.status == "cancelled"
    async with sm() as s:
        assert await booking.find_for_person(s, IIN, IIN_KEY) == []


async def test_seats_fill_then_slot_full_and_cancel_frees(sm) -> None:
    cid = await center_id(sm, "mixed")  # identity: windows 1, 2, 3 -> capacity 3
    start = at(next_weekday(), 11)
    rows = [await book(sm, random_iin(), cid, start) for _ in range(3)]
    assert len({(r.window_id, r.seat) for r in rows}) == 3
    with pytest.raises(SlotFull):
        await book(sm, random_iin(), cid, start)
    async with sm() as s:
        slots = await free_slots(s, cid, "01010001", start.date(), 1,
                                 dt.datetime.now(dt.UTC))
        assert start not in [x.start for x in slots]
    async with unit_of_work(sm) as s:
        owner = rows[0]
        await s.execute(select(BookingRow).where(BookingRow.id == owner.id))
    # cancel one through its owner: find the IIN-less way is impossible, so re-book flow:
    iin = random_iin()
    start2 = at(next_weekday(), 12)
    b = await book(sm, iin, cid, start2)
    async with unit_of_work(sm) as s:
        await booking.cancel(s, b.code, iin, IIN_KEY, CITIZEN, Channel.WEB)
    again = await book(sm, random_iin(), cid, start2)
    # Fair release (ADR 13): the cancelled seat is held back for a few minutes, then
    # returns; the next booking takes it once the sweep has released it.
    assert (again.window_id, again.seat) != (b.window_id, b.seat)
    async with unit_of_work(sm) as s:
        await rerelease.release_due(s, dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11))
    later = await book(sm, random_iin(), cid, start2)
    assert (later.window_id, later.seat) == (b.window_id, b.seat)


async def test_capacity_follows_windows_serving_the_service(sm) -> None:
    cid = await center_id(sm, "mixed")
    day = next_weekday()
    async with sm() as s:
        now = dt.datetime.now(dt.UTC)
        identity = await free_slots(s, cid, "01010001", day, 1, now)
        birth = await free_slots(s, cid, "03010001", day, 1, now)
    assert identity and identity[0].capacity == 3  # windows 1, 2 (all) and 3 (identity)
    assert birth and birth[0].capacity == 2
    assert identity[0].start == at(day, 9)
    assert identity[-1].start == at(day, 17, 15)


async def test_quotas(sm) -> None:
    cid = await center_id(sm, "mixed")
    vid = await center_id(sm, "vehicle")
    day = next_weekday()
    await book(sm, IIN, cid, at(day, 10))
    with pytest.raises(AlreadyBooked):
        await book(sm, IIN, cid, at(day, 11))
    with pytest.raises(QuotaExceeded):
        await book(sm, IIN, cid, at(day, 11), service="03010001")
    # the specialised quota is counted separately
    v = await book(sm, IIN, vid, at(day, 10), service="04010001")
    assert v.center_kind == "specialised"


async def test_policy_override_per_centre(sm) -> None:
    cid = await center_id(sm, "mixed")
    from kezek.app.actor import Actor, Role

    admin = Actor("admin", 1, Role.ADMIN)
    async with unit_of_work(sm) as s:
        await network.update_center(s, cid, {"policy": {"max_bookings": 3}}, admin, Channel.API)
    day = next_weekday()
    await book(sm, IIN, cid, at(day, 10))
    await book(sm, IIN, cid, at(day, 11), service="03010001")
    with pytest.raises(QuotaExceeded) as exc:  # two service types a day at most
        await book(sm, IIN, cid, at(day, 12), service="05010001")
    assert exc.value.params["rule"] == "per_day"
    third = await book(sm, IIN, cid, at(day + dt.timedelta(days=1), 12), service="05010001")
    assert third.status == "active"  # three per ten days allowed here, on another day


async def test_booking_only_centre_sends_online_services_online(sm) -> None:
    cid = await center_id(sm, "booking-only")
    day = next_weekday()
    with pytest.raises(ServiceNotOffered) as exc:
        await book(sm, IIN, cid, at(day, 10), service="03010001")
    assert exc.value.params["reason"] == "online"
    row = await book(sm, IIN, cid, at(day, 10), service="03010001",
                     privilege=Privilege.PENSIONER)
    async with sm() as s:
        windows = {w.id: w for w in await network.windows_of(s, cid)}
    assert windows[row.window_id].privilege is True
    paper = await book(sm, "850715400129", cid, at(day, 10))
    assert windows[paper.window_id].privilege is False


async def test_refusals(sm) -> None:
    cid = await center_id(sm, "mixed")
    vid = await center_id(sm, "vehicle")
    day = next_weekday()
    with pytest.raises(InvalidIin):
        await book(sm, "900101300019", cid, at(day, 10))
    with pytest.raises(ServiceNotOffered):
        await book(sm, IIN, cid, at(day, 10), service="04010001")
    with pytest.raises(OutsideSchedule):
        await book(sm, IIN, cid, at(day, 10, 5))
    with pytest.raises(OutsideSchedule):
        await book(sm, IIN, cid, at(day, 8))
    with pytest.raises(OutsideSchedule):  # specialised: bookings before 15:30 only
        await book(sm, IIN, vid, at(day, 15, 30), service="04010001")
    with pytest.raises(OutsideSchedule):
        await book(sm, IIN, cid, at(day - dt.timedelta(days=7), 10))
    with pytest.raises(OutsideSchedule):
        await book(sm, IIN, cid, at(day + dt.timedelta(days=30), 10))
    with pytest.raises(NotFound):
        await book(sm, IIN, 99999, at(day, 10))
    with pytest.raises(NotFound):
        await book(sm, IIN, cid, at(day, 10), service="99999999")
    async with sm() as s:
        assert await s.scalar(select(func.count()).select_from(BookingRow)) == 0


async def test_exception_closes_a_day(sm) -> None:
    cid = await center_id(sm, "mixed")
    day = next_weekday()
    from kezek.app.actor import Actor, Role

    admin = Actor("admin", 1, Role.ADMIN)
    async with unit_of_work(sm) as s:
        await network.set_exception(s, cid, day, None, None, "repairs", admin, Channel.API)
    with pytest.raises(OutsideSchedule):
        await book(sm, IIN, cid, at(day, 10))
    async with sm() as s:
        assert await free_slots(s, cid, "01010001", day, 1, dt.datetime.now(dt.UTC)) == []


async def test_reschedule_frees_old_seat_in_same_transaction(sm) -> None:
    cid = await center_id(sm, "mixed")
    day = next_weekday()
    row = await book(sm, IIN, cid, at(day, 10), service="03010001")
    other = await book(sm, "850715400129", cid, at(day, 10), service="03010001")
    assert other.window_id != row.window_id
    # slot 10:00 for births now full (two windows); moving frees one seat
    async with unit_of_work(sm) as s:
        moved = await booking.reschedule(s, row.code, IIN, at(day, 14), IIN_KEY, CITIZEN,
                                         Channel.WEB)
    assert moved.start_utc == at(day, 14).astimezone(dt.UTC)
    async with sm() as s:
        old = await s.scalar(select(BookingRow).where(BookingRow.code == row.code))
        assert old is not None and old.status == "moved"  # not a cancellation: staff see it moved
    with pytest.raises(SlotFull):  # the freed seat is held back first (ADR 13)
        await book(sm, random_iin(), cid, at(day, 10), service="03010001")
    async with unit_of_work(sm) as s:
        await rerelease.release_due(s, dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11))
    again = await book(sm, random_iin(), cid, at(day, 10), service="03010001")
    assert again.window_id == row.window_id


async def test_concurrent_rush_never_overbooks(sm) -> None:
    """Many concurrent bookings for one slot of capacity 3: exactly 3 win."""
    cid = await center_id(sm, "mixed")
    start = at(next_weekday(), 15)

    async def attempt() -> str:
        try:
            await book(sm, random_iin(), cid, start)
            return "ok"
        except SlotFull:
            return "full"

    results = await asyncio.gather(*(attempt() for _ in range(30)))
    assert results.count("ok") == 3 and results.count("full") == 27
    async with sm() as s:
        n = await s.scalar(select(func.count()).select_from(BookingRow).where(
            BookingRow.start_utc == start.astimezone(dt.UTC)))
    assert n == 3


async def test_concurrent_same_iin_respects_quota(sm) -> None:
    cid = await center_id(sm, "mixed")
    day = next_weekday()
    starts = [at(day, 9, 15 * i) for i in range(4)] + [at(day, 11, 15 * i) for i in range(4)]

    async def attempt(start: dt.datetime) -> str:
        try:
            await book(sm, IIN, cid, start)
            return "ok"
        except (AlreadyBooked, QuotaExceeded):
            return "refused"

    results = await asyncio.gather(*(attempt(s) for s in starts))
    assert results.count("ok") == 1
    async with sm() as s:
        n = await s.scalar(select(func.count()).select_from(BookingRow).where(
            BookingRow.status == "active"))
    assert n == 1


async def test_centre_slot_capacity_caps_people_per_slot(sm) -> None:
    """The small-group limit: at most N people per slot across the centre."""
    from kezek.app.actor import Actor, Role

    cid = await center_id(sm, "mixed")
    admin = Actor("admin", 1, Role.ADMIN)
    async with unit_of_work(sm) as s:
        await network.update_center(s, cid, {"slot_capacity": 2}, admin, Channel.API)
    start = at(next_weekday(), 10)
    async with sm() as s:
        slots = await free_slots(s, cid, "01010001", start.date(), 1, dt.datetime.now(dt.UTC))
    assert slots[0].free == 2 and slots[0].capacity == 2

    async def attempt(service: str) -> str:
        try:
            await book(sm, random_iin(), cid, start, service=service)
            return "ok"
        except SlotFull:
            return "full"

    results = await asyncio.gather(*(attempt(("01010001", "03010001", "05010001")[i % 3])
                                     for i in range(12)))
    assert results.count("ok") == 2
    async with sm() as s:
        seats = (await s.execute(select(BookingRow.center_seat).where(
            BookingRow.start_utc == start.astimezone(dt.UTC)))).scalars().all()
        assert sorted(seats) == [0, 1]
        assert start not in [x.start for x in await free_slots(
            s, cid, "01010001", start.date(), 1, dt.datetime.now(dt.UTC))]


async def test_expire_past_bookings(sm) -> None:
    cid = await center_id(sm, "mixed")
    day = next_weekday()
    row = await book(sm, IIN, cid, at(day, 10))
    later = at(day, 12).astimezone(dt.UTC)
    async with unit_of_work(sm) as s:
        assert await booking.expire_past(s, at(day, 10, 30).astimezone(dt.UTC)) == 0
    async with unit_of_work(sm) as s:
        assert await booking.expire_past(s, later) == 1
    async with sm() as s:
        stored = await s.scalar(select(BookingRow).where(BookingRow.code == row.code))
        assert stored is not None and stored.status == "expired"
        assert await booking.find_for_person(s, IIN, IIN_KEY) == []
    # an expired booking no longer holds its seat
    again = await book(sm, random_iin(), cid, at(day, 10))
    assert again.status == "active"


async def test_every_path_writes_the_same_booking_and_one_audit_row(sm) -> None:
    """New person on a free seat (one statement on PostgreSQL), new person whose first seat
    is taken, and a person seen before: the stored rows match what book() returned."""
    cid = await center_id(sm, "mixed")
    start = at(next_weekday(), 15)
    returned = [await book(sm, random_iin(), cid, start) for _ in range(2)]
    repeat = random_iin()
    returned.append(await book(sm, repeat, cid, at(next_weekday(), 16)))
    async with sm() as s:
        for r in returned:
            stored = await s.get(BookingRow, r.id)
            assert stored is not None
            for column in ("code", "person_id", "window_id", "seat", "start_utc",
                           "local_date", "status", "channel", "service_code", "iin_masked"):
                assert getattr(stored, column) == getattr(r, column), column
            audits = (await s.scalars(select(AuditRow).where(
                AuditRow.entity_id == r.code))).all()
            assert [(a.action, a.channel, a.details["center"]) for a in audits] == [
                ("booking.create", "web", cid)]
    with pytest.raises(AlreadyBooked):  # seen before: the quota read runs
        await book(sm, repeat, cid, at(next_weekday(), 17))
