"""The waitlist API: join for a day with no free time, see or leave the entry, accept an
offer. Like bookings, an entry is addressed by its code and the IIN in the request body,
never an IIN in a URL.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.deps import actor_of, iin_key, lang, require, settings_of, tx
from kezek.api.identity_deps import notice_number, personal
from kezek.api.schemas import EXAMPLE_IIN, BodyId, BookingOut, IinIn, Strict, example
from kezek.app import catalog, waitlist
from kezek.app.actor import Actor, Channel, Role
from kezek.app.convert import iso_local
from kezek.app.identity.wiring import directory_for
from kezek.core.booking import display_code
from kezek.core.policy import Privilege
from kezek.store.models_jobs import WaitlistEntryRow

router = APIRouter(prefix="/api/v1", tags=["waitlist"])


class WaitlistIn(Strict):
    model_config = example(iin=EXAMPLE_IIN, service="01010001", center=1, day="2027-03-15",
                           email="aigerim@example.kz", lang="kk")
    iin: str = Field(min_length=1, max_length=32)
    service: str = Field(min_length=1, max_length=8)
    center: BodyId
    day: dt.date
    privilege: Privilege | None = None
    email: str | None = Field(None, max_length=254)
    lang: Literal["kk", "ru", "en"] | None = None
    channel: Literal["web", "call_centre"] = "web"


class OfferOut(BaseModel):
    start: str
    held_until: str | None
    booking_code: str


class WaitlistOut(BaseModel):
    code: str
    code_display: str
    iin_masked: str
    service: str
    center: BodyId
    day: dt.date
    status: Literal["waiting", "offered", "accepted", "expired", "cancelled"]
    position: int | None = Field(description="1 for the first in line; null unless waiting")
    offer: OfferOut | None = Field(description="the held seat (offered) or the booking "
                                               "(accepted)")


async def _out(s: AsyncSession, e: WaitlistEntryRow) -> WaitlistOut:
    tz = (await catalog.center(s, e.center_id)).center.timezone
    offer = None
    held = await waitlist.held_booking(s, e)
    if held is not None and e.status in ("offered", "accepted"):
        until = e.offer_expires_at if e.status == "offered" else None
        offer = OfferOut(start=iso_local(held.start_utc, tz),
                         held_until=iso_local(until, tz) if until else None,
                         booking_code=held.code)
    return WaitlistOut(code=e.code, code_display=display_code(e.code), iin_masked=e.iin_masked,
                       service=e.service_code, center=e.center_id, day=e.day,
                       status=e.status,  # type: ignore[arg-type]
                       position=await waitlist.position(s, e), offer=offer)


@router.post("/waitlist", status_code=201, response_model=WaitlistOut)
async def join(request: Request, body: WaitlistIn) -> WaitlistOut:
    """Joins the line for a service at a centre on a day with no free time left.

    When a seat frees up, the first in line gets it held for them (for
    `KEZEK_WAITLIST_HOLD_MINUTES`) and is told by e-mail if one was given; they accept it
    with `POST /waitlist/{code}/accept`, or it passes to the next in line.
    """
    async with tx(request) as s:
        if body.channel == "call_centre":
            actor = await require(request, s, Role.CALL_CENTRE, Role.MANAGER)
        else:
            actor = await actor_of(request, s)
        iin = await personal(request, s, body.iin, actor, Channel(body.channel),
                             rule="waitlist")
        entry = await waitlist.join(s, waitlist.JoinRequest(
            iin=iin, service=body.service, center=body.center, day=body.day,
            channel=Channel(body.channel), privilege=body.privilege, email=body.email,
            lang=body.lang or lang(request), phone=await notice_number(request, s, iin)),
            iin_key(request), actor, directory=directory_for(settings_of(request)))
        return await _out(s, entry)


@router.post("/waitlist/{code}", response_model=WaitlistOut)
async def get_entry(request: Request, code: str, body: IinIn) -> WaitlistOut:
    """One waitlist entry, by its code and the IIN it was made with."""
    async with tx(request) as s:
        actor = await actor_of(request, s)
        iin = await personal(request, s, body.iin, actor, _channel(actor), rule="lookup")
        return await _out(s, await waitlist.get_owned(s, code, iin, iin_key(request)))


@router.post("/waitlist/{code}/leave", response_model=WaitlistOut)
async def leave(request: Request, code: str, body: IinIn) -> WaitlistOut:
    """Leaves the line; a seat held for this entry passes to the next person."""
    async with tx(request) as s:
        actor = await actor_of(request, s)
        iin = await personal(request, s, body.iin, actor, _channel(actor), rule="lookup")
        entry = await waitlist.leave(s, code, iin, iin_key(request), actor, _channel(actor))
        return await _out(s, entry)


@router.post("/waitlist/{code}/accept", response_model=BookingOut)
async def accept(request: Request, code: str, body: IinIn) -> BookingOut:
    """Takes the held seat as a booking, under the same quotas as any booking."""
    async with tx(request) as s:
        actor = await actor_of(request, s)
        iin = await personal(request, s, body.iin, actor, _channel(actor))
        row = await waitlist.accept(s, code, iin, iin_key(request), actor,
                                    _channel(actor))
        tz = (await catalog.center(s, row.center_id)).center.timezone
    return BookingOut.of(row, tz)


def _channel(actor: Actor) -> Channel:
    return Channel.CALL_CENTRE if actor.role is Role.CALL_CENTRE else Channel.WEB
