"""A held-back seat returns when its hold ends, by a task scheduled for that moment.

The sweep (every minute) still catches up; here it does not run: only the task
`hold_ended`, read from huey's schedule at the hold's end, returns the seat, to the
waitlist first. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt

from kezek.app import rerelease
from kezek.jobs.tasks import pin, unpin
from kezek.store.models import BookingRow
from tests.jobs.conftest import World
from tests.jobs.test_waitlist import cancel, entry_of, full_day, join


def run_scheduled(world: World, at: dt.datetime) -> list[str]:
    """Runs what huey's schedule holds for `at` (no sweep); the names of the tasks."""
    stamp = at.astimezone(dt.UTC).replace(tzinfo=None)
    huey, names = world.jobs.huey, []
    token = pin(at)
    try:
        while (task := huey.dequeue()) is not None:  # handed over after the commit
            if huey.ready_to_run(task, stamp):
                huey.execute(task, stamp)
            else:
                huey.add_schedule(task)
        for task in huey.read_schedule(stamp):
            names.append(task.name)
            huey.execute(task, stamp)
    finally:
        unpin(token)
    return names


async def held(world: World, cid: int, day: dt.date) -> int:
    async with world.sm() as s:
        return await rerelease.held_back(s, cid, day)


async def hold_end(world: World, cid: int, day: dt.date) -> dt.datetime:
    async with world.sm() as s:
        rows = (await s.scalars(BookingRow.__table__.select().with_only_columns(
            BookingRow.hold_until).where(BookingRow.center_id == cid,
                                         BookingRow.local_date == day,
                                         BookingRow.status == "held"))).all()
    assert len(rows) == 1 and rows[0] is not None
    return rows[0]


async def test_a_cancelled_seat_returns_at_its_hold_end_without_the_sweep(
        world: World) -> None:
    cid, day, booked = await full_day(world)
    await cancel(world, *booked[0])
    until = await hold_end(world, cid, day)
    assert await held(world, cid, day) == 1
    before = await asyncio.to_thread(run_scheduled, world, until - dt.timedelta(seconds=2))
    assert "hold_ended" not in before and await held(world, cid, day) == 1
    at_end = await asyncio.to_thread(run_scheduled, world, until + dt.timedelta(seconds=1))
    assert at_end.count("hold_ended") == 1
    assert await held(world, cid, day) == 0  # free to all: nobody waits
    # The seat is bookable again by anyone, the canceller included.
    iin, old = booked[0]
    again = await world.book(iin, cid, old.start_utc)
    assert again.status == "active"


async def test_at_the_hold_end_the_waitlist_is_offered_first(world: World) -> None:
    cid, day, booked = await full_day(world)
    await cancel(world, *booked[0])  # nobody waits yet: the seat is held back
    until = await hold_end(world, cid, day)
    _, entry = await join(world, cid, day)
    assert (await entry_of(world, entry.id)).status == "waiting"
    await asyncio.to_thread(run_scheduled, world, until + dt.timedelta(seconds=1))
    assert (await entry_of(world, entry.id)).status == "offered"
    assert await held(world, cid, day) == 0
