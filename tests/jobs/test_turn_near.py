""""Your turn is near": after a call commits, the booked people with N or fewer ahead of
them hear it once, on their contact, in their language; walk-ins without a contact and
the person called hear nothing; the centre's floor rules may change N or turn it off."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from kezek.app import arrivals, calls, network
from kezek.app.actor import Actor, Channel, Role
from kezek.store.models import TicketRow, WindowRow
from kezek.store.models_jobs import NotificationClaimRow
from tests.conftest import IIN_KEY, random_iin
from tests.jobs.conftest import World

GENERAL = "01010001"
ADMIN = Actor("admin", 1, Role.ADMIN)


def operator(center: int) -> Actor:
    return Actor("op", 7, Role.OPERATOR, frozenset({center}))


async def _window(world: World, center: int) -> int:
    async with world.sm() as s:
        wid = await s.scalar(select(WindowRow.id).where(WindowRow.center_id == center)
                             .order_by(WindowRow.number))
    assert wid is not None
    return wid


async def _floor(world: World, at: dt.datetime, walk_ins: int, booked: list[tuple[int, str]],
                 values: dict[str, object] | None = None) -> tuple[int, list[TicketRow]]:
    """The mixed centre with `walk_ins` walk-ins, then a booked person per (chat, lang),
    checked in at `at` for bookings 30, 45, 60... minutes later."""
    cid = await world.center("mixed")
    if values:
        async with world.tx() as s:
            await network.update_center(s, cid, values, ADMIN, Channel.API)
    for _ in range(walk_ins):
        async with world.tx() as s:
            await arrivals.walk_in(s, cid, random_iin(), GENERAL, None, IIN_KEY,
                                   operator(cid), now=at)
    tickets = []
    for i, (chat, lang) in enumerate(booked):
        iin = random_iin()
        made = await world.book(iin, cid, at + dt.timedelta(minutes=30 + 15 * i),
                                service=GENERAL, chat=chat, lang=lang)
        async with world.tx() as s:
            ticket = await arrivals.check_in(s, cid, made.code, iin, IIN_KEY, operator(cid),
                                             now=at + dt.timedelta(seconds=i + 1))
        assert isinstance(ticket, TicketRow)
        tickets.append(ticket)
    await world.run_due(at)  # the bookings' reminder planning: nothing is due yet
    return cid, tickets


async def _call(world: World, cid: int, window: int, at: dt.datetime) -> TicketRow:
    async with world.tx() as s:
        called = await calls.call_next(s, window, operator(cid), now=at)
        assert called is not None
        await calls.start(s, called.id, operator(cid))
        await calls.finish(s, called.id, operator(cid))
    return called


async def test_the_booked_near_their_turn_are_told_once(world: World, pinned_clock
                                                        ) -> None:
    at = pinned_clock
    cid, (b1, b2, b3) = await _floor(world, at, 3, [(901, "ru"), (902, "kk"), (903, "en")])
    window = await _window(world, cid)
    before = len(world.sent_telegram())
    await _call(world, cid, window, at)  # a walk-in: b1 has 2 ahead, b2 3, b3 4
    await world.run_due(at)
    near = [m for m in world.sent_telegram()[before:] if "Талон" in m["text"]
            or "Ticket" in m["text"]]
    assert sorted(int(m["chat_id"]) for m in near) == [901, 902]
    ru = next(m["text"] for m in near if int(m["chat_id"]) == 901)
    assert "Ваша очередь подходит" in ru and f"Талон: {b1.label}" in ru
    assert "Перед вами: 2 чел." in ru and "Будьте готовы" in ru
    kk = next(m["text"] for m in near if int(m["chat_id"]) == 902)
    assert "Кезегіңіз жақындады" in kk and "Сіздің алдыңызда: 3 адам" in kk

    await _call(world, cid, window, at)  # b3 now has 3 ahead; b1 and b2 are not told again
    await world.run_due(at)
    await world.run_due(at)
    near = [m for m in world.sent_telegram()[before:] if "ahead" in m["text"]
            or "Перед вами" in m["text"] or "алдыңызда" in m["text"]]
    assert sorted(int(m["chat_id"]) for m in near) == [901, 902, 903]
    assert "Your turn is near" in next(m["text"] for m in near if int(m["chat_id"]) == 903)
    async with world.sm() as s:
        kinds = (await s.scalars(select(NotificationClaimRow.booking_id).where(
            NotificationClaimRow.kind == "turn_near"))).all()
    assert sorted(kinds) == sorted([b1.booking_id, b2.booking_id, b3.booking_id])


async def test_the_line_outside_is_asked_to_come_to_the_door(world: World, pinned_clock
                                                             ) -> None:
    at = pinned_clock
    cid, (b1,) = await _floor(world, at, 2, [(911, "ru")], {"occupancy_limit": 2})
    async with world.sm() as s:
        stored = await s.get(TicketRow, b1.id)
        assert stored is not None and stored.status == "outside"
    await _call(world, cid, await _window(world, cid), at)
    await world.run_due(at)
    texts = [m["text"] for m in world.sent_telegram() if int(m["chat_id"]) == 911
             and "Талон" in m["text"]]
    assert len(texts) == 1 and "Перед вами: 1 чел." in texts[0]
    assert "Подойдите ко входу" in texts[0]


async def test_the_centre_may_turn_it_off_or_change_the_number(world: World, pinned_clock
                                                               ) -> None:
    at = pinned_clock
    cid, _ = await _floor(world, at, 2, [(921, "ru"), (922, "ru")],
                          {"floor": {"turn_near_ahead": 0}})
    window = await _window(world, cid)
    await _call(world, cid, window, at)
    await world.run_due(at)
    assert not [m for m in world.sent_telegram() if "Талон" in m["text"]]

    async with world.tx() as s:
        await network.update_center(s, cid, {"floor": {"turn_near_ahead": 1}}, ADMIN,
                                    Channel.API)
    await _call(world, cid, window, at)  # the last walk-in: 921 has 0 ahead, 922 has 1
    await world.run_due(at)
    told = [int(m["chat_id"]) for m in world.sent_telegram() if "Талон" in m["text"]]
    assert sorted(told) == [921, 922]
    await _call(world, cid, window, at)  # 921 is called: nobody is told anything more
    await world.run_due(at)
    assert sorted(int(m["chat_id"]) for m in world.sent_telegram()
                  if "Талон" in m["text"]) == [921, 922]
