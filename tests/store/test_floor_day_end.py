"""Nobody waits overnight: yesterday's open tickets close when today's floor work starts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from kezek.app import calls, floor_view
from kezek.store.db import unit_of_work
from kezek.store.models import FloorEventRow, TicketRow
from tests.store.test_floor import TZ, ids, operator, walk


async def test_yesterdays_open_tickets_close_and_are_never_called(sm) -> None:
    centers, windows = await ids(sm)
    mixed = centers["mixed"]
    now = dt.datetime.now(TZ)
    yesterday = now - dt.timedelta(days=1)
    left_open = [await walk(sm, mixed, now=yesterday) for _ in range(3)]
    async with unit_of_work(sm) as s:  # one of them is at a window when the day ends
        first = await calls.call_next(s, windows["mixed"][1], operator(mixed), now=yesterday)
        assert first is not None
        await calls.start(s, first.id, operator(mixed))
    async with sm() as s:  # before anything happens today, the queue shows nobody
        assert (await floor_view.queue(s, mixed, now)).entries == []
    today = await walk(sm, mixed, now=now)
    async with sm() as s:
        status = dict((await s.execute(select(TicketRow.id, TicketRow.status))).all())
        closed = (await s.execute(select(FloorEventRow.ticket_id, FloorEventRow.kind).where(
            FloorEventRow.actor == "system"))).all()
    assert status[first.id] == "done" and status[today.id] == "waiting"
    assert sorted(status[t.id] for t in left_open if t.id != first.id) == ["left", "left"]
    assert sorted(kind for _, kind in closed) == ["finished", "left", "left"]
    async with unit_of_work(sm) as s:
        called = await calls.call_next(s, windows["mixed"][2], operator(mixed), now=now)
    assert called is not None and called.id == today.id
