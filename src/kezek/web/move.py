"""Move: a booking to another day and time at the same centre, keeping its code.

The booking page (find, after code and IIN) offers Move beside Cancel; its form carries
the IIN sealed, as Cancel's does, and the same checks run: the seal must be this
browser's, the session must hold a live identity proof for the IIN (the code step), and
the booking must be that IIN's. The grant is then kept in the session, the IIN sealed
again, for the new-time pages (plain GET links for the days, as when booking); the
address holds only the booking code. The move itself is `booking.reschedule` with
`keep_code` in one transaction (ADR 0031): the old seat stays the person's until the
new one is taken, and a refusal (the time taken meanwhile, a quota) leaves the booking
as it was and says so, with its time.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kezek.api.deps import actor_of, iin_key, tx
from kezek.app import booking
from kezek.app.actor import Channel
from kezek.app.slots import MAX_DAYS, free_slots
from kezek.core.booking import normalize_code
from kezek.core.errors import KezekError, NotFound, SlotFull
from kezek.core.policy import Privilege
from kezek.display import day_label
from kezek.store.models import utcnow
from kezek.web import identity
from kezek.web.book import DAYS_SHOWN, SESSION_BOOKED, origin_of, remember, remembered_page
from kezek.web.i18n_ui import ui
from kezek.web.render import (
    Problem,
    lang_of,
    message_page,
    problem_of,
    render,
    settings_of,
    with_query,
)
from kezek.web.security import checked_form, csrf_token, field, seal, unseal
from kezek.web.views import booking_view, parse_day, parse_start

router = APIRouter(include_in_schema=False)
SESSION_MOVE = "kezek_move"


def _unknown(request: Request, status: int = 404) -> Response:
    lang = lang_of(request)
    return message_page(request, status, "not_found_title", ui("move_unknown", lang),
                        ("/bookings/find", ui("find_title", lang)))


def _granted(request: Request, code: str) -> str | None:
    """The IIN this browser proved the booking `code` with, if it asked to move it."""
    grant = request.session.get(SESSION_MOVE)
    if not isinstance(grant, dict) or grant.get("code") != normalize_code(code):
        return None
    token = grant.get("iin")
    if not isinstance(token, str):
        return None
    return unseal(token, settings_of(request).secret_key, csrf_token(request))


@router.post("/bookings/move", response_class=HTMLResponse)
async def start(request: Request) -> Response:
    """From the booking page: the same proof as Cancel, then the new-time page."""
    form = await checked_form(request)
    secret = settings_of(request).secret_key
    code, token = normalize_code(field(form, "code", 32)), field(form, "iin_token", 200)
    iin = unseal(token, secret, csrf_token(request)) if token else None
    if not iin or not code:
        return _unknown(request, 422)
    try:
        async with tx(request) as s:
            iin = booking.valid_iin(iin)
            await identity.require_proof(request, s, iin)
            row = await booking.get_owned(s, code, iin, iin_key(request))
            if row.status != "active":
                raise NotFound(entity="booking")
    except KezekError as exc:
        lang = lang_of(request)
        return message_page(request, exc.status, "error_summary",
                            problem_of(exc, lang, "#").text,
                            ("/bookings/find", ui("find_title", lang)))
    request.session[SESSION_MOVE] = {"code": row.code,
                                     "iin": seal(iin, secret, csrf_token(request))}
    return RedirectResponse(f"/bookings/{row.code}/move", status_code=303)


@router.get("/bookings/{code}/move", response_class=HTMLResponse)
async def times(request: Request, code: str, day: str | None = None) -> Response:
    iin = _granted(request, code)
    if iin is None:
        return _unknown(request)
    return await _times_page(request, normalize_code(code), iin, parse_day(day))


async def _times_page(request: Request, code: str, iin: str, day: dt.date | None,
                      refused: KezekError | None = None, status: int = 200,
                      problems: list[Problem] | None = None) -> Response:
    """The booking as it stands, and the free times at its centre for its service."""
    lang = lang_of(request)
    try:
        async with tx(request) as s:
            row = await booking.get_owned(s, code, iin, iin_key(request))
            view = await booking_view(s, row, lang)
            privilege = Privilege(row.privilege) if row.privilege else None
            slots = [x for x in await free_slots(s, row.center_id, row.service_code, None,
                                                 MAX_DAYS, utcnow(), privilege)
                     if x.start != row.start_utc] if row.status == "active" else []
    except KezekError:
        return _unknown(request)
    if row.status != "active":
        return _unknown(request)
    problems = list(problems or [])
    if refused is not None:
        when = f"{view['date']}, {view['time']}"
        text = ui("move_taken", lang, when=when) if isinstance(refused, SlotFull) else (
            f"{problem_of(refused, lang, '#').text} {ui('move_unchanged', lang, when=when)}")
        problems.append(Problem(text, "#times", "start"))
    by_day = [(d, list(g)) for d, g in groupby(slots, key=lambda x: x.start.date())]
    by_day = by_day[:DAYS_SHOWN]
    chosen = next((d for d, _ in by_day if d == day), by_day[0][0] if by_day else None)
    here = f"/bookings/{code}/move"
    days = [{"label": day_label(d, lang), "current": d == chosen,
             "url": with_query(here, day=d.isoformat())} for d, _ in by_day]
    options = [{"value": x.start.isoformat(), "label": x.start.strftime("%H:%M")}
               for d, group in by_day if d == chosen for x in group]
    return render(request, "move.html", status=status, problems=problems, booking=view,
                  days=days, times=options, chosen=chosen.isoformat() if chosen else "",
                  chosen_label=day_label(chosen, lang) if chosen else "", action=here,
                  here=with_query(here, day=chosen.isoformat() if chosen else None),
                  private=True)


@router.post("/bookings/{code}/move", response_class=HTMLResponse)
async def move(request: Request, code: str) -> Response:
    form = await checked_form(request)
    code = normalize_code(code)
    iin = _granted(request, code)
    if iin is None:
        return _unknown(request)
    lang = lang_of(request)
    day = parse_day(field(form, "day"))
    when = parse_start(field(form, "start"))
    if when is None:
        return await _times_page(request, code, iin, day, status=422, problems=[
            Problem(ui("choose_time", lang), "#times", "start")])
    try:
        async with tx(request) as s:
            iin = booking.valid_iin(iin)
            await identity.require_proof(request, s, iin)  # it may have lapsed since
            actor = await actor_of(request, s)
            row = await booking.reschedule(s, code, iin, when, iin_key(request), actor,
                                           Channel.WEB, origin=origin_of(request),
                                           keep_code=True)
            kept = row.code
    except NotFound:
        return _unknown(request)
    except KezekError as exc:  # rolled back: the booking is as it was
        return await _times_page(request, code, iin, day, refused=exc,
                                 status=exc.status)
    request.session.pop(SESSION_MOVE, None)
    remember(request, SESSION_BOOKED, kept)
    return RedirectResponse(f"/bookings/{kept}/moved", status_code=303)


@router.get("/bookings/{code}/moved", response_class=HTMLResponse)
async def moved(request: Request, code: str) -> Response:
    """The booking code (the same), the new time, its QR code and calendar file."""
    return await remembered_page(request, SESSION_BOOKED, code, "done.html",
                                 heading="moved_title")

