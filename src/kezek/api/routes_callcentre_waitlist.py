"""The waitlist through the 1414 call centre: put a caller in line for a full day, take
them out of it. Their entries come with the caller lookup (`POST /callcentre/lookup`).

Staff only (role call_centre, or admin), under the call centre's identity rule: the
operator says the caller's identity was checked, or nothing is done. The IIN and the
number given for SMS travel only in request bodies and never come back.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from kezek.api.auth import CallCentre
from kezek.api.callcentre_lines import WaitlistLine, waitlist_lines
from kezek.api.deps import iin_key, lang, settings_of, tx
from kezek.api.schemas import EXAMPLE_IIN, EXAMPLE_PHONE, BodyId, CenterQuery, Strict, example
from kezek.app import callcentre_waitlist
from kezek.app.identity.wiring import directory_for
from kezek.core.errors import IdentityCheckRequired
from kezek.core.policy import Privilege
from kezek.display import day_label
from kezek.store.models import utcnow

router = APIRouter(prefix="/api/v1", tags=["call centre"])

CHECKED = ("the operator confirms that the caller's identity was checked (questions "
           "asked); without it nothing is done")


class CallerWaitIn(Strict):
    model_config = example(iin=EXAMPLE_IIN, identity_checked=True, service="01010001",
                           center=1, day="2027-03-15", phone=EXAMPLE_PHONE, lang="kk")
    iin: str = Field(min_length=1, max_length=32)
    identity_checked: bool = Field(False, description=CHECKED)
    service: str = Field(min_length=1, max_length=16)
    center: BodyId
    day: dt.date = Field(description="the full day the caller wants")
    privilege: Privilege | None = None
    phone: str | None = Field(None, max_length=32,
                              description="the caller's mobile, for the offer's SMS")
    email: str | None = Field(None, max_length=254)
    lang: Literal["kk", "ru", "en"] = Field("ru", description="the caller's language")


class CallerEntryIn(Strict):
    model_config = example(iin=EXAMPLE_IIN, identity_checked=True)
    iin: str = Field(min_length=1, max_length=32)
    identity_checked: bool = Field(False, description=CHECKED)


def _checked(body: CallerWaitIn | CallerEntryIn) -> None:
    if not body.identity_checked:
        raise IdentityCheckRequired()


class FullDayOut(BaseModel):
    day: dt.date
    label: str = Field(description="the day as the operator's language writes it")


@router.get("/callcentre/waitlist/days", response_model=list[FullDayOut])
async def full_days(request: Request, center: CenterQuery,
                    service: str = Query(min_length=1, max_length=16),
                    privilege: Privilege | None = None, *, _staff: CallCentre
                    ) -> list[FullDayOut]:
    """The open days with no free time left for the service (and this privilege): the
    days a caller may be put on the waitlist for."""
    async with tx(request) as s:
        days = await callcentre_waitlist.full_days(s, center, service, privilege, utcnow())
    language = lang(request)
    return [FullDayOut(day=d, label=day_label(d, language, short=True)) for d in days]


@router.post("/callcentre/waitlist", status_code=201, response_model=WaitlistLine)
async def join(request: Request, body: CallerWaitIn, actor: CallCentre) -> WaitlistLine:
    """Puts the caller in line for a day with no free time (409 `waitlist_slots_free`
    while the day has one). When a seat frees up it is held for them and they are told
    by SMS (if a number was given and the deployment sends SMS) or e-mail."""
    async with tx(request) as s:
        _checked(body)
        entry = await callcentre_waitlist.join_for_caller(s, callcentre_waitlist.CallerWait(
            iin=body.iin, service=body.service, center=body.center, day=body.day,
            privilege=body.privilege, phone=body.phone, email=body.email, lang=body.lang),
            iin_key(request), actor, directory=directory_for(settings_of(request)))
        return (await waitlist_lines(s, [entry], lang(request)))[0]


@router.post("/callcentre/waitlist/{code}/cancel", response_model=WaitlistLine)
async def leave(request: Request, code: str, body: CallerEntryIn,
                actor: CallCentre) -> WaitlistLine:
    """Takes the caller out of line; a seat held for them passes to the next person."""
    async with tx(request) as s:
        _checked(body)
        entry = await callcentre_waitlist.leave_for_caller(s, code, body.iin,
                                                           iin_key(request), actor)
        return (await waitlist_lines(s, [entry], lang(request)))[0]
