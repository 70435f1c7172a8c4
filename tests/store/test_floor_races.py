"""Races at the operator's key, on real SQLite and PostgreSQL (issue 12, item 2).

Several presses of call-next at once on a window never used before once gave one call
and three database errors (500s): each press tried to insert the window's first state
row. The database must referee: one press calls the person, the others are told the
window is busy (409) or get their own next person; never a database error.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from kezek.app import calls
from kezek.core.errors import InvalidState
from kezek.store.db import unit_of_work
from kezek.store.models import TicketRow, WindowStateRow
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
