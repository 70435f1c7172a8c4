"""A served visit in the seeded web database, and the link its feedback request carries
(the pages' tests and the browser's share it)."""

from __future__ import annotations

from kezek.app import arrivals, calls
from kezek.app.actor import Actor, Role
from kezek.app.feedback import token_for
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models import TicketRow
from tests.conftest import random_iin
from tests.web.conftest import WEB_IIN_KEY, WEB_SECRET, run_async


async def _served(url: str, center_id: int, window_id: int) -> int:
    op = Actor("op", 7, Role.OPERATOR, frozenset({center_id}))
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        async with unit_of_work(sm) as s:
            ticket = await arrivals.walk_in(s, center_id, random_iin(), "01010001", None,
                                            WEB_IIN_KEY.encode(), op)
            assert isinstance(ticket, TicketRow)
        async with unit_of_work(sm) as s:
            called = await calls.call_next(s, window_id, op)
            assert called is not None and called.id == ticket.id
            await calls.start(s, called.id, op)
        async with unit_of_work(sm) as s:
            await calls.finish(s, called.id, op)
        return ticket.id
    finally:
        await engine.dispose()


def served_link(url: str, center_id: int, window_id: int) -> tuple[int, str]:
    """(ticket id, /feedback/{token}) of a walk-in served at the window just now."""
    ticket_id = run_async(_served, url, center_id, window_id)
    return ticket_id, f"/feedback/{token_for(ticket_id, WEB_SECRET)}"
