"""Fair release on SQLite and PostgreSQL (ADR 13): the newest day opens at its time on
every path, and a cancelled seat goes to the waitlist first, then back to the public
only after a random delay (the canceller included)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kezek.app import booking, network, rerelease, waitlist, waitlist_offers
from kezek.app.actor import CITIZEN, SYSTEM, Actor, Channel, Role
from kezek.app.booking import BookingRequest
from kezek.app.slots import free_slots
from kezek.core.errors import SlotFull
from kezek.core.release import NotReleased
from kezek.store.db import unit_of_work
from kezek.store.models import BookingRow, CenterRow, utcnow
from tests.conftest import IIN_KEY, next_weekday, random_iin

TZ = ZoneInfo("Asia/Almaty")
ADMIN = Actor("admin", 1, Role.ADMIN)
VEHICLE = "04010001"  # the vehicle centre has one window with one seat


async def centre_id(sm, slug: str) -> int:
    async with sm() as s:
        return int(await s.scalar(select(CenterRow.id).where(CenterRow.slug == slug)))


async def set_policy(sm, **values: object) -> None:
    async with unit_of_work(sm) as s:
        await network.set_network_policy(s, values, SYSTEM, Channel.CLI)


async def book(sm, iin: str, cid: int, start: dt.datetime, now: dt.datetime | None = None,
               service: str = VEHICLE) -> BookingRow:
    async with unit_of_work(sm) as s:
        return await booking.book(s, BookingRequest(iin, service, cid, start, Channel.WEB),
                                  IIN_KEY, CITIZEN, now=now)


def release_day() -> tuple[dt.date, dt.date]:
    """A future date whose newest day of the horizon (10 days on) is a weekday."""
    today = next_weekday() + dt.timedelta(days=1)
    while (today + dt.timedelta(days=10)).weekday() >= 5:
        today += dt.timedelta(days=1)
    return today, today + dt.timedelta(days=10)


async def test_the_newest_day_opens_at_its_time_on_every_path(sm) -> None:
    cid = await centre_id(sm, "vehicle")
    await set_policy(sm, release_time="08:00")
    today, newest = release_day()
    before = dt.datetime.combine(today, dt.time(7, 59, 59), TZ)
    after = dt.datetime.combine(today, dt.time(8, 0), TZ)
    start = dt.datetime.combine(newest, dt.time(10, 0), TZ)
    async with sm() as s:
        with pytest.raises(NotReleased) as refused:
            await free_slots(s, cid, VEHICLE, newest, 1, before)
        assert refused.value.params["at"] == after.strftime("%d.%m.%Y 08:00")
        spread = await free_slots(s, cid, VEHICLE, today, 11, before)
        assert spread and newest not in {x.start.date() for x in spread}
        assert newest not in await waitlist.open_days(s, cid, before)
        assert newest in await waitlist.open_days(s, cid, after)
        assert start in [x.start for x in await free_slots(s, cid, VEHICLE, newest, 1,
                                                                after)]
    with pytest.raises(NotReleased):
        await book(sm, random_iin(), cid, start, now=before)
    with pytest.raises(NotReleased):
        async with unit_of_work(sm) as s:
            await waitlist.join(s, waitlist.JoinRequest(
                random_iin(), VEHICLE, cid, newest, Channel.WEB), IIN_KEY, CITIZEN, before)
    row = await book(sm, random_iin(), cid, start, now=after)
    assert row.status == "active"


async def test_a_cancelled_seat_is_held_back_then_returns(sm) -> None:
    cid = await centre_id(sm, "vehicle")
    start = dt.datetime.combine(next_weekday(days_ahead=2), dt.time(11, 0), TZ)
    owner = random_iin()
    row = await book(sm, owner, cid, start)
    cancelled_at = utcnow()
    async with unit_of_work(sm) as s:
        await booking.cancel(s, row.code, owner, IIN_KEY, CITIZEN, Channel.WEB)
    async with sm() as s:
        hold = await s.scalar(select(BookingRow).where(
            BookingRow.status == "held", BookingRow.start_utc == row.start_utc))
        assert hold is not None and hold.hold_until is not None
        delay = hold.hold_until - cancelled_at
        assert dt.timedelta(minutes=2) - dt.timedelta(seconds=2) <= delay \
            <= dt.timedelta(minutes=10, seconds=2)
        slots = await free_slots(s, cid, VEHICLE, start.date(), 1, utcnow())
        assert start not in [x.start for x in slots]
    for who in (random_iin(), owner):  # a buyer, and the canceller's own hand-back
        with pytest.raises(SlotFull):
            await book(sm, who, cid, start)
    async with unit_of_work(sm) as s:  # a sweep before its time returns nothing
        assert await rerelease.release_due(s, hold.hold_until - dt.timedelta(seconds=1)) \
            == set()
    with pytest.raises(SlotFull):
        await book(sm, random_iin(), cid, start)
    async with unit_of_work(sm) as s:
        assert await rerelease.release_due(s, hold.hold_until) == {(cid, start.date())}
    again = await book(sm, random_iin(), cid, start)
    assert (again.window_id, again.seat) == (row.window_id, row.seat)


async def test_a_policy_without_delay_frees_the_seat_at_once(sm) -> None:
    cid = await centre_id(sm, "vehicle")
    await set_policy(sm, rerelease_min_minutes=0, rerelease_max_minutes=0)
    start = dt.datetime.combine(next_weekday(days_ahead=2), dt.time(12, 0), TZ)
    owner = random_iin()
    row = await book(sm, owner, cid, start)
    async with unit_of_work(sm) as s:
        await booking.cancel(s, row.code, owner, IIN_KEY, CITIZEN, Channel.WEB)
    assert (await book(sm, random_iin(), cid, start)).seat == row.seat


async def test_the_waitlist_gets_the_seat_first_and_a_lapse_is_held_back(sm) -> None:
    cid = await centre_id(sm, "vehicle")
    day = next_weekday(days_ahead=3)
    async with unit_of_work(sm) as s:  # one slot that day: 09:00
        await network.set_exception(s, cid, day, "09:00", "09:15", "short", ADMIN,
                                    Channel.CLI)
    start = dt.datetime.combine(day, dt.time(9, 0), TZ)
    owner, waiting = random_iin(), random_iin()
    row = await book(sm, owner, cid, start)
    async with unit_of_work(sm) as s:
        entry = await waitlist.join(s, waitlist.JoinRequest(waiting, VEHICLE, cid, day,
                                                            Channel.WEB), IIN_KEY, CITIZEN)
    async with unit_of_work(sm) as s:
        await booking.cancel(s, row.code, owner, IIN_KEY, CITIZEN, Channel.WEB)
    now = utcnow()
    async with unit_of_work(sm) as s:  # the seat_freed job's run
        offered = await waitlist_offers.offer_freed(s, cid, day, now, 15)
    assert offered == [entry.id]
    async with sm() as s:
        holds = (await s.execute(select(BookingRow.status, BookingRow.hold_until,
                                        BookingRow.person_id).where(
            BookingRow.start_utc == row.start_utc, BookingRow.status == "held"))).all()
    assert len(holds) == 1 and holds[0].hold_until is None  # the offer's hold, no other
    with pytest.raises(SlotFull):
        await book(sm, random_iin(), cid, start)
    lapse = now + dt.timedelta(minutes=16)
    async with unit_of_work(sm) as s:
        await waitlist_offers.expire(s, lapse)
    with pytest.raises(SlotFull):  # the lapsed offer's seat is held back, not free
        await book(sm, random_iin(), cid, start)
    async with unit_of_work(sm) as s:
        assert await rerelease.release_due(s, lapse + dt.timedelta(minutes=11)) \
            == {(cid, day)}
    assert (await book(sm, random_iin(), cid, start)).seat == row.seat


async def test_a_held_back_seat_waits_when_nobody_is_in_line(sm) -> None:
    """An offer run with nobody waiting leaves the hold as it was (no lift, no gap)."""
    cid = await centre_id(sm, "vehicle")
    start = dt.datetime.combine(next_weekday(days_ahead=2), dt.time(14, 0), TZ)
    owner = random_iin()
    row = await book(sm, owner, cid, start)
    async with unit_of_work(sm) as s:
        await booking.cancel(s, row.code, owner, IIN_KEY, CITIZEN, Channel.WEB)
    async with unit_of_work(sm) as s:
        assert await waitlist_offers.offer_freed(s, cid, start.date(), utcnow(), 15) == []
    async with sm() as s:
        assert await rerelease.held_back(s, cid, start.date()) == 1
    with pytest.raises(SlotFull):
        await book(sm, random_iin(), cid, start)
