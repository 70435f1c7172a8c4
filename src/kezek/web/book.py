"""Booking a visit: a day and a time, then the IIN, then the booking code.

GET pages only read; the one POST (the IIN) books, then redirects to the code page
(Post/Redirect/Get). The IIN travels only in that POST body and is never shown back.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from kezek.api.client import client_address
from kezek.api.deps import actor_of, iin_key, settings_of, tx
from kezek.api.identity_deps import notice_number
from kezek.app import booking, catalog, contacts, network, registry, waitlist
from kezek.app.actor import Channel
from kezek.app.identity import proof as proofs
from kezek.app.identity.wiring import directory_for
from kezek.app.slots import MAX_DAYS, FreeSlot, free_slots
from kezek.core.booking import normalize_code
from kezek.core.errors import KezekError, NotFound, ServiceNotOffered
from kezek.core.policy import Privilege
from kezek.display import address_in, day_label, full_date
from kezek.store.models import BookingRow, utcnow
from kezek.web import identity
from kezek.web.i18n_ui import ui
from kezek.web.qr_code import visit_aids
from kezek.web.release_note import release_note
from kezek.web.render import (
    Problem,
    error_page,
    lang_of,
    message_page,
    not_found_page,
    problem_of,
    render,
    with_query,
)
from kezek.web.security import checked_form, field
from kezek.web.views import (
    booking_view,
    name_in,
    parse_day,
    parse_privilege,
    parse_start,
    privilege_required,
    service_view,
)

router = APIRouter(include_in_schema=False)
DAYS_SHOWN = 10
SESSION_BOOKED = "kezek_booked"
# Bookings shown in this browser after their code and IIN were proved (the find page):
# their calendar file may be downloaded here, as a booking made here may.
SESSION_SHOWN = "kezek_shown"
PRIVILEGES = [p.value for p in Privilege]


def remember(request: Request, key: str, code: str) -> None:
    """Marks a booking code as this browser's own, for the page shown after a POST."""
    codes = [c for c in request.session.get(key, []) if c != code]
    request.session[key] = [*codes, code][-5:]


def owned_here(request: Request, code: str) -> bool:
    """Whether this browser's session holds the booking: made or moved here, or shown
    here after its code and IIN were proved."""
    return any(code in request.session.get(k, []) for k in (SESSION_BOOKED, SESSION_SHOWN))


async def remembered_page(request: Request, key: str, code: str, template: str,
                          **ctx: Any) -> Response:
    """A page about a booking this browser made or cancelled (remembered in its session);
    an active one shows its QR code and calendar link.

    Anyone else gets "not found" and a link to find a booking with its code and IIN.
    """
    lang = lang_of(request)
    code = normalize_code(code)
    if code not in request.session.get(key, []):
        return message_page(request, 404, "not_found_title", ui("done_unknown", lang),
                            ("/bookings/find", ui("find_title", lang)))
    async with tx(request) as s:
        row = await s.scalar(select(BookingRow).where(BookingRow.code == code))
        view = await booking_view(s, row, lang) if row is not None else None
    if view is None:
        return not_found_page(request)
    return render(request, template, booking={**view, **visit_aids(view, lang)}, private=True,
                  **ctx)


def book_path(code: str, center_id: int, **params: str | None) -> str:
    return with_query(f"/book/{code}/{center_id}", **params)


def centre_id(raw: str) -> int | None:
    """A centre id from a path: anything but a plain number is a page not found."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


@router.get("/book/{code}/{center}", response_class=HTMLResponse)
async def choose_time(request: Request, code: str, center: str, day: str | None = None,
                      privilege: str | None = None, asked: str | None = None) -> Response:
    center_id = centre_id(center)
    if center_id is None:
        return not_found_page(request)
    return await time_page(request, code, center_id, parse_day(day), privilege, asked == "1")


async def time_page(request: Request, code: str, center_id: int, day: dt.date | None,
                    privilege_raw: str | None, asked: bool = False,
                    problems: list[Problem] | None = None, status: int = 200) -> Response:
    """The days with free times, and the free times of the chosen day as radio buttons."""
    lang = lang_of(request)
    privilege = parse_privilege(privilege_raw)
    refused: ServiceNotOffered | None = None
    slots = []
    open_days: list[dt.date] = []
    release: dict[str, Any] | None = None
    try:
        async with tx(request) as s:
            service = await registry.get(s, code)
            row = await network.center_row(s, center_id)
            required = await privilege_required(s, row, service)
            if privilege is not None or not required:
                now = utcnow()
                try:
                    slots = await free_slots(s, center_id, service.code, None, MAX_DAYS,
                                             now, privilege)
                    open_days = await waitlist.open_days(s, center_id, now)
                    release = await release_note(s, center_id, service.code, lang, now)
                except ServiceNotOffered as exc:
                    refused = exc
    except NotFound:
        return not_found_page(request)
    except KezekError as exc:
        return error_page(request, exc)
    centre = {"id": row.id, "name": name_in(row, lang), "address": address_in(row, lang)}
    ctx: dict[str, Any] = {"service": service_view(service, lang), "centre": centre,
                           "back": f"/services/{service.code}"}
    if refused is not None:
        return message_page(request, 422, "not_offered_title",
                            problem_of(refused, lang, "#").text,
                            (f"/services/{service.code}", ui("other_centre", lang)))
    if required and privilege is None:
        if privilege_raw == "none":
            return render(request, "go_online.html", **ctx)
        errors = [Problem(ui("choose_option", lang), "#privilege-pensioner", "privilege")] \
            if asked else []
        return render(request, "privilege.html", status=422 if errors else 200,
                      problems=errors, privileges=PRIVILEGES,
                      action=book_path(service.code, center_id), **ctx)
    days = shown_days({d: list(g) for d, g in groupby(slots, key=lambda x: x.start.date())},
                      open_days)
    chosen = next((d for d, _ in days if d == day),
                  next((d for d, free in days if free), days[0][0] if days else None))
    priv_param = privilege.value if privilege else None
    day_links = [{"label": day_label(d, lang), "current": d == chosen, "full": not free,
                  "url": book_path(service.code, center_id, day=d.isoformat(),
                                   privilege=priv_param)} for d, free in days]
    times = [{"value": x.start.isoformat(), "label": x.start.strftime("%H:%M")}
             for d, group in days if d == chosen for x in group]
    waitlist_url = with_query(f"/book/{service.code}/{center_id}/waitlist",
                              day=chosen.isoformat(), privilege=priv_param) \
        if chosen and not times else None
    return render(
        request, "book.html", status=status, problems=problems or [], days=day_links,
        times=times, chosen=chosen.isoformat() if chosen else "",
        chosen_label=day_label(chosen, lang) if chosen else "", privilege=priv_param or "none",
        privilege_fixed=required, privileges=PRIVILEGES, waitlist_url=waitlist_url,
        release=release, action=f"/book/{service.code}/{center_id}/confirm", **ctx)


def shown_days(free: dict[dt.date, list[FreeSlot]], open_days: list[dt.date]
               ) -> list[tuple[dt.date, list[FreeSlot]]]:
    """The first DAYS_SHOWN days with free times, and the fully booked open days among
    and before them (a person may join the waitlist for those), in date order."""
    out: list[tuple[dt.date, list[FreeSlot]]] = []
    with_times = 0
    for d in sorted(set(free) | set(open_days)):
        if with_times == DAYS_SHOWN or len(out) == 2 * DAYS_SHOWN:
            break
        out.append((d, free.get(d, [])))
        with_times += d in free
    return out


@router.get("/book/{code}/{center}/confirm", response_class=HTMLResponse)
async def confirm(request: Request, code: str, center: str, start: str | None = None,
                  privilege: str | None = None, day: str | None = None) -> Response:
    center_id = centre_id(center)
    if center_id is None:
        return not_found_page(request)
    when = parse_start(start)
    if when is None:
        lang = lang_of(request)
        return await time_page(request, code, center_id, parse_day(day), privilege,
                               problems=[Problem(ui("choose_time", lang), "#times", "start")],
                               status=422)
    return await confirm_page(request, code, center_id, when, privilege)


async def confirm_page(request: Request, code: str, center_id: int, when: dt.datetime,
                       privilege_raw: str | None, problems: list[Problem] | None = None,
                       status: int = 200, note_mine: bool = False) -> Response:
    lang = lang_of(request)
    privilege = parse_privilege(privilege_raw)
    try:
        async with tx(request) as s:
            service = await registry.get(s, code)
            row = await network.center_row(s, center_id)
    except NotFound:
        return not_found_page(request)
    except KezekError as exc:
        return error_page(request, exc)
    local = when.astimezone(ZoneInfo(row.timezone))
    priv_param = privilege.value if privilege else None
    here = with_query(f"/book/{service.code}/{center_id}/confirm", start=when.isoformat(),
                      privilege=priv_param)
    change = book_path(service.code, center_id, day=local.date().isoformat(),
                       privilege=priv_param)
    return render(
        request, "confirm.html", status=status, problems=problems or [], here=here,
        service=service_view(service, lang),
        centre={"id": row.id, "name": name_in(row, lang), "address": address_in(row, lang)},
        when_text=f"{full_date(local.date(), lang)}, {local.strftime('%H:%M')}",
        start=when.isoformat(), privilege=priv_param or "",
        privilege_text=ui(f"priv_{priv_param}", lang) if priv_param else None,
        change_url=change, action=f"/book/{service.code}/{center_id}/confirm",
        note_mine=note_mine)


# Where each refusal is fixed: the IIN field, or the time (back to choosing one).
_FIELD_OF = {"invalid_iin": ("#iin", "iin"), "already_booked": ("#iin", None),
             "quota_exceeded": ("#iin", None), "rate_limited": ("#iin", None),
             "no_phone": ("#iin", None), "identity_unavailable": ("#iin", None),
             "privilege_not_confirmed": ("#iin", None)}


@router.post("/book/{code}/{center}/confirm", response_class=HTMLResponse)
async def confirm_post(request: Request, code: str, center: str) -> Response:
    form = await checked_form(request)
    center_id = centre_id(center)
    if center_id is None:
        return not_found_page(request)
    lang = lang_of(request)
    iin, privilege_raw = field(form, "iin", 40), field(form, "privilege")
    when = parse_start(field(form, "start"))
    if when is None:
        return await time_page(request, code, center_id, None, privilege_raw,
                               problems=[Problem(ui("choose_time", lang), "#times", "start")],
                               status=422)
    args = {"code": code, "center": center_id, "start": when.isoformat(),
            "privilege": privilege_raw}
    try:
        iin = booking.valid_iin(iin)
        async with tx(request) as s:
            await catalog.service(s, code)  # nothing to prove for what cannot be booked
            await catalog.center(s, center_id)
            asked = await identity.gate(request, s, iin, "book", args)
        if asked is not None:
            return asked
    except NotFound:
        return not_found_page(request)
    except KezekError as exc:
        return await _refused(request, args, exc)
    return await book_now(request, iin, args)


async def book_now(request: Request, iin: str, args: dict[str, Any]) -> Response:
    """Books for a person whose identity is settled (right away, or after the code)."""
    when = parse_start(str(args["start"]))
    assert when is not None
    try:
        async with tx(request) as s:
            actor = await actor_of(request, s)
            row = await booking.book(s, booking.BookingRequest(
                iin=iin, service=str(args["code"]), center=int(args["center"]), start=when,
                channel=Channel.WEB, privilege=parse_privilege(args.get("privilege")),
                origin=origin_of(request)), iin_key(request), actor, alone=True,
                directory=directory_for(settings_of(request)))
            phone = await notice_number(request, s, iin)
            if phone is not None:  # told by SMS if staff cancel it (ADR 0020)
                contacts.keep_number(s, row.id, row.person_id, phone, iin_key(request),
                                     lang_of(request))
            booked = row.code
    except NotFound:
        return not_found_page(request)
    except KezekError as exc:
        return await _refused(request, args, exc)
    remember(request, SESSION_BOOKED, booked)
    return RedirectResponse(f"/bookings/{booked}/done", status_code=303)


async def _refused(request: Request, args: dict[str, Any], exc: KezekError) -> Response:
    when = parse_start(str(args["start"]))
    assert when is not None
    href, field_name = _FIELD_OF.get(exc.code, ("#when", None))
    return await confirm_page(
        request, str(args["code"]), int(args["center"]), when, args.get("privilege"),
        problems=[problem_of(exc, lang_of(request), href, field_name)], status=exc.status,
        note_mine=exc.code in ("already_booked", "quota_exceeded"))


def origin_of(request: Request) -> dict[str, str]:
    """The audit's origin of a page's booking: client address and proven number."""
    proof = proofs.from_dict(request.session.get(proofs.SESSION_KEY))
    out = {"addr": client_address(request)}
    if proof is not None:
        out["phone"], out["proof"] = proof.phone_hash[:16], proof.method
    return out


identity.RESUME["book"] = book_now


@router.get("/bookings/{code}/done", response_class=HTMLResponse)
async def done(request: Request, code: str) -> Response:
    """The booking code, large, with the centre, the time and what to bring."""
    return await remembered_page(request, SESSION_BOOKED, code, "done.html")
