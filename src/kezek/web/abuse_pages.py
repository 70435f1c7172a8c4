"""The staff abuse page: a day's bookings by phone, address and network, a bulk cancel
with a confirmation step, and the no-show suspensions (ADR 0015).

Plain server-rendered forms that work without JavaScript: the groupings are links, a
group's bookings open in a <details>, the cancel asks first on a page of its own (a GET
that changes nothing) and is done by a POST with the CSRF token. An IIN to check goes
only in a POST body; the page shows it masked. Admins see the network, managers their
own centres (app/abuse/access.py), as in the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.deps import actor_of, iin_key, tx
from kezek.app import catalog, suspension
from kezek.app.abuse import access, bulk, summary
from kezek.app.actor import Actor, Channel
from kezek.app.identity.codes import valid_iin
from kezek.core import iin as iin_rules
from kezek.core.abuse import Grouping
from kezek.core.booking import display_code
from kezek.core.errors import KezekError, NotFound
from kezek.core.privacy import iin_digest
from kezek.store.models import utcnow
from kezek.web.i18n_abuse import ab
from kezek.web.i18n_ui import ui
from kezek.web.render import Problem, env, lang_of, message_page, problem_of, render
from kezek.web.security import checked_form, field

router = APIRouter(include_in_schema=False)
PATH = "/staff/abuse"
ZONE = ZoneInfo("Asia/Almaty")
DETAIL = 50

env.globals["ab"] = ab


async def _staff(request: Request, s: AsyncSession) -> Actor | Response:
    """The admin or manager on the page, or the answer for anyone else."""
    actor = await actor_of(request, s)
    if not actor.is_staff:
        return RedirectResponse(f"/staff/login?next={PATH}", status_code=303)
    if actor.role not in access.ROLES:
        lang = lang_of(request)
        return message_page(request, 403, "forbidden_title", ui("forbidden_body", lang),
                            ("/staff", ui("staff_home", lang)))
    return actor


def _params(request: Request, lang: str) -> tuple[dt.date, Grouping, int | None,
                                                  list[Problem]]:
    """The view's day, grouping and centre from the query; problems for bad ones."""
    q = request.query_params
    problems = []
    day = utcnow().astimezone(ZONE).date()
    try:
        if q.get("day"):
            day = dt.date.fromisoformat(q["day"])
    except ValueError:
        problems.append(Problem(ab("bad_day", lang), "#day", "day"))
    by = Grouping.PHONE
    try:
        by = Grouping(q.get("by") or "phone")
    except ValueError:
        problems.append(Problem(ab("bad_by", lang), "#by-phone", None))
    raw = q.get("center") or ""
    center = int(raw) if raw.isdigit() else None
    return day, by, center, problems


def _centre_name(ctx: Any, lang: str) -> str:
    if ctx is None:
        return "?"
    return str(ctx.center.names.get(lang) or ctx.center.slug)


def _when(at: dt.datetime, ctx: Any) -> str:
    zone = ZoneInfo(ctx.center.timezone) if ctx is not None else ZONE
    return f"{at.astimezone(zone):%d.%m.%Y %H:%M}"


def _item(i: summary.Item, centres: dict[int, Any], lang: str) -> dict[str, str]:
    ctx = centres.get(i.center_id)
    return {"code": display_code(i.code), "centre": _centre_name(ctx, lang),
            "when": _when(i.start_utc, ctx), "made": _when(i.created_at, ctx),
            "status": i.status, "status_text": ui(f"status_{i.status}", lang),
            "channel": ab(f"ch_{i.channel}", lang)}


def _link(**params: object) -> str:
    return f"{PATH}?{urlencode({k: v for k, v in params.items() if v is not None})}"


async def _suspensions(s: AsyncSession, lang: str) -> dict[str, Any]:
    rule = await catalog.no_show_rule(s)
    listed = await suspension.in_force(s)
    return {"rule": rule, "suspended": [
        {"person": x.person_id, "iin": x.iin_masked, "missed": x.missed,
         "until": suspension.until_text(x.until, "Asia/Almaty")} for x in listed]}


async def _page(request: Request, s: AsyncSession, actor: Actor, *, status: int = 200,
                problems: list[Problem] | None = None, notice: str | None = None
                ) -> Response:
    lang = lang_of(request)
    day, by, center, bad = _params(request, lang)
    problems = [*bad, *(problems or [])]
    try:
        scope = access.scope(actor, center)
    except KezekError:
        scope, center = access.scope(actor, None), None
    snap = await catalog.snapshot(s)
    groups = [] if bad else await summary.summary(s, day, by, scope, top=30, detail=DETAIL)
    network_wide = access.scope(actor, None) is None
    mine = sorted(snap.centers) if network_wide else sorted(actor.centers & set(snap.centers))
    return render(
        request, "staff_abuse.html", status=status if not bad else 422, private=True,
        problems=problems, here=_link(day=day.isoformat(), by=by.value, center=center),
        day=day.isoformat(), by=by.value, center=center, notice=notice, detail=DETAIL,
        groupings=[(g.value, _link(day=day.isoformat(), by=g.value, center=center))
                   for g in Grouping],
        centres=[(c, _centre_name(snap.centers[c], lang)) for c in mine],
        groups=[{"label": g.label, "bookings": g.bookings, "active": g.active,
                 "people": g.people, "centres": g.centres,
                 "rows": [_item(i, snap.centers, lang) for i in g.items],
                 "cancel": f"{PATH}/cancel?" + urlencode(
                     {"day": day.isoformat(), "by": by.value, "key": g.key,
                      **({"center": center} if center else {})})} for g in groups],
        **await _suspensions(s, lang))


@router.get(PATH)
async def abuse_page(request: Request) -> Response:
    async with tx(request) as s:
        actor = await _staff(request, s)
        if isinstance(actor, Response):
            return actor
        return await _page(request, s, actor)


def _target(values: dict[str, str]) -> tuple[dt.date, Grouping, str, int | None] | None:
    try:
        day, by = dt.date.fromisoformat(values.get("day", "")), Grouping(values.get("by", ""))
    except ValueError:
        return None
    key = values.get("key", "")
    center = values.get("center", "")
    if not key or len(key) > 64:
        return None
    return day, by, key, int(center) if center.isdigit() else None


async def _confirm(request: Request, s: AsyncSession, actor: Actor,
                   target: tuple[dt.date, Grouping, str, int | None], *, status: int = 200,
                   problems: list[Problem] | None = None, note: str = "") -> Response:
    lang = lang_of(request)
    day, by, key, center = target
    rows = await summary.members(s, day, by, key, access.scope(actor, center))
    active = [r for r in rows if r.status == "active"]
    snap = await catalog.snapshot(s)
    return render(
        request, "staff_abuse_confirm.html", status=status, private=True,
        problems=problems or [], here=f"{PATH}/cancel?" + urlencode(
            {"day": day.isoformat(), "by": by.value, "key": key,
             **({"center": center} if center else {})}),
        day=day.isoformat(), day_text=f"{day:%d.%m.%Y}", by=by.value, key=key,
        center=center or "", note=note,
        source=summary.label_of(by, key), reasons=[r.value for r in bulk.Reason],
        back=_link(day=day.isoformat(), by=by.value, center=center),
        items=[{"code": display_code(r.code), "centre": _centre_name(
            snap.centers.get(r.center_id), lang), "when": _when(
            r.start_utc, snap.centers.get(r.center_id))} for r in active])


@router.get(f"{PATH}/cancel")
async def cancel_form(request: Request) -> Response:
    """What a bulk cancel would do, asked before it is done (a GET changes nothing)."""
    target = _target(dict(request.query_params))
    async with tx(request) as s:
        actor = await _staff(request, s)
        if isinstance(actor, Response):
            return actor
        if target is None:
            return await _page(request, s, actor, status=422, problems=[
                Problem(ab("bad_by", lang_of(request)), "#by-phone")])
        try:
            return await _confirm(request, s, actor, target)
        except KezekError as exc:
            return await _page(request, s, actor, status=exc.status,
                               problems=[problem_of(exc, lang_of(request), "#main")])


@router.post(f"{PATH}/cancel")
async def cancel(request: Request) -> Response:
    """Cancels the group's active bookings, after the confirmation page."""
    form = await checked_form(request)
    values = {k: field(form, k, 64) for k in ("day", "by", "key", "center", "reason")}
    note = field(form, "note", bulk.NOTE_LIMIT)
    target = _target(values)
    lang = lang_of(request)
    async with tx(request) as s:
        actor = await _staff(request, s)
        if isinstance(actor, Response):
            return actor
        if target is None:
            return await _page(request, s, actor, status=422, problems=[
                Problem(ab("bad_by", lang), "#by-phone")])
        try:
            reason = bulk.Reason(values["reason"])
        except ValueError:
            return await _confirm(request, s, actor, target, status=422, note=note,
                                  problems=[Problem(ab("choose_reason", lang),
                                                    "#reason-hoard", "reason")])
        day, by, key, center = target
        try:
            done = await bulk.cancel(s, bulk.Target(day=day, by=by, key=key), reason, note,
                                     actor, Channel.WEB, access.scope(actor, center))
        except KezekError as exc:
            return await _confirm(request, s, actor, target, status=exc.status, note=note,
                                  problems=[problem_of(exc, lang, "#main")])
        snap = await catalog.snapshot(s)
    return render(request, "staff_abuse_done.html", private=True, here=PATH,
                  back=_link(day=day.isoformat(), by=by.value, center=center),
                  cancelled=[{"code": display_code(r.code), "when": _when(
                      r.start_utc, snap.centers.get(r.center_id))} for r in done.cancelled],
                  unchanged=len(done.unchanged))


@router.post(f"{PATH}/lift")
async def lift(request: Request) -> Response:
    form = await checked_form(request)
    raw = field(form, "person", 20)
    lang = lang_of(request)
    async with tx(request) as s:
        actor = await _staff(request, s)
        if isinstance(actor, Response):
            return actor
        try:
            if not raw.isdigit():
                raise NotFound(entity="person")
            lifted = await suspension.lift(s, int(raw), actor, Channel.WEB)
        except KezekError as exc:
            return await _page(request, s, actor, status=exc.status,
                               problems=[problem_of(exc, lang, "#suspensions")])
        return await _page(request, s, actor, notice=ab(
            "lifted" if lifted else "not_suspended", lang))


@router.post(f"{PATH}/lookup")
async def lookup(request: Request) -> Response:
    """A person's suspension by IIN: the IIN comes in the body and is shown masked."""
    form = await checked_form(request)
    raw = field(form, "iin", 40)
    lang = lang_of(request)
    async with tx(request) as s:
        actor = await _staff(request, s)
        if isinstance(actor, Response):
            return actor
        try:
            iin = valid_iin(raw)
            person = await suspension.person_of_digest(s, iin_digest(iin, iin_key(request)))
            found = await suspension.of_person(s, person, utcnow())
        except KezekError as exc:
            return await _page(request, s, actor, status=exc.status,
                               problems=[problem_of(exc, lang, "#iin", "iin")])
        masked = iin_rules.mask(iin)
        text = ab("lookup_free", lang, iin=masked) if found is None else ab(
            "lookup_suspended", lang, iin=masked, n=found.missed,
            until=suspension.until_text(found.until, "Asia/Almaty"))
        return await _page(request, s, actor, notice=text)
