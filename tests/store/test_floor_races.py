"""Races at the operator's key, on real SQLite and PostgreSQL (issue 12, item 2).

Several presses of call-next at once on a window never used before once gave one call
and three database errors (500s): each press tried to insert the window's first state
row. The database must referee: one press calls the person, the others are told the
window is busy (409) or get their own next person; never a database error.

People arriving together at a full centre were told repeated places in the line outside;
the centre's lock decides the order, so the arrival time is read under it.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from kezek.app import admission, arrivals, calls, network
from kezek.app.actor import Actor, Channel, Role
from kezek.core.errors import InvalidState
from kezek.store.db import unit_of_work
from kezek.store.models import TicketRow, WindowStateRow
from tests.conftest import IIN_KEY, random_iin
from tests.store.test_floor import ids, operator, walk


async def test_first_call_next_pressed_four_times_at_once(sm) -> None:
    centers, windows = await ids(sm)
    cid = centers["mixed"]
    window = windows["mixed"][1]
    for _ in range(4):
        await walk(sm, cid)

    async def press() -> str:
        try:
            async with unit_of_work(sm) as s:
                ticket = await calls.call_next(s, window, operator(cid))
                return "called" if ticket is not None else "empty"
        except InvalidState:
            return "busy"

    outcomes = await asyncio.gather(*(press() for _ in range(4)), return_exceptions=True)
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert not errors, errors
    assert sorted(outcomes) == ["busy", "busy", "busy", "called"]
    async with sm() as s:
        at_window = await s.scalar(select(func.count()).select_from(TicketRow).where(
            TicketRow.window_id == window))
        states = await s.scalar(select(func.count()).select_from(WindowStateRow).where(
            WindowStateRow.window_id == window))
    assert (at_window, states) == (1, 1)


async def test_people_told_to_wait_outside_get_unique_places(sm) -> None:
    """30 arrive together at a full centre: places 1 to 30, each told once."""
    centers, _ = await ids(sm)
    cid = centers["mixed"]
    async with unit_of_work(sm) as s:
        await network.update_center(s, cid, {"occupancy_limit": 1},
                                    Actor("admin", 1, Role.ADMIN), Channel.API)
    await walk(sm, cid)  # the centre is full

    async def arrive() -> int | None:
        async with unit_of_work(sm) as s:
            ticket = await arrivals.walk_in(s, cid, random_iin(), "01010001", None, IIN_KEY,
                                            operator(cid))
            return await admission.place_of(s, ticket)

    places = await asyncio.gather(*(arrive() for _ in range(30)))
    assert sorted(p for p in places if p is not None) == list(range(1, 31)), places
