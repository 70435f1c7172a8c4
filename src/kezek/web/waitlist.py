"""Joining the waitlist from the booking flow: a fully booked day, then the IIN (and an
e-mail for the offer message, if the person wants one), then the waitlist code.

The booking page links here for a day with no free time (see `kezek.web.book`). The
refusals are the API's (`kezek.app.waitlist.join`): a day that has free times after all
says so and links back to them. The page for one entry, from the offer message's link,
is `kezek.web.waitlist_entry`; its routes are included here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from kezek.api.deps import actor_of, iin_key, tx
from kezek.api.identity_deps import notice_number
from kezek.app import booking, network, registry, waitlist
from kezek.app.actor import Channel
from kezek.app.callcentre import valid_email
from kezek.app.identity.wiring import directory_for
from kezek.app.slots import free_slots
from kezek.core.errors import InvalidIin, KezekError, NotFound, ValidationFailed
from kezek.display import address_in, day_label
from kezek.i18n import error_message
from kezek.store.models import utcnow
from kezek.store.models_jobs import WaitlistEntryRow
from kezek.web import identity, waitlist_entry
from kezek.web.book import PRIVILEGES, book_path, centre_id, remember
from kezek.web.i18n_ui import ui
from kezek.web.render import (
    Problem,
    error_page,
    lang_of,
    message_page,
    not_found_page,
    problem_of,
    render,
    settings_of,
    with_query,
)
from kezek.web.security import checked_form, field
from kezek.web.views import (
    name_in,
    parse_day,
    parse_privilege,
    privilege_required,
    service_view,
)
from kezek.web.waitlist_entry import entry_code, entry_view

router = APIRouter(include_in_schema=False)
router.include_router(waitlist_entry.router)
SESSION_JOINED = "kezek_waitlisted"

# Where each refusal is fixed on the join page.
_FIELD_OF = {"invalid_iin": ("#iin", "iin"), "waitlist_already": ("#iin", None),
             "validation_error": ("#email", "email")}


def _join_path(service: str, center_id: int) -> str:
    return f"/book/{service}/{center_id}/waitlist"


def _hold_minutes(request: Request) -> int:
    return settings_of(request).waitlist_hold_minutes


def _night(request: Request) -> dict[str, str] | None:
    """The quiet hours, for the sentence that says offers wait for the morning."""
    quiet = settings_of(request).quiet
    return None if quiet is None else {"start": f"{quiet.start:%H:%M}",
                                        "end": f"{quiet.end:%H:%M}"}


@router.get("/book/{code}/{center}/waitlist", response_class=HTMLResponse)
async def join_form(request: Request, code: str, center: str, day: str | None = None,
                    privilege: str | None = None) -> Response:
    center_id = centre_id(center)
    if center_id is None:
        return not_found_page(request)
    chosen = parse_day(day)
    if chosen is None:  # no day asked: choose one first
        return RedirectResponse(book_path(code, center_id, privilege=privilege),
                                status_code=303)
    return await join_page(request, code, center_id, chosen, privilege, check_free=True)


async def join_page(request: Request, code: str, center_id: int, day: dt.date,
                    privilege_raw: str | None, problems: list[Problem] | None = None,
                    status: int = 200, email: str = "", check_free: bool = False
                    ) -> Response:
    """The question page: what the person waits for, their IIN, an optional e-mail.

    Opened from a link (`check_free`), a day that has free times after all (someone
    cancelled meanwhile) is answered at once, before anyone types an IIN.
    """
    lang = lang_of(request)
    privilege = parse_privilege(privilege_raw)
    priv_param = privilege.value if privilege else None
    free = False
    try:
        async with tx(request) as s:
            service = await registry.get(s, code)
            row = await network.center_row(s, center_id)
            required = await privilege_required(s, row, service)
            if required and privilege is None:  # the booking page asks that question
                return RedirectResponse(book_path(service.code, center_id), status_code=303)
            now = utcnow()
            is_open = day in await waitlist.open_days(s, center_id, now)
            if check_free and is_open:
                free = bool(await free_slots(s, center_id, service.code, day, 1, now,
                                             privilege))
    except NotFound:
        return not_found_page(request)
    except KezekError as exc:
        return error_page(request, exc)
    times = book_path(service.code, center_id, day=day.isoformat(), privilege=priv_param)
    if not is_open:
        return message_page(request, 422, "wl_join_title",
                            error_message("outside_schedule", lang, {}),
                            (book_path(service.code, center_id, privilege=priv_param),
                             ui("wl_again_link", lang)))
    if free:
        return message_page(request, 409, "wl_join_title",
                            error_message("waitlist_slots_free", lang, {}),
                            (times, ui("wl_see_times", lang)))
    return render(
        request, "waitlist_join.html", status=status, problems=problems or [],
        here=with_query(_join_path(service.code, center_id), day=day.isoformat(),
                        privilege=priv_param),
        service=service_view(service, lang),
        centre={"id": row.id, "name": name_in(row, lang), "address": address_in(row, lang)},
        day=day.isoformat(), day_text=day_label(day, lang), back=times,
        privilege=priv_param or ("" if required else "none"), privilege_fixed=required,
        privilege_text=ui(f"priv_{priv_param}", lang) if priv_param else None,
        privileges=PRIVILEGES, email=email, minutes=_hold_minutes(request),
        action=_join_path(service.code, center_id))


@router.post("/book/{code}/{center}/waitlist", response_class=HTMLResponse)
async def join(request: Request, code: str, center: str) -> Response:
    form = await checked_form(request)
    center_id = centre_id(center)
    if center_id is None:
        return not_found_page(request)
    lang = lang_of(request)
    iin, email = field(form, "iin", 40), field(form, "email", 254)
    privilege_raw = field(form, "privilege")
    day = parse_day(field(form, "day", 10))
    if day is None:
        return RedirectResponse(book_path(code, center_id), status_code=303)
    problems: list[Problem] = []
    try:
        booking.valid_iin(iin)
    except InvalidIin as exc:
        problems.append(problem_of(exc, lang, "#iin", "iin"))
    try:
        valid_email(email)
    except ValidationFailed:
        problems.append(Problem(ui("wl_email_bad", lang), "#email", "email"))
    if problems:
        return await join_page(request, code, center_id, day, privilege_raw, problems, 422,
                               email)
    args = {"code": code, "center": center_id, "day": day.isoformat(),
            "privilege": privilege_raw, "email": email}
    try:
        async with tx(request) as s:
            asked = await identity.gate(request, s, booking.valid_iin(iin), "waitlist_join",
                                        args, rule="waitlist")
    except KezekError as exc:
        return await join_page(request, code, center_id, day, privilege_raw,
                               [problem_of(exc, lang, "#iin", "iin")], exc.status, email)
    return asked or await join_now(request, booking.valid_iin(iin), args)


async def join_now(request: Request, iin: str, args: dict[str, Any]) -> Response:
    """Joins the line, for a person whose identity is settled."""
    lang = lang_of(request)
    code, center_id, email = str(args["code"]), int(args["center"]), str(args["email"])
    privilege_raw, day = args.get("privilege"), dt.date.fromisoformat(str(args["day"]))
    try:
        async with tx(request) as s:
            actor = await actor_of(request, s)
            entry = await waitlist.join(s, waitlist.JoinRequest(
                iin=iin, service=code, center=center_id, day=day, channel=Channel.WEB,
                privilege=parse_privilege(privilege_raw), email=email or None, lang=lang,
                phone=await notice_number(request, s, iin)),
                iin_key(request), actor, directory=directory_for(settings_of(request)))
            joined = entry.code
    except NotFound:
        return not_found_page(request)
    except KezekError as exc:
        href, name = _FIELD_OF.get(exc.code, ("#day", None))
        if exc.code == "waitlist_slots_free":  # say so, and link straight to those times
            chosen = parse_privilege(privilege_raw)
            href = book_path(code, center_id, day=day.isoformat(),
                             privilege=chosen.value if chosen else None)
        return await join_page(request, code, center_id, day, privilege_raw,
                               [problem_of(exc, lang, href, name)], exc.status, email)
    remember(request, SESSION_JOINED, joined)
    return RedirectResponse(f"/waitlist/{joined}/joined", status_code=303)


@router.get("/waitlist/{code}/joined", response_class=HTMLResponse)
async def joined(request: Request, code: str) -> Response:
    """The waitlist code, large, the place in line, and what happens next.

    Only for the browser that joined (remembered in its session); anyone else is sent to
    the entry page, which asks the IIN.
    """
    lang = lang_of(request)
    found = entry_code(code)
    if found is None:
        return not_found_page(request)
    if found not in request.session.get(SESSION_JOINED, []):
        return message_page(request, 404, "not_found_title", ui("wl_unknown", lang),
                            (f"/waitlist/{found}", ui("wl_check_link", lang)))
    async with tx(request) as s:
        entry = await s.scalar(select(WaitlistEntryRow).where(WaitlistEntryRow.code == found))
        view: dict[str, Any] | None = await entry_view(s, entry, lang) if entry else None
    if view is None:
        return not_found_page(request)
    public = settings_of(request).public_url.rstrip("/")
    return render(request, "waitlist_joined.html", entry=view, private=True,
                  minutes=_hold_minutes(request), night=_night(request),
                  entry_url=f"/waitlist/{found}",
                  entry_link=f"{public}/waitlist/{found}")


identity.RESUME["waitlist_join"] = join_now
