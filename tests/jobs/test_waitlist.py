"""The waitlist on SQLite and PostgreSQL: join only when the day is full, the first in
line offered a freed seat, the seat held (nobody else can book it), accepted as a
booking, or passed to the next in line when the hold runs out."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from kezek.app import booking, waitlist
from kezek.app.abuse import rule_store
from kezek.app.actor import CITIZEN, Channel
from kezek.app.slots import free_slots
from kezek.core.errors import KezekError, SlotFull
from kezek.store.models import BookingRow
from kezek.store.models_jobs import WaitlistEntryRow
from tests.abuse_support import RULE, miss_visits
from tests.conftest import IIN_KEY, next_weekday, random_iin
from tests.jobs.conftest import VEHICLE, World, local


async def full_day(world: World) -> tuple[int, dt.date, list[tuple[str, BookingRow]]]:
    """The vehicle centre (one window, one seat) open 09:00-09:30 on a weekday: two
    bookings fill it."""
    cid = await world.center("vehicle")
    day = next_weekday(days_ahead=2)
    await world.short_day(cid, day)
    booked = []
    for hh, mm in ((9, 0), (9, 15)):
        iin = random_iin()
        booked.append((iin, await world.book(iin, cid, local(day, hh, mm))))
    return cid, day, booked


async def join(world: World, cid: int, day: dt.date, iin: str | None = None,
               email: str | None = None, lang: str = "ru") -> tuple[str, WaitlistEntryRow]:
    iin = iin or random_iin()
    async with world.tx() as s:
        entry = await waitlist.join(s, waitlist.JoinRequest(
            iin, VEHICLE, cid, day, Channel.WEB, email=email, lang=lang), IIN_KEY, CITIZEN)
    return iin, entry


async def entry_of(world: World, entry_id: int) -> WaitlistEntryRow:
    async with world.sm() as s:
        row = await s.get(WaitlistEntryRow, entry_id)
    assert row is not None
    return row


async def cancel(world: World, iin: str, row: BookingRow) -> None:
    async with world.tx() as s:
        await booking.cancel(s, row.code, iin, IIN_KEY, CITIZEN, Channel.WEB)


async def test_join_only_when_the_day_is_full(world: World) -> None:
    cid = await world.center("vehicle")
    day = next_weekday(days_ahead=2)
    await world.short_day(cid, day)
    with pytest.raises(waitlist.SlotsAvailable):
        await join(world, cid, day)
    await world.book(random_iin(), cid, local(day, 9))
    await world.book(random_iin(), cid, local(day, 9, 15))
    iin, first = await join(world, cid, day)
    _, second = await join(world, cid, day)
    with pytest.raises(waitlist.AlreadyWaiting):
        await join(world, cid, day, iin=iin)
    async with world.sm() as s:
        assert await waitlist.position(s, first) == 1
        assert await waitlist.position(s, second) == 2
    assert first.iin_masked == iin[:2] + "********" + iin[10:]
    async with world.sm() as s:  # the IIN is never stored in clear
        stored = (await s.execute(select(WaitlistEntryRow.__table__))).all()
    assert all(iin not in str(tuple(r)) for r in stored)


async def test_offer_hold_accept(world: World) -> None:
    cid, day, booked = await full_day(world)
    first_iin, first = await join(world, cid, day, email="first@example.kz", lang="en")
    _, second = await join(world, cid, day)
    await cancel(world, *booked[0])  # frees 09:00; the job is queued after the commit
    await world.run_due()

    offered = await entry_of(world, first.id)
    assert offered.status == "offered" and offered.booking_id is not None
    assert (await entry_of(world, second.id)).status == "waiting"
    held = await world.booking(offered.booking_id)
    assert held.status == "held" and held.start_utc == local(day, 9).astimezone(dt.UTC)
    assert offered.offer_expires_at is not None and offered.offered_at is not None
    assert offered.offer_expires_at - offered.offered_at == dt.timedelta(minutes=15)

    # The held seat is nobody else's: not listed, and a booking for it is refused.
    async with world.sm() as s:
        assert await free_slots(s, cid, VEHICLE, day, 1, dt.datetime.now(dt.UTC)) == []
    with pytest.raises(SlotFull):
        await world.book(random_iin(), cid, local(day, 9))

    # The person is told once, in their language, with the link to accept.
    assert len(world.inbox.messages) == 1
    mail = world.inbox.messages[0]
    assert mail["To"] == "first@example.kz"
    assert mail["Subject"] == "Waitlist: a place is held for you"
    assert f"https://kezek.test/waitlist/{first.code}" in mail.get_content()
    await world.run_due()
    assert len(world.inbox.messages) == 1

    async with world.tx() as s:
        row = await waitlist.accept(s, first.code, first_iin, IIN_KEY, CITIZEN, Channel.WEB)
    assert row.id == held.id and row.status == "active"
    assert (await entry_of(world, first.id)).status == "accepted"
    async with world.sm() as s:
        mine = await booking.find_for_person(s, first_iin, IIN_KEY)
    assert [b.code for b in mine] == [held.code]
    with pytest.raises(waitlist.OfferLapsed):  # accepting twice is refused
        async with world.tx() as s:
            await waitlist.accept(s, first.code, first_iin, IIN_KEY, CITIZEN, Channel.WEB)


async def test_expiry_passes_the_seat_to_the_next_in_line(world: World) -> None:
    cid, day, booked = await full_day(world)
    first_iin, first = await join(world, cid, day)
    second_iin, second = await join(world, cid, day)
    await cancel(world, *booked[1])  # frees 09:15
    await world.run_due()
    offered = await entry_of(world, first.id)
    assert offered.status == "offered" and offered.offer_expires_at is not None

    await world.run_due(offered.offer_expires_at - dt.timedelta(seconds=30))
    assert (await entry_of(world, first.id)).status == "offered"  # not yet

    later = offered.offer_expires_at + dt.timedelta(seconds=1)
    await world.run_due(later)
    assert (await entry_of(world, first.id)).status == "expired"
    assert (await world.booking(offered.booking_id or 0)).status == "released"
    nxt = await entry_of(world, second.id)
    assert nxt.status == "offered"
    held = await world.booking(nxt.booking_id or 0)
    assert held.status == "held" and held.start_utc == local(day, 9, 15).astimezone(dt.UTC)

    with pytest.raises(waitlist.OfferLapsed):  # the first person's offer has gone
        async with world.tx() as s:
            await waitlist.accept(s, first.code, first_iin, IIN_KEY, CITIZEN, Channel.WEB,
                                  now=later)
    async with world.tx() as s:
        row = await waitlist.accept(s, second.code, second_iin, IIN_KEY, CITIZEN, Channel.WEB,
                                    now=later)
    assert row.status == "active"


async def test_leaving_with_an_offer_passes_it_on(world: World) -> None:
    cid, day, booked = await full_day(world)
    first_iin, first = await join(world, cid, day)
    _, second = await join(world, cid, day)
    await cancel(world, *booked[0])
    await world.run_due()
    assert (await entry_of(world, first.id)).status == "offered"
    async with world.tx() as s:
        await waitlist.leave(s, first.code, first_iin, IIN_KEY, CITIZEN, Channel.WEB)
    await world.run_due()
    assert (await entry_of(world, first.id)).status == "cancelled"
    assert (await entry_of(world, second.id)).status == "offered"


async def test_held_seat_is_not_a_booking_of_the_person(world: World) -> None:
    """Until accepted, a hold is not listed or cancellable as the person's booking."""
    cid, day, booked = await full_day(world)
    iin, entry = await join(world, cid, day)
    await cancel(world, *booked[0])
    await world.run_due()
    held_id = (await entry_of(world, entry.id)).booking_id
    held = await world.booking(held_id or 0)
    async with world.sm() as s:
        assert await booking.find_for_person(s, iin, IIN_KEY, active_only=False) == []
        with pytest.raises(booking.NotFound):
            await booking.get_owned(s, held.code, iin, IIN_KEY)


@pytest.mark.usefixtures("pinned_clock")  # a Tuesday: two and three days on differ
async def test_accepting_keeps_the_quotas(world: World) -> None:
    """A person who meanwhile booked the same service elsewhere cannot take the hold too.

    The day of the other booking must differ from the short day: from a Thursday or a
    Friday, two and three weekdays ahead are the same Monday, so the clock is pinned."""
    cid, day, booked = await full_day(world)
    iin, entry = await join(world, cid, day)
    await world.book(iin, cid, local(next_weekday(days_ahead=3), 10))
    await cancel(world, *booked[0])
    await world.run_due()
    assert (await entry_of(world, entry.id)).status == "offered"
    with pytest.raises(KezekError) as refused:
        async with world.tx() as s:
            await waitlist.accept(s, entry.code, iin, IIN_KEY, CITIZEN, Channel.WEB)
    assert refused.value.code in ("already_booked", "quota_exceeded")
    assert (await entry_of(world, entry.id)).status == "offered"  # rolled back, still held


async def test_a_person_suspended_after_the_offer_cannot_accept_it(world: World) -> None:
    """Suspended (no-show rule) after the offer: accepting is refused like booking, and
    the next sweep passes the seat to the next in line without waiting for the hold."""
    cid, day, booked = await full_day(world)
    first_iin, first = await join(world, cid, day)
    _, second = await join(world, cid, day)
    await cancel(world, *booked[0])
    await world.run_due()
    assert (await entry_of(world, first.id)).status == "offered"
    async with world.tx() as s:  # this engine's catalog snapshot sees the rule at once
        await rule_store.store(s, RULE)
    await miss_visits(world.settings.database_url, first_iin, await world.center("mixed"),
                      IIN_KEY, [45, 30, 15])
    with pytest.raises(KezekError) as refused:
        async with world.tx() as s:
            await waitlist.accept(s, first.code, first_iin, IIN_KEY, CITIZEN, Channel.WEB)
    assert refused.value.code == "suspended" and refused.value.status == 403
    await world.run_due()
    assert (await entry_of(world, first.id)).status == "expired"
    assert (await entry_of(world, second.id)).status == "offered"
