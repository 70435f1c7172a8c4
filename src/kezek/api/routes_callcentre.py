"""The 1414 call-centre API: a caller's bookings by IIN, booking on their behalf, the
"can I do this online?" answer, and video consultations (the waitlist for a caller:
routes_callcentre_waitlist).

Staff only (role call_centre, or admin). A caller's IIN travels only in request
bodies, never in a path or query string, and answers carry it masked.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.auth import CallCentre
from kezek.api.callcentre_lines import WaitlistLine, waitlist_lines
from kezek.api.deps import iin_key, lang, settings_of, tx
from kezek.api.routes_ballot import BallotOut, out_of
from kezek.api.schemas import (
    EXAMPLE_IIN,
    EXAMPLE_START,
    BodyId,
    RowId,
    StatusOut,
    Strict,
    _pick,
    example,
)
from kezek.app import ballot, callcentre, callcentre_waitlist, catalog, video
from kezek.app.actor import Channel
from kezek.app.booking import BookingRequest
from kezek.app.convert import iso_local
from kezek.app.identity.wiring import directory_for
from kezek.core.booking import display_code
from kezek.core.errors import IdentityCheckRequired, ValidationFailed
from kezek.core.policy import Privilege
from kezek.store.models import BookingRow, utcnow
from kezek.store.models_channels import ConsultationRow, VideoHoursRow

router = APIRouter(prefix="/api/v1", tags=["call centre"])
Lang = Literal["kk", "ru", "en"]


# ---- the caller ------------------------------------------------------------------------

CHECKED = ("the operator confirms that the caller's identity was checked (questions "
           "asked); without it the caller's bookings are neither shown nor changed")


class CallerIn(Strict):
    model_config = example(iin=EXAMPLE_IIN, identity_checked=True)
    iin: str = Field(min_length=1, max_length=32, description="the caller's IIN")
    identity_checked: bool = Field(False, description=CHECKED)


def _checked(body: CallerIn | CallerBookingIn | CallerRescheduleIn) -> None:
    """An IIN said on the phone proves nothing: the operator asks the caller questions
    first and says so here; the audit then names the operator who did."""
    if not body.identity_checked:
        raise IdentityCheckRequired()


class BookingLine(BaseModel):
    code: str
    code_display: str
    service: str
    service_name: str
    online: bool
    center: int
    center_name: str
    city: str
    start: str = Field(description="ISO 8601 in the centre's zone")
    status: str
    channel: str
    privilege: str | None


class ConsultationOut(BaseModel):
    id: int
    operator_id: int
    operator: str
    start: str = Field(description="ISO 8601, UTC+5")
    end: str
    iin_masked: str
    service: str | None
    lang: str
    room: str = Field(description="the meeting link, the same for the caller and operator")
    status: Literal["scheduled", "cancelled", "done"]

    @classmethod
    def of(cls, c: ConsultationRow, names: dict[int, str]) -> ConsultationOut:
        return cls(id=c.id, operator_id=c.user_id, operator=names.get(c.user_id, ""),
                   start=video.local(c.starts_at).isoformat(),
                   end=video.local(c.ends_at).isoformat(), iin_masked=c.iin_masked,
                   service=c.service_code, lang=c.lang, room=c.room,
                   status=c.status)  # type: ignore[arg-type]


class CallerOut(BaseModel):
    iin_masked: str
    bookings: list[BookingLine]
    consultations: list[ConsultationOut]
    ballots: list[BallotOut] = Field(description="ballot requests for days from a week ago")
    waitlist: list[WaitlistLine] = Field(description="waitlist entries for days from a week "
                                                     "ago, every status")


async def _lines(s: AsyncSession, rows: list[BookingRow], language: str) -> list[BookingLine]:
    centres = await callcentre.centre_names(s, {r.center_id for r in rows})
    snap = await catalog.snapshot(s)
    out = []
    for r in rows:
        centre, city = centres[r.center_id]
        service = snap.services.get(r.service_code)
        out.append(BookingLine(
            code=r.code, code_display=display_code(r.code), service=r.service_code,
            service_name=service.names.get(language) if service else r.service_code,
            online=bool(service and service.online), center=r.center_id,
            center_name=_pick(centre, "name", language), city=_pick(city, "name", language),
            start=iso_local(r.start_utc, centre.timezone),
            status=r.status, channel=r.channel, privilege=r.privilege))
    return out


def _zone(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


async def _consultations(s: AsyncSession, rows: list[ConsultationRow]) -> list[ConsultationOut]:
    names = await video.operator_names(s, {c.user_id for c in rows})
    return [ConsultationOut.of(c, names) for c in rows]


@router.post("/callcentre/lookup", response_model=CallerOut)
async def lookup(request: Request, body: CallerIn, actor: CallCentre) -> CallerOut:
    """A caller's bookings (every status) and video consultations, by the IIN they give."""
    async with tx(request) as s:
        _checked(body)
        caller = await callcentre.lookup(s, body.iin, iin_key(request), actor)
        entries = await ballot.of_iin(s, body.iin, iin_key(request),
                                      utcnow().date() - dt.timedelta(days=7))
        waits = await callcentre_waitlist.of_caller(s, body.iin, iin_key(request),
                                                    utcnow().date())
        return CallerOut(iin_masked=caller.iin_masked,
                         bookings=await _lines(s, caller.bookings, lang(request)),
                         consultations=await _consultations(s, caller.consultations),
                         ballots=[await out_of(s, e, lang(request))
                                  for e in entries],
                         waitlist=await waitlist_lines(s, waits, lang(request)))


class PointOut(BaseModel):
    name: str
    address: str
    city: str
    hours: dict[str, list[str] | None]
    map: str | None = Field(description="a map link, when the point has coordinates")


class CentreOut(BaseModel):
    id: int
    name: str
    address: str
    city: str
    city_name: str
    booking_only: bool


class AdviceOut(BaseModel):
    service: str
    name: str
    delivery: Literal["online", "paper", "both"]
    online: bool = Field(description="obtainable on the portal")
    portal: str | None = Field(description="where to do it online")
    video: bool = Field(description="a video consultation can help with it")
    centres: list[CentreOut] = Field(description="centres that would take this person")
    points: list[PointOut] = Field(description="self-service points, the caller's city first")


def map_link(lat: float | None, lon: float | None) -> str | None:
    if lat is None or lon is None:
        return None
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"


@router.get("/callcentre/advice", response_model=AdviceOut)
async def advice(request: Request, service: str = Query(max_length=16),
                 privilege: Privilege | None = None,
                 city: str | None = Query(None, max_length=64), *, _staff: CallCentre
                 ) -> AdviceOut:
    """Can the caller do this online? The portal and self-service points if so; the
    centres that would take them (with this privilege) if it needs a visit."""
    language = lang(request)
    async with tx(request) as s:
        found = await callcentre.advice(s, service, privilege, city)
        cities = {ci.slug: ci for _, ci in found.in_person}
    x = found.service
    return AdviceOut(
        service=x.code, name=x.names.get(language), delivery=x.delivery.value,
        online=found.online, portal=settings_of(request).portal_url if found.online else None,
        video=found.online,
        centres=[CentreOut(id=c.id, name=_pick(c, "name", language),
                           address=_pick(c, "address", language), city=c.city,
                           city_name=_pick(cities[c.city], "name", language),
                           booking_only=callcentre.booking_only(c)) for c, _ in found.in_person],
        points=[PointOut(name=_pick(p, "name", language), address=_pick(p, "address", language),
                         city=p.city, hours=p.hours or {}, map=map_link(p.lat, p.lon))
                for p in found.points])


class CallerBookingIn(Strict):
    model_config = example(iin=EXAMPLE_IIN, identity_checked=True, service="01010001",
                           center=1, start=EXAMPLE_START, lang="kk")
    iin: str = Field(min_length=1, max_length=32)
    identity_checked: bool = Field(False, description=CHECKED)
    service: str = Field(min_length=1, max_length=16)
    center: BodyId
    start: dt.datetime = Field(description="slot start, ISO 8601 with offset")
    privilege: Privilege | None = None
    email: str | None = Field(None, max_length=254, description="for reminders, if given")
    lang: Lang = Field("ru", description="the caller's language, for reminders")


class CallerRescheduleIn(Strict):
    model_config = example(iin=EXAMPLE_IIN, identity_checked=True,
                           start="2027-03-16T11:40:00+05:00")
    iin: str = Field(min_length=1, max_length=32)
    identity_checked: bool = Field(False, description=CHECKED)
    start: dt.datetime
    center: BodyId | None = None


async def _one(s: AsyncSession, row: BookingRow, language: str) -> BookingLine:
    return (await _lines(s, [row], language))[0]


@router.post("/callcentre/bookings", status_code=201, response_model=BookingLine)
async def book(request: Request, body: CallerBookingIn, actor: CallCentre) -> BookingLine:
    """Books for the caller, channel call_centre, under the same quotas as every channel."""
    async with tx(request) as s:
        _checked(body)
        row = await callcentre.book_for_caller(s, BookingRequest(
            body.iin, body.service, body.center, body.start, Channel.CALL_CENTRE,
            body.privilege), iin_key(request), actor, body.email, body.lang,
            directory=directory_for(settings_of(request)))
        return await _one(s, row, lang(request))


@router.post("/callcentre/bookings/{code}/cancel", response_model=StatusOut)
async def cancel(request: Request, code: str, body: CallerIn, actor: CallCentre) -> StatusOut:
    async with tx(request) as s:
        _checked(body)
        row = await callcentre.cancel_for_caller(s, code, body.iin, iin_key(request), actor)
    return StatusOut(code=row.code, status=row.status)


@router.post("/callcentre/bookings/{code}/reschedule", response_model=BookingLine)
async def reschedule(request: Request, code: str, body: CallerRescheduleIn,
                     actor: CallCentre) -> BookingLine:
    """Moves the caller's booking; the old time is freed at once and a new code issued."""
    async with tx(request) as s:
        _checked(body)
        row = await callcentre.reschedule_for_caller(s, code, body.iin, body.start,
                                                     iin_key(request), actor, body.center)
        return await _one(s, row, lang(request))


# ---- video consultations ---------------------------------------------------------------

class HoursIn(Strict):
    model_config = example(starts_at="2027-03-15T09:00:00+05:00",
                           ends_at="2027-03-15T13:00:00+05:00", slot_minutes=20)
    starts_at: dt.datetime = Field(description="ISO 8601 with offset")
    ends_at: dt.datetime
    slot_minutes: int = Field(20, description=f"one of {list(video.SLOT_MINUTES)}")


class HoursOut(BaseModel):
    id: int
    operator_id: int
    starts_at: str
    ends_at: str
    slot_minutes: int
    slots: int

    @classmethod
    def of(cls, h: VideoHoursRow) -> HoursOut:
        return cls(id=h.id, operator_id=h.user_id, starts_at=video.local(h.starts_at).isoformat(),
                   ends_at=video.local(h.ends_at).isoformat(), slot_minutes=h.slot_minutes,
                   slots=len(video.cut(h)))


@router.post("/video/hours", status_code=201, response_model=HoursOut)
async def publish_hours(request: Request, body: HoursIn, actor: CallCentre) -> HoursOut:
    """Publishes the signed-in operator's video hours, cut into equal slots."""
    async with tx(request) as s:
        row = await video.publish_hours(s, actor, body.starts_at, body.ends_at,
                                        body.slot_minutes)
    return HoursOut.of(row)


@router.get("/video/hours", response_model=list[HoursOut])
async def my_hours(request: Request, actor: CallCentre) -> list[HoursOut]:
    """The signed-in operator's hours that have not ended."""
    async with tx(request) as s:
        rows = await video.list_hours(s, actor.user_id or 0)
    return [HoursOut.of(h) for h in rows]


class VideoSlotOut(BaseModel):
    hours_id: int
    operator_id: int
    operator: str
    start: str = Field(description="ISO 8601, UTC+5")
    end: str


@router.get("/video/slots", response_model=list[VideoSlotOut])
async def slots(request: Request, from_: dt.date | None = Query(None, alias="from"),
                days: int = Query(7, ge=1, le=31),
                operator: str | None = Query(None, description="`me` or an operator id"), *,
                actor: CallCentre) -> list[VideoSlotOut]:
    """Free video slots of every operator (or of one) from a day, for some days."""
    async with tx(request) as s:
        user_id = actor.user_id if operator == "me" else _int(operator)
        day = from_ or video.local(utcnow()).date()
        first = dt.datetime.combine(day, dt.time(), _zone(video.ZONE))
        found = await video.free_slots(s, first, first + dt.timedelta(days=days),
                                       user_id=user_id)
    return [VideoSlotOut(hours_id=x.hours_id, operator_id=x.user_id, operator=x.operator,
                         start=video.local(x.start).isoformat(),
                         end=video.local(x.end).isoformat()) for x in found]


def _int(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise ValidationFailed(detail="operator: `me` or a number")
    return int(raw)


class ConsultationIn(Strict):
    model_config = example(iin=EXAMPLE_IIN, hours_id=1, start="2027-03-15T09:40:00+05:00",
                           service="01010001", lang="kk")
    iin: str = Field(min_length=1, max_length=32)
    hours_id: BodyId
    start: dt.datetime = Field(description="the slot's start, ISO 8601 with offset")
    service: str | None = Field(None, max_length=16, description="what the caller needs")
    lang: Lang = "ru"


@router.post("/video/consultations", status_code=201, response_model=ConsultationOut)
async def schedule(request: Request, body: ConsultationIn, actor: CallCentre) -> ConsultationOut:
    """Gives the caller a free slot; the answer carries the room link for both sides.
    409 `video_slot_taken` if another operator gave that slot away first."""
    async with tx(request) as s:
        row = await video.schedule(s, video.VideoRequest(
            body.iin, body.hours_id, body.start, body.service, body.lang), iin_key(request),
            actor, settings_of(request).video_room_base)
        return (await _consultations(s, [row]))[0]


@router.post("/video/consultations/{consultation_id}/cancel", response_model=ConsultationOut)
async def cancel_consultation(request: Request, consultation_id: RowId,
                              actor: CallCentre) -> ConsultationOut:
    async with tx(request) as s:
        row = await video.cancel(s, consultation_id, actor)
        return (await _consultations(s, [row]))[0]


@router.get("/video/consultations", response_model=list[ConsultationOut])
async def consultations(request: Request, mine: bool = Query(
        True, description="only the signed-in operator's; false: every operator's"), *,
        actor: CallCentre) -> list[ConsultationOut]:
    """Upcoming scheduled consultations with their room links."""
    async with tx(request) as s:
        if mine:
            rows = await video.of_operator(s, actor.user_id or 0)
        else:
            rows = await video.upcoming(s)
        return await _consultations(s, rows)
