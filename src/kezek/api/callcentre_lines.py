"""A caller's waitlist entries as the 1414 console shows them: with the service's and
centre's names in the operator's language, so the console need not look them up.

Kept apart from the routes so that the caller lookup (routes_callcentre) and the
waitlist routes (routes_callcentre_waitlist) share it without importing each other.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.routes_waitlist import OfferOut
from kezek.api.schemas import _pick
from kezek.app import callcentre, catalog, waitlist
from kezek.app.convert import iso_local
from kezek.core.booking import display_code
from kezek.store.models_jobs import WaitlistEntryRow


class WaitlistLine(BaseModel):
    code: str
    code_display: str
    service: str
    service_name: str
    center: int
    center_name: str
    city: str
    day: dt.date
    status: Literal["waiting", "offered", "accepted", "expired", "cancelled"]
    position: int | None = Field(description="1 for the first in line; null unless waiting")
    privilege: str | None
    sms: bool = Field(description="a number is kept for the offer's SMS")
    email: bool = Field(description="an e-mail is kept for the offer's message")
    offer: OfferOut | None = Field(description="the held seat (offered) or the booking "
                                               "(accepted)")


async def waitlist_lines(s: AsyncSession, rows: list[WaitlistEntryRow], language: str
                         ) -> list[WaitlistLine]:
    centres = await callcentre.centre_names(s, {r.center_id for r in rows})
    snap = await catalog.snapshot(s)
    out = []
    for e in rows:
        centre, city = centres[e.center_id]
        service = snap.services.get(e.service_code)
        offer = None
        held = await waitlist.held_booking(s, e)
        if held is not None and e.status in (waitlist.OFFERED, waitlist.ACCEPTED):
            until = e.offer_expires_at if e.status == waitlist.OFFERED else None
            offer = OfferOut(start=iso_local(held.start_utc, centre.timezone),
                             held_until=iso_local(until, centre.timezone) if until else None,
                             booking_code=held.code)
        out.append(WaitlistLine(
            code=e.code, code_display=display_code(e.code), service=e.service_code,
            service_name=service.names.get(language) if service else e.service_code,
            center=e.center_id, center_name=_pick(centre, "name", language),
            city=_pick(city, "name", language), day=e.day,
            status=e.status,  # type: ignore[arg-type]
            position=await waitlist.position(s, e), privilege=e.privilege,
            sms=e.phone_cipher is not None, email=e.email is not None, offer=offer))
    return out
