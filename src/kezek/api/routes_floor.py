"""The floor API: arrivals at the door, admission of small groups, the operator's window,
the queue and the board.

Staff act only on their own centres' windows. The board (and its event stream) is
public and anonymous: it carries ticket labels and window numbers, nothing personal.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from kezek.api.auth import CentreDoorStaff, DoorStaff, QueueReader, WindowStaff
from kezek.api.deps import iin_key, settings_of, tx
from kezek.api.schemas import EXAMPLE_IIN, RowId, SlotOut, Strict, example
from kezek.app import admission, arrivals, calls, catalog, floor_view
from kezek.app.actor import Actor, Role
from kezek.app.identity.wiring import directory_for
from kezek.app.outbox import center_topic
from kezek.core.errors import Forbidden
from kezek.core.policy import Privilege
from kezek.live.stopping import Stopping
from kezek.metrics import SSE_CLIENTS
from kezek.store.models import TicketRow

router = APIRouter(prefix="/api/v1", tags=["floor"])
KEEPALIVE_SECONDS = 15.0
# The stream's last event when the server stops: try again in 2 s (ADR 0016).
GOODBYE = b'retry: 2000\nevent: reconnect\ndata: {"reason": "server stopping"}\n\n'


class ArrivalIn(Strict):
    model_config = example(iin=EXAMPLE_IIN, code="K7M2PQ9X")
    iin: str = Field(min_length=1, max_length=32)
    code: str | None = Field(None, max_length=16, description="booking code, for check-in")
    service: str | None = Field(None, max_length=16, description="for a walk-in")
    services: list[str] | None = Field(None, max_length=5,
                                       description="a walk-in for several services")
    privilege: Privilege | None = None


class TicketOut(BaseModel):
    id: int
    label: str
    status: str
    kind: str
    services: list[str]
    privileged: bool
    window: int | None
    iin_masked: str
    calls: int
    privilege_claim: str | None = Field(
        None, description="the privilege claimed (pensioner, large_family, disability)")
    privilege_status: str | None = Field(
        None, description="verified (registry), claimed (the door checks the document), "
                          "confirmed or rejected (by door staff)")
    booked_time: str | None = Field(
        None, description="a booked person's time, HH:MM in the centre's time; null for a "
                          "walk-in", examples=["11:30"])

    @classmethod
    def of(cls, t: TicketRow, window_number: int | None = None,
           timezone: str | None = None) -> TicketOut:
        """`timezone` is the centre's; without it the booked time is left out rather
        than shown in UTC (use `ticket_out`, which reads it)."""
        return cls(id=t.id, label=t.label, status=t.status, kind=t.kind,
                   services=list(t.services), privileged=t.privilege is not None,
                   window=window_number, iin_masked=t.iin_masked, calls=t.calls,
                   privilege_claim=t.privilege_claim, privilege_status=t.privilege_status,
                   booked_time=floor_view.booked_time(t.booked_start, timezone)
                   if timezone else None)


class OfferOut(BaseModel):
    reason: Literal["booking_only", "late"]
    service: str
    slots: list[SlotOut]


class ArrivalOut(BaseModel):
    ticket: TicketOut | None = None
    offer: OfferOut | None = None
    outside_place: int | None = Field(
        default=None, description="the centre is full: the ticket's place in the line outside")


async def ticket_out(s: Any, t: TicketRow) -> TicketOut:
    """The ticket with its window's number and its booked time in the centre's time."""
    ctx = await catalog.center(s, t.center_id)
    number = (None if t.window_id is None
              else next((w.number for w in ctx.windows if w.id == t.window_id), None))
    return TicketOut.of(t, number, ctx.center.timezone)


def _staff_of(actor: Any, center_id: int) -> None:
    if actor.role is not Role.ADMIN and center_id not in actor.centers:
        raise Forbidden()


@router.post("/centers/{center_id}/arrivals", response_model=ArrivalOut)
async def arrive(request: Request, center_id: RowId, body: ArrivalIn,
                 actor: CentreDoorStaff) -> JSONResponse:
    """Checks a person in with `{code, iin}` or `{iin}` (today's booking here), or a walk-in
    with `{iin, service | services, privilege?}`.

    201 with a ticket; 200 with an offer of the nearest free slots when the centre is
    booking-only or the booked person is late there.
    """
    async with tx(request) as s:
        if body.code:
            result = await arrivals.check_in(s, center_id, body.code, body.iin,
                                             iin_key(request), actor)
        elif body.service or body.services:
            codes = ([body.service] if body.service else []) + list(body.services or [])
            result = await arrivals.walk_in(s, center_id, body.iin, codes,
                                            body.privilege, iin_key(request), actor,
                                            directory=directory_for(settings_of(request)))
        else:  # a booked person who has only their IIN with them
            result = await arrivals.check_in(s, center_id, None, body.iin, iin_key(request),
                                             actor)
        out = (ArrivalOut(ticket=await ticket_out(s, result),
                          outside_place=await admission.place_of(s, result))
               if isinstance(result, TicketRow) else None)
    if isinstance(result, arrivals.Offer):
        offer = OfferOut(reason=result.reason, service=result.service,  # type: ignore[arg-type]
                         slots=[SlotOut(start=x.start.isoformat(), free=x.free)
                                for x in result.slots])
        return JSONResponse(ArrivalOut(offer=offer).model_dump(mode="json"), status_code=200)
    assert out is not None  # a ticket, the one other result
    return JSONResponse(out.model_dump(mode="json"), status_code=201)


class AdmitIn(Strict):
    model_config = example(count=5)
    count: int | None = Field(default=None, ge=1, le=500,
                              description="at most this many (default: all that fit)")


class AdmittedOut(BaseModel):
    id: int
    label: str
    services: list[str]
    privileged: bool


class AdmitOut(BaseModel):
    admitted: list[AdmittedOut]
    occupancy: int
    occupancy_limit: int | None
    free_places: int | None
    outside: int
    reason: Literal["nobody_outside", "no_room"] | None = Field(
        default=None, description="why nobody was admitted")


@router.post("/centers/{center_id}/admit", response_model=AdmitOut)
async def admit(request: Request, center_id: RowId, actor: CentreDoorStaff,
                body: AdmitIn | None = None) -> AdmitOut:
    """Lets the next people in from the line outside: up to `count` (all that fit if not
    given), never beyond the occupancy limit, in the floor's order (booked for now
    first, then by arrival). Admitting nobody is not an error: `reason` says why."""
    async with tx(request) as s:
        done = await admission.admit(s, center_id, actor, body.count if body else None)
    free = None if done.limit is None else max(0, done.limit - done.inside)
    return AdmitOut(
        admitted=[AdmittedOut(id=t.id, label=t.label, services=list(t.services),
                              privileged=t.privilege is not None) for t in done.admitted],
        occupancy=done.inside, occupancy_limit=done.limit, free_places=free,
        outside=done.outside, reason=done.reason)  # type: ignore[arg-type]


class CallOut(BaseModel):
    ticket: TicketOut | None


@router.post("/windows/{window_id}/call-next", response_model=CallOut)
async def call_next(request: Request, window_id: RowId, actor: WindowStaff) -> CallOut:
    """Calls the next person this window may serve; `ticket` is null if nobody waits."""
    async with tx(request) as s:
        ticket = await calls.call_next(s, window_id, actor)
        out = CallOut(ticket=await ticket_out(s, ticket) if ticket else None)
    return out


class StateIn(Strict):
    model_config = example(state="open")
    state: Literal["open", "paused", "closed"]


@router.post("/windows/{window_id}/state")
async def window_state(request: Request, window_id: RowId, body: StateIn,
                       actor: WindowStaff) -> dict[str, str]:
    """Opens, pauses or closes a window."""
    async with tx(request) as s:
        return {"state": await calls.set_state(s, window_id, body.state, actor)}


async def _act(request: Request, actor: Actor, ticket_id: RowId, action: Any,
               *args: Any) -> TicketOut:
    async with tx(request) as s:
        ticket = await action(s, ticket_id, *args, actor)
        return await ticket_out(s, ticket)


@router.post("/tickets/{ticket_id}/start", response_model=TicketOut)
async def start(request: Request, ticket_id: RowId, actor: WindowStaff) -> TicketOut:
    return await _act(request, actor, ticket_id, calls.start)


@router.post("/tickets/{ticket_id}/finish", response_model=TicketOut)
async def finish(request: Request, ticket_id: RowId, actor: WindowStaff) -> TicketOut:
    return await _act(request, actor, ticket_id, calls.finish)


@router.post("/tickets/{ticket_id}/no-show", response_model=TicketOut)
async def no_show(request: Request, ticket_id: RowId, actor: WindowStaff) -> TicketOut:
    return await _act(request, actor, ticket_id, calls.no_show)


@router.post("/tickets/{ticket_id}/recall", response_model=TicketOut)
async def recall(request: Request, ticket_id: RowId, actor: WindowStaff) -> TicketOut:
    """Calls the same person again; past the centre's limit of calls, a no-show."""
    return await _act(request, actor, ticket_id, calls.recall)


@router.post("/tickets/{ticket_id}/left", response_model=TicketOut)
async def left(request: Request, ticket_id: RowId, actor: DoorStaff) -> TicketOut:
    """Records that the person left before being served (from inside or from the line
    outside)."""
    async with tx(request) as s:
        ticket = (await admission.leave_outside(s, ticket_id, actor)
                  or await calls.left(s, ticket_id, actor))
        return await ticket_out(s, ticket)


class TransferIn(Strict):
    model_config = example(service="01010002")
    service: str = Field(min_length=1, max_length=16)


@router.post("/tickets/{ticket_id}/transfer", response_model=TicketOut)
async def transfer(request: Request, ticket_id: RowId, body: TransferIn,
                   actor: WindowStaff) -> TicketOut:
    """Sends the person to another service, keeping their place in the queue."""
    return await _act(request, actor, ticket_id, calls.transfer, body.service)


@router.get("/centers/{center_id}/queue")
async def queue(request: Request, center_id: RowId, actor: QueueReader) -> dict[str, Any]:
    """The live queue for staff: waiting order, waits per service against the standard
    (inside and outside), window states, occupancy, and the line outside a full centre
    (next in first)."""
    async with tx(request) as s:
        if actor.role is not Role.ANALYST:
            _staff_of(actor, center_id)
        view = await floor_view.queue(s, center_id)
    return {
        "center": view.center_id, "occupancy": view.occupancy,
        "occupancy_limit": view.occupancy_limit,
        "entries": [vars_of(e) for e in view.entries],
        "services": [{**vars_of(x), "within_standard": x.within_standard}
                     for x in view.services],
        "windows": [vars_of(w) for w in view.windows],
        "no_shows_today": view.no_shows_today,
        "free_places": view.free_places,
        "outside": {"count": len(view.outside),
                    "longest_wait_minutes": view.longest_outside_minutes,
                    "entries": [vars_of(e) for e in view.outside]},
    }


def vars_of(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in obj.__slots__}


class BoardLineOut(BaseModel):
    ticket: str
    window: int
    status: str


@router.get("/centers/{center_id}/board", response_model=list[BoardLineOut])
async def board(request: Request, center_id: RowId) -> list[BoardLineOut]:
    """The lobby board: tickets called and being served. Public, no personal data."""
    async with tx(request) as s:
        lines = await floor_view.board(s, center_id)
    return [BoardLineOut(ticket=x.ticket, window=x.window, status=x.status) for x in lines]


class AdmittedBoardOut(BaseModel):
    tickets: list[str]


@router.get("/centers/{center_id}/board/admitted", response_model=AdmittedBoardOut)
async def board_admitted(request: Request, center_id: RowId) -> AdmittedBoardOut:
    """The lobby board's "please come in" line: tickets just admitted from outside and
    not yet called. Public, labels only."""
    async with tx(request) as s:
        labels = await floor_view.admitted_recently(s, center_id)
    return AdmittedBoardOut(tickets=labels)


@router.get("/centers/{center_id}/board/events")
async def board_events(request: Request, center_id: RowId) -> StreamingResponse:
    """Server-sent events: one `data:` JSON line per change on the floor of this centre.

    When the server stops, the stream's last event is `reconnect` (with `retry:` telling
    the browser when to try again) and the stream ends, so that the stop is not held up
    and the screen knows the link dropped (ADR 0016)."""
    async with tx(request) as s:
        await catalog.center(s, center_id)
    broker = request.app.state.broker
    stopping: Stopping | None = getattr(request.app.state, "stopping", None)

    async def stream() -> AsyncIterator[bytes]:
        yield b": connected\n\n"
        with SSE_CLIENTS.track_inprogress():  # down again however the stream ends
            async for chunk in _events(request, broker, center_id, stopping):
                yield chunk

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def _events(request: Request, broker: Any, center_id: RowId,
                  stopping: Stopping | None) -> AsyncIterator[bytes]:
    """The board's messages as SSE lines, with a keepalive when the floor is quiet, and
    the goodbye event when the server stops."""
    async with broker.subscribe(center_topic(center_id)) as sub:
        iterator = sub.__aiter__()
        stop = asyncio.ensure_future(stopping.wait()) if stopping is not None else None
        nxt: asyncio.Future[Any] | None = None
        try:
            while not await request.is_disconnected():
                nxt = nxt or asyncio.ensure_future(iterator.__anext__())
                waits = {nxt} if stop is None else {nxt, stop}
                done, _ = await asyncio.wait(waits, timeout=KEEPALIVE_SECONDS,
                                             return_when=asyncio.FIRST_COMPLETED)
                if stop is not None and stop in done:
                    yield GOODBYE
                    return
                if nxt not in done:
                    yield b": keepalive\n\n"
                    continue
                finished, nxt = nxt, None
                try:
                    message = finished.result()
                except StopAsyncIteration:
                    return
                yield f"data: {json.dumps(message, ensure_ascii=False)}\n\n".encode()
        finally:
            for task in (nxt, stop):
                if task is not None:
                    task.cancel()
