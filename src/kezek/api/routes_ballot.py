"""The ballot API (fair release, ADR 13): enter a day's ballot, see one's own request.

Entering is a personal action like a booking: `personal()` throttles and requires the
proof of identity for the IIN in the body. A request is seen by its code and the IIN in
a POST body, or with a GET by the proven person alone (the proof names them); an IIN is
never in a path or a query string.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.deps import actor_of, iin_key, lang, require, settings_of, tx
from kezek.api.identity_deps import notice_number, personal, proof_of
from kezek.api.schemas import (
    EXAMPLE_IIN,
    EXAMPLE_START,
    BodyId,
    BookingOut,
    CenterQuery,
    IinIn,
    Strict,
    _pick,
    example,
)
from kezek.app import ballot, catalog, network
from kezek.app.actor import Actor, Channel, Role
from kezek.app.convert import iso_local
from kezek.app.identity.wiring import directory_for
from kezek.core.booking import display_code
from kezek.core.errors import IdentityCheckRequired, NotFound, Unauthorized
from kezek.core.policy import Privilege
from kezek.store.models_release import BallotEntryRow

router = APIRouter(prefix="/api/v1", tags=["ballot"])


class BallotIn(Strict):
    model_config = example(iin=EXAMPLE_IIN, center=1, day="2027-03-15", service="01010001",
                           choices=[EXAMPLE_START, "2027-03-15T11:00:00+05:00"], lang="kk")
    iin: str = Field(min_length=1, max_length=32)
    center: BodyId
    day: dt.date
    service: str = Field(min_length=1, max_length=8)
    choices: list[dt.datetime] = Field(min_length=1, max_length=3,
                                       description="slot starts, best first, ISO 8601 "
                                                   "with offset")
    privilege: Privilege | None = None
    email: str | None = Field(None, max_length=254)
    lang: Literal["kk", "ru", "en"] | None = None
    channel: Literal["web", "call_centre"] = "web"
    identity_checked: bool = Field(False, description="call_centre only: the operator "
                                   "confirms the caller's identity was checked (questions "
                                   "asked), as for a call-centre booking")


class BallotOut(BaseModel):
    code: str
    code_display: str
    iin_masked: str
    center: int
    day: dt.date
    service: str
    service_name: str = Field(description="in the request's language")
    center_name: str = Field(description="in the request's language")
    channel: str = Field(description="where the request was made: web, bot, call_centre")
    choices: list[str] = Field(description="the ranked starts, local ISO 8601")
    status: Literal["entered", "won", "lost"]
    draw_at: str | None = Field(description="when the seats are drawn (local ISO 8601)")
    won_choice: int | None = Field(description="0 for the first choice; null unless won")
    booking: BookingOut | None = Field(description="the booking won, if any")


async def _out(s: AsyncSession, e: BallotEntryRow, language: str) -> BallotOut:
    tz = (await catalog.center(s, e.center_id)).center.timezone
    centre = await network.center_row(s, e.center_id)
    service = (await catalog.snapshot(s)).services.get(e.service_code)
    won = await ballot.won_booking(s, e)
    draw_at = await ballot.draw_time(s, e.center_id, e.day)
    return BallotOut(
        code=e.code, code_display=display_code(e.code), iin_masked=e.iin_masked,
        center=e.center_id, day=e.day, service=e.service_code,
        service_name=service.names.get(language) if service else e.service_code,
        center_name=_pick(centre, "name", language), channel=e.channel,
        choices=[iso_local(dt.datetime.fromisoformat(c), tz) for c in e.choices],
        status=e.status,  # type: ignore[arg-type]
        draw_at=iso_local(draw_at, tz) if draw_at else None, won_choice=e.won_choice,
        booking=BookingOut.of(won, tz) if won is not None else None)


async def out_of(s: AsyncSession, e: BallotEntryRow, language: str) -> BallotOut:
    """The API's view of a request (the call-centre lookup lists them too)."""
    return await _out(s, e, language)


class OpenBallotOut(BaseModel):
    open: bool = Field(description="whether a day of this centre takes requests now")
    day: dt.date | None = None
    draw_at: str | None = Field(default=None, description="when requests close and seats "
                                "are drawn (local ISO 8601)")
    starts: list[str] = Field(default_factory=list, description="the times a request may "
                              "choose for the service, local ISO 8601")


@router.get("/ballot/open", response_model=OpenBallotOut)
async def open_day(request: Request, center: CenterQuery, service: str = Query(max_length=8)
                   ) -> OpenBallotOut:
    """Whether the centre's newest day is in its ballot now, until when, and the times a
    request for the service may choose: what a client shows in place of free slots."""
    async with tx(request) as s:
        found = await ballot.open_ballot(s, center)
        if found is None:
            return OpenBallotOut(open=False)
        tz = (await catalog.center(s, center)).center.timezone
        starts = await ballot.ballot_starts(s, center, service, found.day)
    return OpenBallotOut(open=True, day=found.day, draw_at=iso_local(found.closes, tz),
                         starts=[iso_local(x, tz) for x in starts])


def _channel(actor: Actor) -> Channel:
    return Channel.CALL_CENTRE if actor.role is Role.CALL_CENTRE else Channel.WEB


@router.post("/ballot", status_code=201, response_model=BallotOut)
async def enter(request: Request, body: BallotIn) -> BallotOut:
    """Enters the ballot of a centre's newly opened day: one request per person, centre
    and day, with up to three ranked times of one service.

    Taken only during the first `ballot_minutes` after the day opens (409
    `ballot_closed` otherwise). At the end of the window the seats are drawn at random;
    each request gets its best choice still free within the quotas, or none. The result
    is sent by e-mail if one was given, and shown here.
    """
    async with tx(request) as s:
        if body.channel == "call_centre":
            actor = await require(request, s, Role.CALL_CENTRE, Role.MANAGER)
            if not body.identity_checked:  # a number said on the phone proves nothing
                raise IdentityCheckRequired()
        else:
            actor = await actor_of(request, s)
        iin = await personal(request, s, body.iin, actor, Channel(body.channel))
        entry = await ballot.submit(s, ballot.BallotRequest(
            iin=iin, center=body.center, day=body.day, service=body.service,
            choices=tuple(body.choices), channel=Channel(body.channel),
            privilege=body.privilege, email=body.email, lang=body.lang or lang(request),
            phone=await notice_number(request, s, iin)), iin_key(request), actor,
            directory=directory_for(settings_of(request)))
        return await _out(s, entry, lang(request))


@router.get("/ballot", response_model=BallotOut)
async def mine(request: Request, center: CenterQuery, day: dt.date) -> BallotOut:
    """The proven person's request for a centre and day (a `kzp.` proof is required)."""
    proof = proof_of(request)
    if proof is None or proof.expires_at <= time.time():
        raise Unauthorized()
    async with tx(request) as s:
        entry = await ballot.find_for_person(s, proof.iin_hash, center, day)
        if entry is None:
            raise NotFound(entity="ballot")
        return await _out(s, entry, lang(request))


@router.post("/ballot/{code}", response_model=BallotOut)
async def get_entry(request: Request, code: str, body: IinIn) -> BallotOut:
    """One ballot request, by its code and the IIN it was made with."""
    async with tx(request) as s:
        actor = await actor_of(request, s)
        iin = await personal(request, s, body.iin, actor, _channel(actor), rule="lookup")
        return await _out(s, await ballot.get_owned(s, code, iin, iin_key(request)),
                          lang(request))
