"""One waitlist entry, from the link in the offer message: `/waitlist/{code}`.

The code alone shows nothing: the page asks for the IIN (in a POST body, never in the
URL) and shows the entry only to the IIN it was made with; a wrong IIN gets the same
"not found" as a booking lookup. The page that shows an entry carries the IIN sealed
(see `kezek.web.security`), so that "Accept this time" and "Leave the waitlist" need no
second typing; both are POSTs with the CSRF token, and both redirect (Post/Redirect/Get).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.deps import actor_of, iin_key, tx
from kezek.app import booking, waitlist
from kezek.app.actor import Channel
from kezek.app.registry import get as get_service
from kezek.core.booking import CODE_ALPHABET, CODE_LENGTH, display_code, normalize_code
from kezek.core.errors import KezekError, NotFound
from kezek.display import address_in, day_label, full_date
from kezek.store.models import CenterRow, utcnow
from kezek.store.models_jobs import WaitlistEntryRow
from kezek.web import identity
from kezek.web.book import SESSION_BOOKED, book_path, remember
from kezek.web.i18n_ui import ui
from kezek.web.render import (
    Problem,
    lang_of,
    message_page,
    not_found_page,
    problem_of,
    render,
    settings_of,
)
from kezek.web.security import checked_form, csrf_token, field, seal, unseal
from kezek.web.views import name_in, service_view

router = APIRouter(include_in_schema=False)
SESSION_LEFT = "kezek_waitlist_left"
# What the person sees, from the entry's status and whether its hold still runs.
_TAG = {"waiting": "waiting", "offered": "active", "accepted": "active", "lapsed": "expired",
        "day_over": "expired", "cancelled": "cancelled"}
_STATUS_TEXT = {"lapsed": "expired", "day_over": "expired"}


def entry_code(raw: str) -> str | None:
    """A waitlist code from a path, as people type it; None if it cannot be one."""
    code = normalize_code(raw[:32])
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def _state(entry: WaitlistEntryRow, now: dt.datetime) -> str:
    """An offer whose hold ran out is over for the person even before the sweep marks it."""
    if entry.status == waitlist.OFFERED:
        live = entry.offer_expires_at is not None and entry.offer_expires_at > now
        return "offered" if live and entry.booking_id is not None else "lapsed"
    if entry.status == waitlist.EXPIRED:
        return "lapsed" if entry.offered_at is not None else "day_over"
    return entry.status


async def entry_view(s: AsyncSession, entry: WaitlistEntryRow, lang: str,
                     now: dt.datetime | None = None) -> dict[str, Any]:
    """A waitlist entry as its owner sees it: service, centre, day, and the place in line
    or the held time, in the centre's zone and the page language."""
    now = now or utcnow()
    centre = await s.get(CenterRow, entry.center_id)
    assert centre is not None
    zone = ZoneInfo(centre.timezone)
    service = await get_service(s, entry.service_code)
    state = _state(entry, now)
    held = await waitlist.held_booking(s, entry)
    view: dict[str, Any] = {
        "code": entry.code, "code_display": display_code(entry.code), "state": state,
        "status_text": ui(f"wl_status_{_STATUS_TEXT.get(state, state)}", lang),
        "tag": _TAG[state], "live": state in ("waiting", "offered"),
        "service": service_view(service, lang), "centre": name_in(centre, lang),
        "address": address_in(centre, lang), "day": full_date(entry.day, lang),
        "place": await waitlist.position(s, entry), "iin_masked": entry.iin_masked,
        "privilege": ui(f"priv_{entry.privilege}", lang) if entry.privilege else None,
        "email": entry.email, "when": None, "until": None, "booking_code": None,
        "again_url": book_path(entry.service_code, entry.center_id,
                               day=entry.day.isoformat() if state == "lapsed" else None,
                               privilege=entry.privilege),
    }
    if held is not None and state in ("offered", "accepted"):
        local = held.start_utc.astimezone(zone)
        view["when"] = f"{full_date(local.date(), lang)}, {local:%H:%M}"
        if state == "accepted":
            view["booking_code"] = display_code(held.code)
    if entry.offer_expires_at is not None and state in ("offered", "lapsed"):
        until = entry.offer_expires_at.astimezone(zone)  # the date too: a hold may end
        view["until"] = f"{until:%H:%M} ({day_label(until.date(), lang)})"  # days before
    return view


def _sealed(request: Request, iin: str) -> str:
    return seal(iin, settings_of(request).secret_key, csrf_token(request))


def _ask(request: Request, code: str, problems: list[Problem] | None = None,
         status: int = 200) -> Response:
    return render(request, "waitlist_entry.html", status=status, problems=problems or [],
                  code=code, code_display=display_code(code), entry=None,
                  here=f"/waitlist/{code}")


async def _show(request: Request, code: str, iin: str, problems: list[Problem] | None = None,
                status: int = 200, note_mine: bool = False) -> Response:
    """The entry for this code and IIN, or the IIN question with "not found"."""
    lang = lang_of(request)
    try:
        async with tx(request) as s:
            entry = await waitlist.get_owned(s, code, iin, iin_key(request))
            view = await entry_view(s, entry, lang)
    except NotFound as exc:
        text = f"{problem_of(exc, lang, '#iin').text}. {ui('not_found_hint', lang)}"
        return _ask(request, code, [Problem(text, "#iin")], 404)
    return render(request, "waitlist_entry.html", status=status, problems=problems or [],
                  code=code, code_display=view["code_display"], entry=view,
                  iin_token=_sealed(request, iin), note_mine=note_mine,
                  here=f"/waitlist/{code}", private=True)


@router.get("/waitlist/{code}", response_class=HTMLResponse)
async def ask_iin(request: Request, code: str) -> Response:
    """The link in the offer message: asks the IIN, shows nothing else (any code alike)."""
    found = entry_code(code)
    return _ask(request, found) if found else not_found_page(request)


@router.post("/waitlist/{code}", response_class=HTMLResponse)
async def show(request: Request, code: str) -> Response:
    form = await checked_form(request)
    found = entry_code(code)
    if found is None:
        return not_found_page(request)
    lang = lang_of(request)
    iin = field(form, "iin", 40)
    try:
        iin = booking.valid_iin(iin)
        async with tx(request) as s:
            asked = await identity.gate(request, s, iin, "waitlist_show", {"code": found},
                                        rule="lookup")
    except KezekError as exc:
        return _ask(request, found, [problem_of(exc, lang, "#iin", "iin")], exc.status)
    return asked or await _show(request, found, iin)


async def show_now(request: Request, iin: str, args: dict[str, Any]) -> Response:
    return await _show(request, str(args["code"]), iin)


identity.RESUME["waitlist_show"] = show_now


async def _owner(request: Request, code: str) -> tuple[str, str] | Response:
    """The code and the IIN sealed in the entry page's form, or the page to answer with."""
    form = await checked_form(request)
    found = entry_code(code)
    if found is None:
        return not_found_page(request)
    token = field(form, "iin_token", 200)
    iin = unseal(token, settings_of(request).secret_key, csrf_token(request)) if token \
        else None
    if not iin:
        lang = lang_of(request)
        return _ask(request, found, [Problem(ui("wl_iin_again", lang), "#iin", "iin")], 422)
    # The sealed IIN was given after a proof, but the proof may have expired since the
    # page was shown: accepting or leaving needs it live, as any personal action does.
    try:
        async with tx(request) as s:
            asked = await identity.gate(request, s, iin, "waitlist_show", {"code": found},
                                        rule="lookup")
    except KezekError as exc:
        return await _show(request, found, iin, [problem_of(exc, lang_of(request), "#entry")],
                           exc.status)
    return asked or (found, iin)


# A refusal on accepting is shown above the entry; these ones concern the person's
# other bookings, so the page links to them.
_MINE = ("already_booked", "quota_exceeded")


@router.post("/waitlist/{code}/accept", response_class=HTMLResponse)
async def accept(request: Request, code: str) -> Response:
    """Takes the held time as a booking (same quotas as any booking); shows its code."""
    owner = await _owner(request, code)
    if isinstance(owner, Response):
        return owner
    found, iin = owner
    lang = lang_of(request)
    try:
        async with tx(request) as s:
            actor = await actor_of(request, s)
            row = await waitlist.accept(s, found, iin, iin_key(request), actor, Channel.WEB)
            booked = row.code
    except NotFound:
        return await _show(request, found, iin)
    except KezekError as exc:
        return await _show(request, found, iin, [problem_of(exc, lang, "#entry")], exc.status,
                           note_mine=exc.code in _MINE)
    remember(request, SESSION_BOOKED, booked)
    return RedirectResponse(f"/bookings/{booked}/done", status_code=303)


@router.post("/waitlist/{code}/leave", response_class=HTMLResponse)
async def leave(request: Request, code: str) -> Response:
    """Leaves the line; a time held for the person passes to the next in line."""
    owner = await _owner(request, code)
    if isinstance(owner, Response):
        return owner
    found, iin = owner
    lang = lang_of(request)
    try:
        async with tx(request) as s:
            actor = await actor_of(request, s)
            await waitlist.leave(s, found, iin, iin_key(request), actor, Channel.WEB)
    except NotFound:
        return await _show(request, found, iin)
    except KezekError as exc:
        return await _show(request, found, iin, [problem_of(exc, lang, "#entry")], exc.status)
    remember(request, SESSION_LEFT, found)
    return RedirectResponse(f"/waitlist/{found}/left", status_code=303)


@router.get("/waitlist/{code}/accept", response_class=HTMLResponse)
@router.get("/waitlist/{code}/leave", response_class=HTMLResponse)
async def back_to_entry(code: str) -> Response:
    """Where "continue" leads after a stale form: back to the IIN question."""
    found = entry_code(code)
    return RedirectResponse(f"/waitlist/{found}" if found else "/", status_code=303)


@router.get("/waitlist/{code}/left", response_class=HTMLResponse)
async def left(request: Request, code: str) -> Response:
    lang = lang_of(request)
    found = entry_code(code)
    if found is None or found not in request.session.get(SESSION_LEFT, []):
        return not_found_page(request)
    return message_page(request, 200, "wl_left_title",
                        ui("wl_left_body", lang, code=display_code(found)),
                        ("/", ui("nav_services", lang)))
