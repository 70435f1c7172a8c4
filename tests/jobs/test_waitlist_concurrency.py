"""Concurrent cancellations on PostgreSQL: each freed seat goes to a different person,
in line order, and nobody is offered twice, with the offer jobs themselves running at
once in several worker threads."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select

from kezek.app import booking
from kezek.app.actor import CITIZEN, Channel
from kezek.jobs.run import run_due
from kezek.store.models import BookingRow
from kezek.store.models_jobs import WaitlistEntryRow
from tests.conftest import IIN_KEY, next_weekday, random_iin
from tests.jobs.conftest import World, local
from tests.jobs.test_waitlist import join

SEATS, WAITING, CANCELLED, WORKERS = 8, 12, 5, 4


@pytest.mark.parametrize("db_url", ["pg"], indirect=True)
async def test_concurrent_cancellations_each_seat_to_a_different_person(world: World) -> None:
    cid = await world.center("vehicle")
    day = next_weekday(days_ahead=2)
    await world.short_day(cid, day, "09:00", "11:00")  # 8 slots of one seat
    booked = []
    for i in range(SEATS):
        start = local(day, 9) + dt.timedelta(minutes=15 * i)
        iin = random_iin()
        booked.append((iin, await world.book(iin, cid, start)))
    line = [(await join(world, cid, day))[1] for _ in range(WAITING)]
    world.jobs.huey.flush()  # the bookings' reminder plans: not this test's business

    async def cancel(iin: str, row: BookingRow) -> None:
        async with world.tx() as s:
            await booking.cancel(s, row.code, iin, IIN_KEY, CITIZEN, Channel.WEB)

    await asyncio.gather(*[cancel(*b) for b in booked[:CANCELLED]])
    assert [t.name for t in world.jobs.huey.pending()].count("seat_freed") == CANCELLED
    await asyncio.gather(*[asyncio.to_thread(run_due, world.jobs) for _ in range(WORKERS)])
    await asyncio.gather(*[asyncio.to_thread(run_due, world.jobs) for _ in range(WORKERS)])

    async with world.sm() as s:
        entries = {e.id: e for e in (await s.scalars(select(WaitlistEntryRow))).all()}
        held = (await s.scalars(select(BookingRow).where(BookingRow.status == "held"))).all()
    offered = [e for e in line if entries[e.id].status == "offered"]
    assert [e.id for e in offered] == [e.id for e in line[:CANCELLED]]  # in line order
    assert all(entries[e.id].status == "waiting" for e in line[CANCELLED:])
    assert len(held) == CANCELLED
    assert len({(b.window_id, b.start_utc, b.seat) for b in held}) == CANCELLED
    assert Counter(b.person_id for b in held).most_common(1)[0][1] == 1  # nobody twice
    assert {entries[e.id].booking_id for e in offered} == {b.id for b in held}
    freed = {r.start_utc for _, r in booked[:CANCELLED]}
    assert {b.start_utc for b in held} == freed
