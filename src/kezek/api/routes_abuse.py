"""The abuse API: a day's bookings by phone, address and network; bulk cancel; the
no-show rule and suspensions (ADR 0015).

Admins act on the whole network, managers on their own centres (app/abuse/access.py).
No IIN or phone travels here: groups of phones are keyed by a shortened keyed digest,
people by their row id and masked IIN; an IIN to look up goes in a POST body.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from kezek.api.auth import AbuseStaff, Admin
from kezek.api.deps import iin_key, tx
from kezek.api.schemas import BodyId, IinIn, QueryId, RowId, Strict, example
from kezek.app import catalog, suspension
from kezek.app.abuse import access, bulk, rule_store, summary
from kezek.app.actor import Channel
from kezek.app.catalog import CenterContext
from kezek.app.identity.codes import valid_iin
from kezek.core.abuse import Grouping, mask_address
from kezek.core.privacy import iin_digest
from kezek.store.models import BookingRow

router = APIRouter(prefix="/api/v1/abuse", tags=["abuse"])
API = Channel.API


class ItemOut(BaseModel):
    code: str
    center: BodyId
    start: str  # local time of the centre, ISO 8601
    status: str
    channel: str
    made_at: str


class GroupOut(BaseModel):
    key: str
    label: str
    bookings: int
    active: int
    people: int
    centres: int
    items: list[ItemOut]


class SummaryOut(BaseModel):
    day: dt.date
    by: Grouping
    groups: list[GroupOut]


class CancelIn(Strict):
    """A group of the summary (day, by, key) or booking codes; a reason from the list
    (its words reach the people concerned), and a note for the audit only."""

    model_config = example(day="2027-03-15", by="address", key="203.0.113.45", reason="hoard",
                           note="бір мекенжайдан 40 жазылу / 40 bookings from one address")
    day: dt.date | None = None
    by: Grouping | None = None
    key: str | None = Field(None, min_length=1, max_length=64)
    codes: list[str] = Field(default_factory=list, max_length=bulk.MAX_CODES)
    center: BodyId | None = None
    reason: bulk.Reason
    note: str = Field("", max_length=bulk.NOTE_LIMIT)


class CancelledOut(BaseModel):
    code: str
    center: BodyId
    start: str
    status: str


class CancelOut(BaseModel):
    cancelled: list[CancelledOut]
    unchanged: list[CancelledOut]
    not_found: list[str]


class RuleIn(Strict):
    model_config = example(no_show_rule={"count": 3, "days": 90, "suspend_days": 30})
    no_show_rule: dict[str, Any] | None


class RuleOut(BaseModel):
    no_show_rule: dict[str, int] | None


class SuspensionOut(BaseModel):
    person: int
    iin: str  # masked
    until: str  # ISO 8601, UTC
    missed: int


class LookupOut(BaseModel):
    person: int
    suspension: SuspensionOut | None


def _local(when: dt.datetime, ctx: CenterContext | None) -> str:
    zone = ZoneInfo(ctx.center.timezone if ctx else "Asia/Almaty")
    return when.astimezone(zone).isoformat()


@router.get("/summary", response_model=SummaryOut)
async def get_summary(request: Request, day: dt.date, by: Grouping = Grouping.PHONE,
                      center: QueryId = None, top: int = Query(20, ge=1, le=summary.MAX_TOP),
                      detail: int = Query(20, ge=0, le=summary.MAX_DETAIL), *,
                      actor: AbuseStaff) -> SummaryOut:
    """The day's `top` groups of bookings by phone digest, client address or network
    prefix, largest first, each with its first `detail` bookings."""
    async with tx(request) as s:
        groups = await summary.summary(s, day, by, access.scope(actor, center), top, detail)
        centres = (await catalog.snapshot(s)).centers
    return SummaryOut(day=day, by=by, groups=[GroupOut(
        key=g.key, label=g.label, bookings=g.bookings, active=g.active, people=g.people,
        centres=g.centres, items=[ItemOut(
            code=i.code, center=i.center_id, start=_local(i.start_utc, centres.get(i.center_id)),
            status=i.status, channel=i.channel,
            made_at=_local(i.created_at, centres.get(i.center_id))) for i in g.items])
        for g in groups])


def _out(rows: list[BookingRow], centres: dict[int, CenterContext]) -> list[CancelledOut]:
    return [CancelledOut(code=r.code, center=r.center_id, status=r.status,
                         start=_local(r.start_utc, centres.get(r.center_id))) for r in rows]


@router.post("/cancel", response_model=CancelOut)
async def cancel(request: Request, body: CancelIn, actor: AbuseStaff) -> CancelOut:
    """Cancels a group's (or the codes') active bookings, each through the normal cancel
    path, audited with the staff member and a notice queued to each person. Sending it
    again cancels nothing twice: what is already closed is listed as unchanged."""
    async with tx(request) as s:
        target = bulk.Target(day=body.day, by=body.by, key=body.key, codes=tuple(body.codes))
        done = await bulk.cancel(s, target, body.reason, body.note, actor, API,
                                 access.scope(actor, body.center))
        centres = (await catalog.snapshot(s)).centers
    return CancelOut(cancelled=_out(done.cancelled, centres),
                     unchanged=_out(done.unchanged, centres), not_found=done.not_found)


def export_label(by: Grouping, key: str) -> str:
    """A group as an export names it: an address without its last octet, a phone digest
    shortened; a network prefix is already no one's address."""
    if by is Grouping.ADDRESS:
        return mask_address(key)
    return summary.label_of(by, key)


@router.get("/export", response_class=Response)
async def export(request: Request, day: dt.date, by: Grouping = Grouping.PHONE,
                 center: QueryId = None, top: int = Query(100, ge=1, le=summary.MAX_TOP), *,
                 actor: AbuseStaff) -> Response:
    """The day's groups and their bookings as CSV, for a report: addresses masked."""
    async with tx(request) as s:
        groups = await summary.summary(s, day, by, access.scope(actor, center), top,
                                       summary.MAX_DETAIL)
        centres = (await catalog.snapshot(s)).centers
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["group", "bookings", "code", "center", "start", "status", "channel"])
    for g in groups:
        for i in g.items:
            writer.writerow([export_label(by, g.key), g.bookings, i.code, i.center_id,
                             _local(i.start_utc, centres.get(i.center_id)), i.status,
                             i.channel])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="abuse-{day}-{by.value}.csv"'})


@router.get("/rule", response_model=RuleOut)
async def get_rule(request: Request, _staff: AbuseStaff) -> RuleOut:
    async with tx(request) as s:
        rule = await rule_store.current(s)
    return RuleOut(no_show_rule=rule.to_dict() if rule else None)


@router.put("/rule", response_model=RuleOut)
async def put_rule(request: Request, body: RuleIn, actor: Admin) -> RuleOut:
    """Sets the network's no-show rule `{count, days, suspend_days}`, or null (off)."""
    async with tx(request) as s:
        rule = await rule_store.change(s, body.no_show_rule, actor, API)
    return RuleOut(no_show_rule=rule.to_dict() if rule else None)


def _suspension_out(x: suspension.Suspension) -> SuspensionOut:
    return SuspensionOut(person=x.person_id, iin=x.iin_masked, until=x.until.isoformat(),
                         missed=x.missed)


@router.get("/suspensions", response_model=list[SuspensionOut])
async def suspensions(request: Request, limit: int = Query(200, ge=1, le=1000), *,
                      _staff: AbuseStaff) -> list[SuspensionOut]:
    """Every suspension in force, the latest end first."""
    async with tx(request) as s:
        found = await suspension.in_force(s, limit=limit)
    return [_suspension_out(x) for x in found]


@router.post("/suspensions/lookup", response_model=LookupOut)
async def lookup(request: Request, body: IinIn, _staff: AbuseStaff) -> LookupOut:
    """A person's suspension, by their IIN (in the body, never in the address)."""
    async with tx(request) as s:
        iin = valid_iin(body.iin)
        person = await suspension.person_of_digest(s, iin_digest(iin, iin_key(request)))
        found = await suspension.of_person(s, person)
    return LookupOut(person=person, suspension=_suspension_out(found) if found else None)


class LiftOut(BaseModel):
    person: int
    lifted: bool


@router.post("/suspensions/{person_id}/lift", response_model=LiftOut)
async def lift(request: Request, person_id: RowId, actor: AbuseStaff) -> LiftOut:
    """Lifts a suspension: the person's missed visits so far stop counting. Audited."""
    async with tx(request) as s:
        lifted = await suspension.lift(s, person_id, actor, API)
    return LiftOut(person=person_id, lifted=lifted)
