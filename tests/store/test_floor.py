"""The floor on real SQLite and PostgreSQL: arrivals, tickets, calls, the event record."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from kezek import clock
from kezek.app import arrivals, booking, calls, floor_view, network
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.app.booking import BookingRequest
from kezek.core.errors import Forbidden, InvalidState, ServiceNotOffered
from kezek.core.policy import Privilege
from kezek.store.db import unit_of_work
from kezek.store.models import BookingRow, CenterRow, FloorEventRow, TicketRow, WindowRow
from tests.conftest import IIN_KEY, random_iin

TZ = ZoneInfo("Asia/Almaty")


async def ids(sm) -> tuple[dict[str, int], dict[str, dict[int, int]]]:
    async with sm() as s:
        centers = dict((await s.execute(select(CenterRow.slug, CenterRow.id))).all())
        windows: dict[str, dict[int, int]] = {}
        for slug, cid in centers.items():
            rows = (await s.execute(select(WindowRow.number, WindowRow.id).where(
                WindowRow.center_id == cid))).all()
            windows[slug] = dict(rows)
    return centers, windows


def operator(*centers: int) -> Actor:
    return Actor("op", 7, Role.OPERATOR, frozenset(centers))


def today_slot(hh: int, mm: int = 0) -> dt.datetime:
    """A slot start today in Almaty by Kezek's clock (the test network is open every
    day; a test of the time of day pins the clock to a morning: `pinned_clock`)."""
    return dt.datetime.combine(clock.local("Asia/Almaty").date(), dt.time(hh, mm), TZ)


async def walk(sm, center: int, service: str = "01010001", privilege=None, now=None):
    async with unit_of_work(sm) as s:
        return await arrivals.walk_in(s, center, random_iin(), service, privilege, IIN_KEY,
                                      operator(center), now=now)


async def test_walk_ins_get_numbered_tickets_and_are_called_in_order(sm) -> None:
    centers, windows = await ids(sm)
    cid = centers["mixed"]
    t1 = await walk(sm, cid)
    t2 = await walk(sm, cid)
    assert isinstance(t1, TicketRow) and (t1.label, t2.label) == ("A-001", "A-002")
    async with unit_of_work(sm) as s:
        first = await calls.call_next(s, windows["mixed"][1], operator(cid))
    assert first is not None and first.id == t1.id and first.status == "called"
    async with unit_of_work(sm) as s:
        with pytest.raises(InvalidState):  # the window has someone called
            await calls.call_next(s, windows["mixed"][1], operator(cid))
    async with unit_of_work(sm) as s:
        await calls.start(s, first.id, operator(cid))
    async with unit_of_work(sm) as s:
        done = await calls.finish(s, first.id, operator(cid))
    assert done.status == "done"
    async with unit_of_work(sm) as s:
        second = await calls.call_next(s, windows["mixed"][2], operator(cid))
        assert second is not None and second.id == t2.id
        kinds = (await s.scalars(select(FloorEventRow.kind).where(
            FloorEventRow.ticket_id == t1.id).order_by(FloorEventRow.id))).all()
    assert kinds == ["arrived", "called", "started", "finished"]


async def test_operator_only_at_own_centre(sm) -> None:
    centers, windows = await ids(sm)
    await walk(sm, centers["mixed"])
    async with unit_of_work(sm) as s:
        with pytest.raises(Forbidden):
            await calls.call_next(s, windows["mixed"][1], operator(centers["vehicle"]))


async def test_booked_now_before_walk_in_and_check_in(sm, pinned_clock) -> None:
    centers, windows = await ids(sm)
    cid = centers["mixed"]
    start = today_slot(23, 30)  # this evening: the clock reads a morning, it is ahead
    async with unit_of_work(sm) as s:  # open late today so that a slot is bookable now
        await network.set_exception(s, cid, start.date(), "00:00", "23:59", "", Actor(
            "admin", 1, Role.ADMIN), Channel.API)
        await network.update_center(s, cid, {"latest_booking": "23:59"}, Actor(
            "admin", 1, Role.ADMIN), Channel.API)
    iin = "900101300017"
    async with unit_of_work(sm) as s:
        b = await booking.book(s, BookingRequest(iin, "01010001", cid, start, Channel.WEB),
                               IIN_KEY, CITIZEN)
    walker = await walk(sm, cid, now=start - dt.timedelta(minutes=10))
    async with unit_of_work(sm) as s:
        ticket = await arrivals.check_in(s, cid, b.code, iin, IIN_KEY, operator(cid),
                                         now=start - dt.timedelta(minutes=2))
    assert isinstance(ticket, TicketRow) and ticket.label == "A-002"  # after the walk-in
    async with unit_of_work(sm) as s:
        first = await calls.call_next(s, windows["mixed"][1], operator(cid), now=start)
    assert first is not None and first.id == ticket.id  # booked for now beats the walk-in
    async with sm() as s:
        stored = await s.get(BookingRow, b.id)
        assert stored is not None and stored.status == "checked_in"
    assert isinstance(walker, TicketRow)


async def test_late_booked_arrival_is_a_walk_in_at_a_mixed_centre(sm, pinned_clock
                                                                   ) -> None:
    centers, _ = await ids(sm)
    cid = centers["mixed"]
    start = today_slot(23, 30)  # this evening: the clock reads a morning, it is ahead
    admin = Actor("admin", 1, Role.ADMIN)
    async with unit_of_work(sm) as s:
        await network.set_exception(s, cid, start.date(), "00:00", "23:59", "", admin,
                                    Channel.API)
        await network.update_center(s, cid, {"latest_booking": "23:59"}, admin, Channel.API)
    iin = "850715400129"
    async with unit_of_work(sm) as s:
        await booking.book(s, BookingRequest(iin, "01010001", cid, start, Channel.WEB),
                             IIN_KEY, CITIZEN)
    async with unit_of_work(sm) as s:  # 16 minutes late: past the 15-minute grace; IIN only
        ticket = await arrivals.check_in(s, cid, None, iin, IIN_KEY, operator(cid),
                                         now=start + dt.timedelta(minutes=16))
    assert isinstance(ticket, TicketRow)
    assert (ticket.kind, ticket.prefix, ticket.booked_start) == ("walk_in", "A", None)


async def test_recall_then_no_show_after_max_calls(sm) -> None:
    centers, windows = await ids(sm)
    cid = centers["mixed"]
    t = await walk(sm, cid)
    async with unit_of_work(sm) as s:
        await calls.call_next(s, windows["mixed"][1], operator(cid))
    for expected in (2, 3):
        async with unit_of_work(sm) as s:
            again = await calls.recall(s, t.id, operator(cid))
            assert again.calls == expected and again.status == "called"
    async with unit_of_work(sm) as s:
        gone = await calls.recall(s, t.id, operator(cid))
    assert gone.status == "no_show"


async def test_transfer_keeps_place(sm) -> None:
    centers, windows = await ids(sm)
    cid = centers["mixed"]
    first = await walk(sm, cid)
    await walk(sm, cid, service="03010001")
    async with unit_of_work(sm) as s:
        await calls.call_next(s, windows["mixed"][3], operator(cid))  # identity-only window
        moved = await calls.transfer(s, first.id, "03010001", operator(cid))
    assert moved.status == "waiting" and moved.services == ["03010001"]
    async with unit_of_work(sm) as s:
        again = await calls.call_next(s, windows["mixed"][1], operator(cid))
    assert again is not None and again.id == first.id  # arrived first, keeps its place


async def test_booking_only_centre_offers_slots_and_sends_online_services_online(sm) -> None:
    centers, _ = await ids(sm)
    cid = centers["booking-only"]
    async with unit_of_work(sm) as s:
        offer = await arrivals.walk_in(s, cid, random_iin(), "01010001", None, IIN_KEY,
                                       operator(cid))
    assert isinstance(offer, arrivals.Offer) and offer.reason == "booking_only"
    assert offer.slots and offer.slots[0].start > dt.datetime.now(dt.UTC)
    async with unit_of_work(sm) as s:
        with pytest.raises(ServiceNotOffered) as exc:
            await arrivals.walk_in(s, cid, random_iin(), "03010001", None, IIN_KEY,
                                   operator(cid))
    assert exc.value.params["reason"] == "online"
    async with unit_of_work(sm) as s:
        pensioner = await arrivals.walk_in(s, cid, random_iin(), "03010001",
                                           Privilege.PENSIONER, IIN_KEY, operator(cid))
    assert isinstance(pensioner, arrivals.Offer)


async def test_occupancy_limit_keeps_people_outside(sm) -> None:
    centers, _ = await ids(sm)
    cid = centers["mixed"]
    async with unit_of_work(sm) as s:
        await network.update_center(s, cid, {"occupancy_limit": 2}, Actor(
            "admin", 1, Role.ADMIN), Channel.API)
    await walk(sm, cid)
    await walk(sm, cid)
    third = await walk(sm, cid)  # not refused: the line outside
    assert isinstance(third, TicketRow) and third.status == "outside"
    async with sm() as s:
        view = await floor_view.queue(s, cid)
    assert view.occupancy == 2 and view.occupancy_limit == 2 and view.free_places == 0
    assert [e.label for e in view.entries] == ["A-001", "A-002"]
    assert [(e.label, e.status) for e in view.outside] == [("A-003", "outside")]


async def test_ticket_numbers_unique_under_concurrent_arrivals(sm) -> None:
    centers, _ = await ids(sm)
    cid = centers["mixed"]
    made = await asyncio.gather(*(walk(sm, cid) for _ in range(25)))
    labels = sorted(t.label for t in made)
    assert labels == [f"A-{i:03d}" for i in range(1, 26)]


async def test_two_operators_calling_concurrently_never_share_a_person(sm) -> None:
    centers, windows = await ids(sm)
    cid = centers["mixed"]
    for _ in range(30):
        await walk(sm, cid)
    called: list[int] = []

    async def operator_loop(window_id: int) -> None:
        while True:
            async with unit_of_work(sm) as s:
                t = await calls.call_next(s, window_id, operator(cid))
                if t is None:
                    return
                called.append(t.id)
                await calls.start(s, t.id, operator(cid))
                await calls.finish(s, t.id, operator(cid))

    await asyncio.gather(operator_loop(windows["mixed"][1]), operator_loop(windows["mixed"][2]))
    assert len(called) == 30 and len(set(called)) == 30
    async with sm() as s:
        n = await s.scalar(select(func.count()).select_from(FloorEventRow).where(
            FloorEventRow.kind == "called"))
    assert n == 30


async def test_sql_queue_order_matches_the_core_order(sm) -> None:
    """call_next pages through the queue in SQL order; it must equal core.floor's key."""
    import random

    from kezek.app.calls import _queue_order
    from kezek.core.floor import FloorRules, Waiting, ordered

    centers, _ = await ids(sm)
    cid = centers["mixed"]
    rng = random.Random(5)
    now = dt.datetime(2030, 1, 7, 6, 0, tzinfo=dt.UTC)
    async with unit_of_work(sm) as s:
        for i in range(60):
            arrived = now - dt.timedelta(minutes=rng.randint(0, 90))
            booked = rng.choice([None, now + dt.timedelta(minutes=rng.randint(-40, 40))])
            s.add(TicketRow(center_id=cid, day=now.date(), prefix="Q", number=i + 1,
                            label=f"Q-{i + 1:03d}", services=["01010001"], kind="walk_in",
                            booked_start=booked, status="waiting", arrived_at=arrived))
    rules = FloorRules()
    async with sm() as s:
        rows = (await s.execute(select(TicketRow.id, TicketRow.arrived_at,
                                       TicketRow.booked_start).where(
            TicketRow.center_id == cid).order_by(*_queue_order(now, rules)))).all()
    sql_order = [r.id for r in rows]
    core_order = [w.ticket_id for w in ordered(
        [Waiting(r.id, frozenset({"x"}), r.arrived_at, r.booked_start) for r in rows],
        now, rules)]
    assert sql_order == core_order
