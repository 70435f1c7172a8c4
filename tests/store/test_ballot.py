"""The ballot on SQLite and PostgreSQL (ADR 13): requests during the window only, one per
person, 1-3 choices; the draw books each entry its best free choice within the quotas,
never double-books, gives every entry a result, and runs once however many try."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from kezek.app import ballot, ballot_draw, ballot_notices, booking, catalog, network
from kezek.app.abuse import rule_store
from kezek.app.actor import CITIZEN, SYSTEM, Channel
from kezek.app.booking import BookingRequest
from kezek.app.slots import free_slots
from kezek.core.abuse import Suspended
from kezek.core.errors import AlreadyBooked
from kezek.core.policy import Privilege
from kezek.core.release import BallotOpen
from kezek.store.db import unit_of_work
from kezek.store.models import BookingRow, CenterRow
from kezek.store.models_release import BallotDrawRow, BallotEntryRow
from tests.abuse_support import RULE, miss_visits
from tests.conftest import IIN_KEY, random_iin
from tests.store.test_release import release_day

TZ = ZoneInfo("Asia/Almaty")
VEHICLE = "04010001"  # one window, one seat: every start is one place


async def setup(sm) -> tuple[int, dt.date, dt.datetime, list[dt.datetime]]:
    """The vehicle centre with an 08:00 release and a 30-minute ballot; returns the
    centre, the newest day, a moment inside its ballot window, and its first starts."""
    async with unit_of_work(sm) as s:
        await network.set_network_policy(s, {"release_time": "08:00", "ballot_minutes": 30},
                                         SYSTEM, Channel.CLI)
        cid = int(await s.scalar(select(CenterRow.id).where(CenterRow.slug == "vehicle")))
    today, newest = release_day()
    during = dt.datetime.combine(today, dt.time(8, 10), TZ)
    async with sm() as s:
        starts = await ballot.ballot_starts(s, cid, VEHICLE, newest)
    return cid, newest, during, starts


def after(during: dt.datetime) -> dt.datetime:
    return during + dt.timedelta(minutes=21)  # 08:31: the window closed at 08:30


async def enter(sm, iin: str, cid: int, day: dt.date, choices: list[dt.datetime],
                now: dt.datetime, email: str | None = None) -> BallotEntryRow:
    async with unit_of_work(sm) as s:
        return await ballot.submit(s, ballot.BallotRequest(
            iin, cid, day, VEHICLE, tuple(choices), Channel.WEB, email=email),
            IIN_KEY, CITIZEN, now)


async def test_requests_are_taken_in_the_window_once_per_person(sm) -> None:
    cid, day, during, starts = await setup(sm)
    iin = random_iin()
    entry = await enter(sm, iin, cid, day, starts[:3], during)
    assert entry.status == "entered" and len(entry.choices) == 3
    with pytest.raises(ballot.BallotAlready):
        await enter(sm, iin, cid, day, starts[3:4], during)
    with pytest.raises(ballot.BallotChoices):
        await enter(sm, random_iin(), cid, day, starts[:4], during)
    with pytest.raises(ballot.BallotChoices):
        await enter(sm, random_iin(), cid, day, [starts[0], starts[0]], during)
    with pytest.raises(ballot.BallotBadChoice):
        await enter(sm, random_iin(), cid, day, [starts[0] + dt.timedelta(minutes=7)], during)
    for moment in (during - dt.timedelta(minutes=11), after(during)):  # 07:59 and 08:31
        with pytest.raises(ballot.BallotClosed):
            await enter(sm, random_iin(), cid, day, starts[:1], moment)
    with pytest.raises(BallotOpen):  # no booking of that day during its ballot
        async with unit_of_work(sm) as s:
            await booking.book(s, BookingRequest(random_iin(), VEHICLE, cid, starts[5],
                                                 Channel.WEB), IIN_KEY, CITIZEN, now=during)
    async with sm() as s:
        with pytest.raises(BallotOpen):
            await free_slots(s, cid, VEHICLE, day, 1, during)
        found = await ballot.get_owned(s, entry.code, iin, IIN_KEY)
        assert found.id == entry.id


async def test_the_draw_gives_every_entry_a_result_within_the_rules(sm) -> None:
    cid, day, during, starts = await setup(sm)
    pool = starts[:5]  # 5 places, 14 people: most choices collide
    rng = random.Random()  # the inputs vary run to run; the properties must hold for all
    iins = [random_iin() for _ in range(14)]
    entries = [await enter(sm, iin, cid, day, rng.sample(pool, rng.randint(1, 3)), during)
               for iin in iins]
    # One person already holds a booking of this service elsewhere in time: the quota
    # (one active booking per service) must make them lose, free seats or not.
    holder = iins[0]
    async with unit_of_work(sm) as s:
        await booking.book(s, BookingRequest(holder, VEHICLE, cid, starts[-1] - dt.timedelta(
            days=7), Channel.WEB), IIN_KEY, CITIZEN, now=during)
    async with unit_of_work(sm) as s:  # the first booking after the window draws lazily
        later = await booking.book(s, BookingRequest(random_iin(), VEHICLE, cid, starts[-1],
                                                     Channel.WEB), IIN_KEY, CITIZEN,
                                   now=after(during))
    async with sm() as s:
        drawn = list((await s.scalars(select(BallotEntryRow).where(
            BallotEntryRow.center_id == cid, BallotEntryRow.day == day))).all())
        seats = (await s.execute(select(BookingRow.window_id, BookingRow.start_utc,
                                        BookingRow.seat, BookingRow.id).where(
            BookingRow.center_id == cid, BookingRow.local_date == day,
            BookingRow.status == "active"))).all()
        draws = (await s.scalars(select(BallotDrawRow))).all()
    assert {e.status for e in drawn} <= {"won", "lost"} and len(drawn) == len(entries)
    assert Counter((w, t, st) for w, t, st, _ in seats).most_common(1)[0][1] == 1
    by_id = {b: t for _, t, _, b in seats}
    taken = set(by_id.values())
    holder_entry = next(e for e in drawn if e.id == entries[0].id)
    assert holder_entry.status == "lost"
    for e in drawn:
        choices = [dt.datetime.fromisoformat(c) for c in e.choices]
        if e.status == "won":
            assert e.booking_id in by_id and by_id[e.booking_id] == choices[e.won_choice]
            assert all(c in taken for c in choices[:e.won_choice])  # better ones were gone
        elif e.id != holder_entry.id:
            assert all(c in taken for c in choices)  # lost only when all were gone
    won = sum(e.status == "won" for e in drawn)
    assert won == len({t for _, t, _, b in seats if b != later.id})
    assert len(draws) == 1 and draws[0].entries == len(entries) and draws[0].won == won


async def test_concurrent_drawers_draw_once(sm) -> None:
    cid, day, during, starts = await setup(sm)
    for _ in range(8):
        await enter(sm, random_iin(), cid, day, starts[:2], during)

    async def drawer() -> bool:
        async with unit_of_work(sm) as s:
            ctx = await catalog.center(s, cid)
            ballot_draw._drawn.clear()  # each drawer as a fresh worker would
            return await ballot_draw.ensure_drawn(s, ctx, day, after(during))

    results = await asyncio.gather(*(drawer() for _ in range(4)))
    assert sorted(results) == [False, False, False, True]
    async with sm() as s:
        assert await s.scalar(select(func.count()).select_from(BallotDrawRow)) == 1
        booked = await s.scalar(select(func.count()).select_from(BookingRow).where(
            BookingRow.local_date == day, BookingRow.status == "active"))
        assert booked == 2  # two places chosen by all: each booked once


async def test_each_result_is_claimed_for_telling_once(sm) -> None:
    cid, day, during, starts = await setup(sm)
    entry = await enter(sm, random_iin(), cid, day, starts[:1], during, email="a@example.kz")
    loser = await enter(sm, random_iin(), cid, day, starts[:1], during, email="b@example.kz")
    async with unit_of_work(sm) as s:
        ctx = await catalog.center(s, cid)
        assert await ballot_draw.draw(s, ctx, day, after(during))
    async with sm() as s:
        assert sorted(await ballot_draw.untold(s, cid, day)) == sorted([entry.id, loser.id])
    texts = {}
    for e in (entry, loser):
        async with unit_of_work(sm) as s:
            out = await ballot_notices.claim(s, e.id, {"email"}, after(during),
                                             "http://kezek.test")
            assert len(out) == 1
            texts[e.id] = out[0].notice.text
        async with unit_of_work(sm) as s:
            assert await ballot_notices.claim(s, e.id, {"email"}, after(during),
                                              "http://kezek.test") == []
    assert any("/ballot/" in t for t in texts.values())
    assert sum("досталось место" in t for t in texts.values()) == 1  # one won, one lost


async def test_a_booking_of_the_day_before_the_draw_is_refused(sm) -> None:
    """A person who already booked that service elsewhere still may enter; the draw
    refuses them by the quota, not the entry (AlreadyBooked is a draw-time rule)."""
    cid, day, during, starts = await setup(sm)
    iin = random_iin()
    async with unit_of_work(sm) as s:
        await booking.book(s, BookingRequest(iin, VEHICLE, cid, starts[0] - dt.timedelta(
            days=7), Channel.WEB), IIN_KEY, CITIZEN, now=during)
    entry = await enter(sm, iin, cid, day, starts[:1], during)
    async with unit_of_work(sm) as s:
        ctx = await catalog.center(s, cid)
        await ballot_draw.draw(s, ctx, day, after(during))
    async with sm() as s:
        assert (await s.get(BallotEntryRow, entry.id)).status == "lost"
    with pytest.raises(AlreadyBooked):
        async with unit_of_work(sm) as s:
            await booking.book(s, BookingRequest(iin, VEHICLE, cid, starts[1], Channel.WEB),
                               IIN_KEY, CITIZEN, now=after(during))


async def test_a_ballot_entry_follows_the_booking_rules_on_suspension_and_claims(
        sm, db_url: str) -> None:
    """Suspended (missed visits) means no entry, as no booking; a privilege claim is kept
    with its status and the drawn booking carries it to the door; a person suspended
    after entering loses at the draw."""
    cid, day, during, starts = await setup(sm)
    async with unit_of_work(sm) as s:
        await rule_store.store(s, RULE)
    mixed = await _centre(sm, "mixed")
    suspended = random_iin()
    await miss_visits(db_url, suspended, mixed, IIN_KEY, [45, 30, 15])
    with pytest.raises(Suspended):
        await enter(sm, suspended, cid, day, starts[:1], during)
    claimant = random_iin()
    async with unit_of_work(sm) as s:
        claimed = await ballot.submit(s, ballot.BallotRequest(
            claimant, cid, day, VEHICLE, (starts[0],), Channel.WEB,
            privilege=Privilege.PENSIONER), IIN_KEY, CITIZEN, during)
    assert claimed.privilege_status == "claimed"  # no registry: the door checks
    later = random_iin()
    late = await enter(sm, later, cid, day, starts[1:2], during)
    await miss_visits(db_url, later, mixed, IIN_KEY, [44, 29, 14])  # after entering
    async with unit_of_work(sm) as s:
        ctx = await catalog.center(s, cid)
        assert await ballot_draw.draw(s, ctx, day, after(during))
    async with sm() as s:
        won = await s.get(BallotEntryRow, claimed.id)
        lost = await s.get(BallotEntryRow, late.id)
        assert won is not None and won.status == "won" and lost is not None
        assert lost.status == "lost" and lost.booking_id is None
        booked = await s.get(BookingRow, won.booking_id)
    assert booked is not None and booked.privilege == "pensioner"
    assert (booked.privilege_claim, booked.privilege_status) == ("pensioner", "claimed")


async def _centre(sm, slug: str) -> int:
    async with sm() as s:
        return int(await s.scalar(select(CenterRow.id).where(CenterRow.slug == slug)))
