"""Video consultations and the call centre's booking helpers on real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kezek.app import accounts, booking, callcentre, video
from kezek.app.actor import CITIZEN, SYSTEM, Actor, Channel
from kezek.app.booking import BookingRequest
from kezek.core.errors import (
    Forbidden,
    InvalidIin,
    InvalidState,
    OutsideSchedule,
    QuotaExceeded,
    ValidationFailed,
)
from kezek.core.policy import Privilege
from kezek.store.db import unit_of_work
from kezek.store.models import AuditRow, CenterRow, PersonRow
from kezek.store.models_channels import BookingContactRow, ConsultationRow
from tests.conftest import IIN_KEY, next_weekday, random_iin

TZ = ZoneInfo("Asia/Almaty")
BASE = "https://meet.example.kz/room"


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), TZ)


async def operator(sm, name: str, role: str = "call_centre") -> Actor:
    async with unit_of_work(sm) as s:
        user = await accounts.create_user(s, name, "long-password-1", role, [], name.title(),
                                          SYSTEM, Channel.CLI)
        return accounts.actor_of(user)


async def publish(sm, actor: Actor, start: dt.datetime, end: dt.datetime, minutes: int = 20):
    async with unit_of_work(sm) as s:
        return await video.publish_hours(s, actor, start, end, minutes)


async def give(sm, actor: Actor, iin: str, hours_id: int, start: dt.datetime, **kw):
    async with unit_of_work(sm) as s:
        return await video.schedule(s, video.VideoRequest(iin, hours_id, start, **kw), IIN_KEY,
                                    actor, BASE)


async def free(sm, day: dt.date, user_id: int | None = None) -> list[video.VideoSlot]:
    async with sm() as s:
        return await video.free_slots(s, at(day, 0), at(day + dt.timedelta(days=1), 0),
                                      user_id=user_id)


async def test_hours_are_cut_into_slots_and_a_slot_is_given_once(sm) -> None:
    ann, bob = await operator(sm, "ann"), await operator(sm, "bob")
    day = next_weekday()
    hours = await publish(sm, ann, at(day, 10), at(day, 11, 10), 20)  # 3 slots, 10 min spare
    await publish(sm, bob, at(day, 10, 30), at(day, 11), 30)
    slots = await free(sm, day)
    assert [(x.operator, x.start.astimezone(TZ).strftime("%H:%M")) for x in slots] == [
        ("Ann", "10:00"), ("Ann", "10:20"), ("Bob", "10:30"), ("Ann", "10:40")]
    assert slots[0].end - slots[0].start == dt.timedelta(minutes=20)

    iin = random_iin()
    # bob gives a slot of ann's hours to a caller
    given = await give(sm, bob, iin, hours.id, at(day, 10, 20), service="02010001", lang="kk")
    assert given.status == "scheduled" and given.user_id == ann.user_id
    code = given.room.removeprefix(BASE + "/")
    # Short enough to dictate, random enough never to be guessed (74 bits).
    assert re.fullmatch(r"[2-9a-hjkmnp-z]{5}-[2-9a-hjkmnp-z]{5}-[2-9a-hjkmnp-z]{5}", code), code
    assert given.iin_masked == iin[:2] + "********" + iin[-2:]
    assert given.service_code == "02010001" and given.lang == "kk"
    assert [x.start for x in await free(sm, day, ann.user_id)] == [at(day, 10), at(day, 10, 40)]

    with pytest.raises(video.VideoSlotTaken):
        await give(sm, ann, random_iin(), hours.id, at(day, 10, 20))
    async with sm() as s:
        rows = (await s.scalars(select(ConsultationRow))).all()
        assert len(rows) == 1  # the loser left nothing behind
        persons = (await s.scalars(select(PersonRow.iin_hash))).all()
        assert iin not in "".join(persons)
        audit = (await s.scalars(select(AuditRow).where(AuditRow.entity == "consultation"))).all()
        assert [(a.action, a.channel, a.actor) for a in audit] == [
            ("video.schedule", "call_centre", "bob")]
        assert iin not in str([a.details for a in audit])

    async with unit_of_work(sm) as s:
        cancelled = await video.cancel(s, given.id, bob)
    assert cancelled.status == "cancelled"
    assert at(day, 10, 20) in [x.start for x in await free(sm, day, ann.user_id)]
    again = await give(sm, ann, random_iin(), hours.id, at(day, 10, 20))
    assert again.room != given.room
    with pytest.raises(InvalidState):
        async with unit_of_work(sm) as s:
            await video.cancel(s, given.id, bob)


async def test_two_operators_racing_for_one_slot(sm) -> None:
    ann, bob = await operator(sm, "ann"), await operator(sm, "bob")
    day = next_weekday()
    hours = await publish(sm, ann, at(day, 9), at(day, 9, 30), 30)
    results = await asyncio.gather(
        *(give(sm, who, random_iin(), hours.id, at(day, 9)) for who in (ann, bob, ann, bob)),
        return_exceptions=True)
    won = [r for r in results if isinstance(r, ConsultationRow)]
    lost = [r for r in results if isinstance(r, video.VideoSlotTaken)]
    assert len(won) == 1 and len(lost) == 3, results
    assert await free(sm, day) == []


async def test_hours_and_slots_are_checked(sm) -> None:
    ann = await operator(sm, "ann")
    day = next_weekday()
    hours = await publish(sm, ann, at(day, 14), at(day, 15), 15)
    with pytest.raises(ValidationFailed):  # overlaps her own hours
        await publish(sm, ann, at(day, 14, 45), at(day, 16), 15)
    with pytest.raises(ValidationFailed):
        await publish(sm, ann, at(day, 16), at(day, 17), 7)
    with pytest.raises(ValidationFailed):
        await publish(sm, ann, at(day, 17), at(day, 16), 15)
    with pytest.raises(ValidationFailed):
        await publish(sm, ann, at(day, 17), at(day, 17, 10), 15)
    with pytest.raises(ValidationFailed):
        await publish(sm, ann, dt.datetime.combine(day, dt.time(17)),
                      dt.datetime.combine(day, dt.time(18)), 15)
    with pytest.raises(OutsideSchedule):
        await publish(sm, ann, at(day - dt.timedelta(days=9), 9), at(day - dt.timedelta(days=9),
                                                                       10), 15)
    with pytest.raises(Forbidden):
        await publish(sm, Actor("someone"), at(day, 18), at(day, 19), 15)
    with pytest.raises(Forbidden):
        await publish(sm, await operator(sm, "door.keeper", "door"), at(day, 18), at(day, 19))
    # the next hour of the same operator is fine: spans may touch
    await publish(sm, ann, at(day, 15), at(day, 16), 15)
    with pytest.raises(OutsideSchedule):  # not a slot start
        await give(sm, ann, random_iin(), hours.id, at(day, 14, 10))
    with pytest.raises(OutsideSchedule):  # the last 15 minutes of the span are its last slot
        await give(sm, ann, random_iin(), hours.id, at(day, 15))
    with pytest.raises(InvalidIin):
        await give(sm, ann, "900101300019", hours.id, at(day, 14))
    async with sm() as s:
        assert [h.slot_minutes for h in await video.list_hours(s, ann.user_id)] == [15, 15]


async def test_a_person_and_an_operator_see_their_consultations(sm) -> None:
    ann, bob = await operator(sm, "ann"), await operator(sm, "bob")
    day = next_weekday()
    hours = await publish(sm, ann, at(day, 10), at(day, 11), 30)
    iin = random_iin()
    first = await give(sm, bob, iin, hours.id, at(day, 10, 30))
    second = await give(sm, bob, iin, hours.id, at(day, 10))
    await give(sm, bob, random_iin(), await_id(await publish(sm, bob, at(day, 12),
                                                             at(day, 13), 60)), at(day, 12))
    async with sm() as s:
        assert [c.id for c in await video.of_person(s, iin, IIN_KEY)] == [second.id, first.id]
        assert [c.id for c in await video.of_operator(s, ann.user_id)] == [second.id, first.id]
        assert len(await video.of_operator(s, bob.user_id)) == 1
        assert len(await video.upcoming(s)) == 3
        caller = await callcentre.lookup(s, iin, IIN_KEY, bob)
        assert caller.iin_masked == iin[:2] + "********" + iin[-2:]
        assert [c.id for c in caller.consultations] == [second.id, first.id]
        assert caller.bookings == []
        looked = (await s.scalars(select(AuditRow).where(AuditRow.action == "caller.lookup"))).one()
        assert (looked.actor, looked.channel, looked.entity_id) == ("bob", "call_centre",
                                                                   caller.iin_masked)


def await_id(row) -> int:
    return int(row.id)


async def centre(sm, slug: str) -> int:
    async with sm() as s:
        return int(await s.scalar(select(CenterRow.id).where(CenterRow.slug == slug)))


async def test_call_centre_bookings_keep_the_channel_the_quotas_and_the_contact(sm) -> None:
    ann = await operator(sm, "ann")
    mixed = await centre(sm, "mixed")
    day = next_weekday()
    iin = random_iin()
    async with unit_of_work(sm) as s:
        row = await callcentre.book_for_caller(
            s, BookingRequest(iin, "01010001", mixed, at(day, 10), Channel.WEB), IIN_KEY, ann,
            email=" caller@example.kz ", lang="kk")
    assert row.channel == "call_centre"  # whatever the request said
    async with sm() as s:
        contact = await s.get(BookingContactRow, row.id)
        assert contact is not None and (contact.email, contact.lang) == ("caller@example.kz", "kk")
    # the same person cannot get round the quota by calling: 1 booking per 10 days
    with pytest.raises(QuotaExceeded):
        async with unit_of_work(sm) as s:
            await booking.book(s, BookingRequest(iin, "05010001", mixed, at(day, 11),
                                                 Channel.WEB), IIN_KEY, CITIZEN)
    async with unit_of_work(sm) as s:
        moved = await callcentre.reschedule_for_caller(s, row.code, iin, at(day, 12), IIN_KEY,
                                                       ann)
    assert moved.channel == "call_centre" and moved.code != row.code
    async with sm() as s:
        contact = await s.get(BookingContactRow, moved.id)
        assert contact is not None and contact.email == "caller@example.kz"
        caller = await callcentre.lookup(s, iin, IIN_KEY, ann)
        assert [(b.code, b.status) for b in caller.bookings] == [
            (row.code, "moved"), (moved.code, "active")]
    async with unit_of_work(sm) as s:
        gone = await callcentre.cancel_for_caller(s, moved.code, iin, IIN_KEY, ann)
    assert gone.status == "cancelled"
    with pytest.raises(ValidationFailed):
        async with unit_of_work(sm) as s:
            await callcentre.book_for_caller(
                s, BookingRequest(random_iin(), "01010001", mixed, at(day, 10), Channel.WEB),
                IIN_KEY, ann, email="not an address")
    async with sm() as s:  # the refused booking left nothing
        assert len(await booking.find_for_person(s, iin, IIN_KEY, active_only=False)) == 2


async def test_advice_says_online_or_where_in_person(sm) -> None:
    strict, mixed = await centre(sm, "booking-only"), await centre(sm, "mixed")
    async with sm() as s:
        paper = await callcentre.advice(s, "01010001", None, "testcity")
        online = await callcentre.advice(s, "02010001", None, None)
        privileged = await callcentre.advice(s, "02010001", Privilege.PENSIONER, None)
        both = await callcentre.advice(s, "03010001", None, None)
        vehicle = await callcentre.advice(s, "04010001", None, None)
    assert not paper.online and paper.points == []
    assert sorted(c.id for c, _ in paper.in_person) == sorted([strict, mixed])
    assert online.online and online.in_person == []  # sent to the portal
    assert [c.id for c, _ in privileged.in_person] == [strict]  # its privilege window
    # a service on the portal and at a centre: a booking-only centre keeps it for
    # privileged people, a mixed centre takes anyone
    assert both.online and [c.id for c, _ in both.in_person] == [mixed]
    assert [c.slug for c, _ in vehicle.in_person] == ["vehicle"]
