"""A contact is what plans reminders: no queue work for a booking nobody can be reached
about, and a booking moved through any channel keeps its contact."""

from __future__ import annotations

from sqlalchemy import select

from kezek.app import booking
from kezek.app.actor import CITIZEN, Channel
from kezek.store.models_channels import BookingContactRow
from tests.conftest import IIN_KEY, random_iin
from tests.jobs.conftest import World, local
from tests.jobs.test_reminders import GENERAL, visit_day


async def test_a_booking_without_a_contact_queues_nothing(world: World) -> None:
    mixed = await world.center("mixed")
    await world.book(random_iin(), mixed, local(visit_day(), 11), service=GENERAL)
    assert world.jobs.huey.pending_count() == 0


async def test_a_public_reschedule_carries_the_contact(world: World) -> None:
    mixed = await world.center("mixed")
    day, iin = visit_day(), random_iin()
    old = await world.book(iin, mixed, local(day, 10), service=GENERAL, email="k@example.kz",
                           lang="kk")
    await world.run_due()
    async with world.tx() as s:
        new = await booking.reschedule(s, old.code, iin, local(day, 15), IIN_KEY, CITIZEN,
                                       Channel.WEB)
    # The old seat offered to the waitlist and its hold's end, the new booking's
    # reminders planned.
    assert sorted(t.name for t in world.jobs.huey.pending()) == [
        "booking_made", "hold_ended", "seat_freed"]
    async with world.sm() as s:
        rows = (await s.execute(select(BookingContactRow.booking_id, BookingContactRow.email,
                                       BookingContactRow.lang))).all()
    assert sorted(rows) == sorted([(old.id, "k@example.kz", "kk"),
                                   (new.id, "k@example.kz", "kk")])
