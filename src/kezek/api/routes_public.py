"""The citizen and integrator API: services, centres, slots and bookings by IIN.

An IIN only ever travels in a POST body: never in a path or a query string, which end
up in access logs and browser histories.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.client import client_address
from kezek.api.deps import actor_of, iin_key, lang, require, settings_of, tx
from kezek.api.identity_deps import notice_number, personal, proof_of
from kezek.api.schemas import (
    BookingIn,
    BookingOut,
    CenterId,
    CenterOut,
    IinIn,
    NamesOut,
    RescheduleIn,
    ServiceOut,
    SlotOut,
    StatusOut,
)
from kezek.app import booking, catalog, contacts, network, registry, situations
from kezek.app.actor import Actor, Channel, Role
from kezek.app.identity.wiring import directory_for
from kezek.app.slots import free_slots
from kezek.core.errors import Forbidden, IdentityCheckRequired, ValidationFailed
from kezek.core.policy import Privilege
from kezek.store.models import CenterRow, CityRow, utcnow

router = APIRouter(prefix="/api/v1")
# An id the integer column can hold: a larger one is a 422, not a database error (500).
# A search's first day: far enough either way for any real question, near enough that
# adding the days asked for can never run past the calendar (9999-12-31 was a 500).
SEARCH_FIRST, SEARCH_LAST = dt.date(2000, 1, 1), dt.date(2999, 12, 31)
STAFF_CHANNELS = {"call_centre": (Role.CALL_CENTRE, Role.MANAGER),
                  "door": (Role.DOOR, Role.OPERATOR, Role.MANAGER)}


@router.get("/services", response_model=list[ServiceOut], tags=["registry"])
async def list_services(
    request: Request, q: str | None = Query(None, max_length=200),
    sector: str | None = None,
    situation: str | None = Query(None, pattern=r"^[0-9]{4}$",
                                  description="A life situation's four-digit code."),
) -> list[ServiceOut]:
    """Services for a citizen's words `q`, best first: official and everyday names and
    abbreviations in Kazakh, Russian or English, any inflection, a typo or two; a code or
    its first digits lists by code. Without `q`, the registry by code."""
    language = lang(request)
    async with tx(request) as s:
        try:
            found = await registry.search(s, q, sector)
        except ValueError as exc:
            raise ValidationFailed(detail="unknown sector") from exc
    if situation:
        found = [x for x in found if x.situation == situation]
    return [ServiceOut.of(x, language) for x in found]


class SituationOut(BaseModel):
    code: str
    name: str
    names: NamesOut
    sector: str
    services: list[str] = Field(description="Codes of the active services in it.")


@router.get("/situations", response_model=list[SituationOut], tags=["registry"])
async def list_situations(request: Request) -> list[SituationOut]:
    """Life situations (the registry's subsections) with their services, for browsing
    when a person does not know a service's name."""
    language = lang(request)
    async with tx(request) as s:
        found = await situations.browse(s)
    return [SituationOut(code=x.code, name=x.names.get(language),
                         names=NamesOut(kk=x.names.kk, ru=x.names.ru, en=x.names.en),
                         sector=x.sector, services=[v.code for v in x.services])
            for x in found]


@router.get("/services/{code}", response_model=ServiceOut, tags=["registry"])
async def get_service(request: Request, code: str) -> ServiceOut:
    async with tx(request) as s:
        return ServiceOut.of(await registry.get(s, code), lang(request))


@router.get("/centers", response_model=list[CenterOut], tags=["network"])
async def list_centers(request: Request, region: str | None = None, city: str | None = None,
                       kind: str | None = None, service: str | None = None) -> list[CenterOut]:
    """Centres, filtered by region (ISO code), city slug, kind, or a service they offer."""
    language = lang(request)
    async with tx(request) as s:
        try:
            rows = await network.list_centers(s, region, city, kind)
        except ValueError as exc:
            raise ValidationFailed(detail="unknown kind") from exc
        if service:
            svc = await registry.get(s, service)
            wanted = "specialised" if svc.specialised_only else "general"
            rows = [(c, ci) for c, ci in rows if c.kind == wanted]
        policies = {c.id: (await catalog.center(s, c.id)).policy for c, _ in rows}
    return [CenterOut.of(c, ci, language, policies[c.id]) for c, ci in rows]


@router.get("/centers/{center_id}", response_model=CenterOut, tags=["network"])
async def get_center(request: Request, center_id: CenterId) -> CenterOut:
    async with tx(request) as s:
        row = await network.center_row(s, center_id)
        city = await s.get(CityRow, row.city)
        assert city is not None
        return CenterOut.of(row, city, lang(request), (await catalog.center(s, row.id)).policy)


@router.get("/centers/{center_id}/slots", response_model=list[SlotOut], tags=["booking"])
async def slots(request: Request, center_id: CenterId, service: str,
                # FastAPI types ge/le as float only; pydantic bounds a date as well.
                from_: dt.date | None = Query(None, alias="from",
                                              ge=SEARCH_FIRST,  # type: ignore[arg-type]
                                              le=SEARCH_LAST),  # type: ignore[arg-type]
                days: int = Query(7, ge=1, le=31),
                privilege: Privilege | None = None) -> list[SlotOut]:
    """Free slots for a service: only times with a free seat are listed."""
    async with tx(request) as s:
        found = await free_slots(s, center_id, service, from_, days, utcnow(), privilege)
    return [SlotOut(start=f.start.isoformat(), free=f.free) for f in found]


async def _staff_or_citizen(request: Request, s: AsyncSession, channel: str | None,
                            identity_checked: bool) -> tuple[Actor, Channel]:
    """The actor and the channel, labelled by the server: a staff channel needs its
    staff token (and the call centre its identity check); `bot` is the bot's own, never
    an API client's."""
    if channel == "bot":
        raise Forbidden()
    if channel in STAFF_CHANNELS:
        actor = await require(request, s, *STAFF_CHANNELS[channel])
        if channel == "call_centre" and not identity_checked:
            raise IdentityCheckRequired()
        return actor, Channel(channel)
    actor = await actor_of(request, s)
    if actor.role is Role.CALL_CENTRE:
        if not identity_checked:
            raise IdentityCheckRequired()
        return actor, Channel.CALL_CENTRE
    return actor, Channel.WEB


def origin(request: Request, address: str) -> dict[str, str]:
    """What the audit keeps of where a personal action came from: the client address
    (trusted as `client_address` says) and the proven number's digest."""
    proof = proof_of(request)
    out = {"addr": address}
    if proof is not None:
        out["phone"] = proof.phone_hash[:16]
        out["proof"] = proof.method
    return out


@router.post("/bookings", status_code=201, response_model=BookingOut, tags=["booking"])
async def create_booking(request: Request, body: BookingIn) -> BookingOut:
    """Books a visit by IIN, with a proof of identity for that IIN (`Authorization:
    Bearer kzp.…` from `/identity/verify`). Staff channels (call_centre, door) need a
    staff token instead."""
    async with tx(request) as s:
        actor, channel = await _staff_or_citizen(request, s, body.channel,
                                                 body.identity_checked)
        iin = await personal(request, s, body.iin, actor, channel)
        row = await booking.book(s, booking.BookingRequest(
            iin=iin, service=body.service, center=body.center, start=body.start,
            channel=channel, privilege=body.privilege,
            origin=origin(request, client_address(request))), iin_key(request), actor,
            alone=True, directory=directory_for(settings_of(request)))
        phone = await notice_number(request, s, iin)
        if phone is not None:  # told by SMS if staff cancel it (ADR 0020)
            contacts.keep_number(s, row.id, row.person_id, phone, iin_key(request),
                                 lang(request))
        tz = (await catalog.center(s, row.center_id)).center.timezone
    return BookingOut.of(row, tz)


@router.post("/bookings/search", response_model=list[BookingOut], tags=["booking"])
async def search_bookings(request: Request, body: IinIn) -> list[BookingOut]:
    """A person's active bookings (their personal cabinet), with a proof for the IIN."""
    async with tx(request) as s:
        actor = await actor_of(request, s)
        channel = Channel.CALL_CENTRE if actor.role is Role.CALL_CENTRE else Channel.WEB
        iin = await personal(request, s, body.iin, actor, channel, rule="lookup")
        rows = await booking.find_for_person(s, iin, iin_key(request))
        zones = await _zones(s, {r.center_id for r in rows})
    return [BookingOut.of(r, zones[r.center_id]) for r in rows]


@router.post("/bookings/{code}", response_model=BookingOut, tags=["booking"])
async def get_booking(request: Request, code: str, body: IinIn) -> BookingOut:
    """One booking, by its code and the IIN it was made with (and a proof for it)."""
    async with tx(request) as s:
        actor = await actor_of(request, s)
        channel = Channel.CALL_CENTRE if actor.role is Role.CALL_CENTRE else Channel.WEB
        iin = await personal(request, s, body.iin, actor, channel, rule="lookup")
        row = await booking.get_owned(s, code, iin, iin_key(request))
        zones = await _zones(s, {row.center_id})
    return BookingOut.of(row, zones[row.center_id])


@router.post("/bookings/{code}/cancel", response_model=StatusOut, tags=["booking"])
async def cancel_booking(request: Request, code: str, body: IinIn) -> StatusOut:
    async with tx(request) as s:
        actor = await actor_of(request, s)
        channel = Channel.CALL_CENTRE if actor.role is Role.CALL_CENTRE else Channel.WEB
        iin = await personal(request, s, body.iin, actor, channel, rule="lookup")
        row = await booking.cancel(s, code, iin, iin_key(request), actor, channel)
    return StatusOut(code=row.code, status=row.status)


@router.post("/bookings/{code}/reschedule", response_model=BookingOut, tags=["booking"])
async def reschedule_booking(request: Request, code: str, body: RescheduleIn) -> BookingOut:
    """Moves a booking; the old time is freed in the same transaction. A new code is issued."""
    async with tx(request) as s:
        actor, channel = await _staff_or_citizen(request, s, body.channel,
                                                 body.identity_checked)
        iin = await personal(request, s, body.iin, actor, channel)
        row = await booking.reschedule(s, code, iin, body.start, iin_key(request), actor,
                                       channel, center_id=body.center,
                                       origin=origin(request, client_address(request)))
        zones = await _zones(s, {row.center_id})
    return BookingOut.of(row, zones[row.center_id])


async def _zones(s, ids: set[int]) -> dict[int, str]:  # type: ignore[no-untyped-def]
    if not ids:
        return {}
    rows = await s.execute(select(CenterRow.id, CenterRow.timezone).where(CenterRow.id.in_(ids)))
    return {i: tz for i, tz in rows.all()}
