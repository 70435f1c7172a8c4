"""The operator console's safety steps over HTTP: undoing a no-show at its window, and
ending the shift at a window (kezek.app.console; ADR 0030).

Apart from routes_floor.py, which holds the floor's ordinary flow and is near its size.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from kezek.api.auth import WindowStaff
from kezek.api.deps import settings_of, tx
from kezek.api.routes_floor import TicketOut, ticket_out
from kezek.api.schemas import BodyId, RowId, Strict, example
from kezek.app import console

router = APIRouter(prefix="/api/v1", tags=["floor"])


class UndoNoShowIn(Strict):
    model_config = example(window=3)
    window: BodyId = Field(description="the window that marked the no-show")


@router.post("/tickets/{ticket_id}/undo-no-show", response_model=TicketOut)
async def undo_no_show(request: Request, ticket_id: RowId, body: UndoNoShowIn,
                       actor: WindowStaff) -> TicketOut:
    """Takes back a no-show pressed by mistake: the ticket is called again at the same
    window. Only that window may, and only for KEZEK_NO_SHOW_UNDO_MINUTES (5 by default)
    after the no-show; later it is 409 `undo_expired`, and 409 `invalid_state` when
    another window asks or this one has called someone else meanwhile. Leaves an audit
    row."""
    minutes = settings_of(request).no_show_undo_minutes
    async with tx(request) as s:
        ticket = await console.undo_no_show(s, ticket_id, body.window, actor, minutes)
        return await ticket_out(s, ticket)


class ShiftEndOut(BaseModel):
    state: str = Field(description='the window\'s state now: "closed"')
    ended_at: str = Field(description="when the shift ended (ISO 8601, UTC)")


@router.post("/windows/{window_id}/end-shift", response_model=ShiftEndOut)
async def end_shift(request: Request, window_id: RowId, actor: WindowStaff) -> ShiftEndOut:
    """Closes the window for the day: call-next refuses it (409 `invalid_state`, shift
    ended) until it is opened again (`/state`) or the centre's day turns. 409
    `invalid_state` (window busy) while someone is called to it or served at it. Leaves
    an audit row."""
    async with tx(request) as s:
        done = await console.end_shift(s, window_id, actor)
    return ShiftEndOut(state=done.state, ended_at=done.at.isoformat())
