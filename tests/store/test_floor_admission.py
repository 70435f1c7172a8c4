"""The door's small groups on real SQLite and PostgreSQL: the line outside a full centre,
admission in the floor's order, auto-admit, and the limit under concurrent arrivals."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from kezek import clock
from kezek.app import admission, arrivals, booking, calls, floor_view, network
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.app.booking import BookingRequest
from kezek.store.db import unit_of_work
from kezek.store.models import FloorEventRow, TicketRow
from tests.conftest import IIN_KEY
from tests.store.test_floor import ids, operator, walk

TZ = ZoneInfo("Asia/Almaty")
ADMIN = Actor("admin", 1, Role.ADMIN)


def door(*centers: int) -> Actor:
    return Actor("doorman", 8, Role.DOOR, frozenset(centers))


async def set_centre(sm, cid: int, **values) -> None:
    async with unit_of_work(sm) as s:
        await network.update_center(s, cid, values, ADMIN, Channel.API)


async def serve(sm, window_id: int, cid: int) -> TicketRow:
    """Calls the next person to the window, starts and finishes: one place frees up."""
    async with unit_of_work(sm) as s:
        ticket = await calls.call_next(s, window_id, operator(cid))
        assert ticket is not None
        await calls.start(s, ticket.id, operator(cid))
        return await calls.finish(s, ticket.id, operator(cid))


async def statuses(sm, cid: int) -> dict[str, str]:
    async with sm() as s:
        rows = (await s.execute(select(TicketRow.label, TicketRow.status).where(
            TicketRow.center_id == cid))).all()
    return dict(rows)


async def events(sm, ticket_id: int) -> list[tuple[str, str, dict]]:
    async with sm() as s:
        rows = (await s.execute(select(FloorEventRow.kind, FloorEventRow.actor,
                                       FloorEventRow.details)
                                .where(FloorEventRow.ticket_id == ticket_id)
                                .order_by(FloorEventRow.id))).all()
    return [tuple(r) for r in rows]


@pytest.mark.usefixtures("pinned_clock")  # a morning: this evening's slot is ahead
async def test_booked_for_now_is_let_in_before_earlier_walk_ins(sm) -> None:
    centers, windows = await ids(sm)
    cid = centers["mixed"]
    start = dt.datetime.combine(clock.now().astimezone(TZ).date(), dt.time(23, 30), TZ)
    async with unit_of_work(sm) as s:  # open late today so that a slot is bookable now
        await network.set_exception(s, cid, start.date(), "00:00", "23:59", "", ADMIN,
                                    Channel.API)
        await network.update_center(s, cid, {"latest_booking": "23:59",
                                             "occupancy_limit": 1}, ADMIN, Channel.API)
    iin = "900101300017"
    async with unit_of_work(sm) as s:
        b = await booking.book(s, BookingRequest(iin, "01010001", cid, start, Channel.WEB),
                               IIN_KEY, CITIZEN)
    inside = await walk(sm, cid, now=start - dt.timedelta(minutes=30))
    walker = await walk(sm, cid, now=start - dt.timedelta(minutes=20))
    arrived = start - dt.timedelta(minutes=2)
    async with unit_of_work(sm) as s:
        booked = await arrivals.check_in(s, cid, b.code, iin, IIN_KEY, door(cid), now=arrived)
        assert isinstance(booked, TicketRow) and booked.status == "outside"
        assert await admission.place_of(s, booked, now=arrived) == 1  # due: first in line
        assert await admission.place_of(s, walker, now=arrived) == 2
    assert (inside.status, walker.status) == ("waiting", "outside")
    async with unit_of_work(sm) as s:  # full: the press admits nobody, and says why
        none = await admission.admit(s, cid, door(cid), now=arrived)
    assert (none.admitted, none.reason, none.inside, none.outside) == ([], "no_room", 1, 2)
    await serve(sm, windows["mixed"][1], cid)
    async with unit_of_work(sm) as s:
        done = await admission.admit(s, cid, door(cid), count=5, now=start)
    assert [t.id for t in done.admitted] == [booked.id]  # one place: the booked person
    assert (done.inside, done.limit, done.outside, done.reason) == (1, 1, 1, None)
    async with sm() as s:
        stored = await s.get(TicketRow, booked.id)
        assert stored is not None and stored.status == "waiting"
        assert stored.arrived_at.replace(tzinfo=dt.UTC) == arrived  # outside is waiting
        at = await s.scalar(select(FloorEventRow.at).where(
            FloorEventRow.ticket_id == booked.id, FloorEventRow.kind == "admitted"))
        assert at is not None and at.replace(tzinfo=dt.UTC) == start
    kinds = await events(sm, booked.id)
    assert [(k, a) for k, a, _ in kinds] == [("arrived", "doorman"), ("admitted", "doorman")]
    assert kinds[0][2] == {"kind": "booked", "outside": True}


async def test_nobody_passes_the_line_and_admit_takes_as_many_as_fit(sm) -> None:
    centers, windows = await ids(sm)
    cid = centers["mixed"]
    await set_centre(sm, cid, occupancy_limit=2)
    tickets = [await walk(sm, cid) for _ in range(5)]
    assert [t.status for t in tickets] == ["waiting"] * 2 + ["outside"] * 3
    await serve(sm, windows["mixed"][1], cid)
    await serve(sm, windows["mixed"][2], cid)
    # two places free, but a newcomer still joins the end of the line
    late = await walk(sm, cid)
    assert late.status == "outside"
    async with sm() as s:
        view = await floor_view.queue(s, cid)
    assert [e.label for e in view.outside] == ["A-003", "A-004", "A-005", "A-006"]
    assert (view.occupancy, view.free_places) == (0, 2)
    async with unit_of_work(sm) as s:
        done = await admission.admit(s, cid, door(cid))
    assert [t.label for t in done.admitted] == ["A-003", "A-004"]
    assert (done.inside, done.outside) == (2, 2)
    async with unit_of_work(sm) as s:
        assert (await admission.admit(s, cid, door(cid))).reason == "no_room"
    await set_centre(sm, cid, occupancy_limit=None)  # no limit: everyone outside comes in
    async with unit_of_work(sm) as s:
        rest = await admission.admit(s, cid, door(cid))
    assert [t.label for t in rest.admitted] == ["A-005", "A-006"]
    async with unit_of_work(sm) as s:
        assert (await admission.admit(s, cid, door(cid))).reason == "nobody_outside"


async def test_auto_admit_lets_the_next_in_when_someone_leaves_the_floor(sm) -> None:
    centers, windows = await ids(sm)
    cid = centers["mixed"]
    await set_centre(sm, cid, occupancy_limit=1, floor={"auto_admit": True})
    a, b, c, d = [await walk(sm, cid) for _ in range(4)]
    assert [t.status for t in (a, b, c, d)] == ["waiting", "outside", "outside", "outside"]
    await serve(sm, windows["mixed"][1], cid)  # A finished: B comes in at once
    assert await statuses(sm, cid) == {"A-001": "done", "A-002": "waiting",
                                       "A-003": "outside", "A-004": "outside"}
    assert (await events(sm, b.id))[-1] == ("admitted", "op", {"auto": True})
    async with unit_of_work(sm) as s:  # B called, then did not come: C comes in
        called = await calls.call_next(s, windows["mixed"][1], operator(cid))
        assert called is not None and called.id == b.id
        await calls.no_show(s, b.id, operator(cid))
    async with unit_of_work(sm) as s:  # D gives up outside: nothing changes inside
        gone = await admission.leave_outside(s, d.id, door(cid))
        assert gone is not None and gone.status == "left"
    async with unit_of_work(sm) as s:  # C leaves the floor: nobody is left outside
        await calls.left(s, c.id, door(cid))
    assert await statuses(sm, cid) == {"A-001": "done", "A-002": "no_show",
                                       "A-003": "left", "A-004": "left"}
    assert [k for k, _, _ in await events(sm, c.id)] == ["arrived", "admitted", "left"]
    assert [k for k, _, _ in await events(sm, d.id)] == ["arrived", "left"]
    late = await walk(sm, cid)  # room and no line: straight in
    assert late.status == "waiting"


async def test_leave_outside_only_for_the_line_and_the_centres_staff(sm) -> None:
    centers, _ = await ids(sm)
    cid = centers["mixed"]
    await set_centre(sm, cid, occupancy_limit=1)
    inside, outside = await walk(sm, cid), await walk(sm, cid)
    async with unit_of_work(sm) as s:
        assert await admission.leave_outside(s, inside.id, door(cid)) is None
    from kezek.core.errors import Forbidden
    with pytest.raises(Forbidden):
        async with unit_of_work(sm) as s:
            await admission.leave_outside(s, outside.id, door(centers["vehicle"]))
    assert (await statuses(sm, cid))["A-002"] == "outside"


async def test_the_limit_holds_under_concurrent_arrivals_and_admissions(sm) -> None:
    """Separate sessions (connections) at once: PostgreSQL runs them truly in parallel,
    SQLite serialises its writers. Without the centre's lock PostgreSQL overfills."""
    centers, windows = await ids(sm)
    cid, limit, people = centers["mixed"], 3, 24
    await set_centre(sm, cid, occupancy_limit=limit)
    made = await asyncio.gather(*(walk(sm, cid) for _ in range(people)))
    assert sorted(t.status for t in made) == ["outside"] * (people - limit) + ["waiting"] * limit
    assert len({t.label for t in made}) == people
    for number in (1, 2, 3):
        await serve(sm, windows["mixed"][number], cid)

    async def press() -> int:
        async with unit_of_work(sm) as s:
            return len((await admission.admit(s, cid, door(cid))).admitted)

    assert sum(await asyncio.gather(*(press() for _ in range(6)))) == limit
    async with sm() as s:
        inside = await s.scalar(select(func.count()).select_from(TicketRow).where(
            TicketRow.center_id == cid, TicketRow.status == "waiting"))
        admitted = await s.scalar(select(func.count()).select_from(FloorEventRow).where(
            FloorEventRow.center_id == cid, FloorEventRow.kind == "admitted"))
    assert (inside, admitted) == (limit, limit)
