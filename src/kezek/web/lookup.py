"""Finding, listing and cancelling bookings: always by booking code and IIN, or IIN alone.

The IIN comes in a POST body only. A page that shows a person's bookings carries
their IIN sealed (see `kezek.web.security`) so that Cancel needs no second typing,
and shows it only masked.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kezek.api.deps import actor_of, iin_key, tx
from kezek.app import booking
from kezek.app.actor import Channel
from kezek.core.booking import normalize_code
from kezek.core.errors import InvalidIin, KezekError, NotFound
from kezek.core.iin import mask
from kezek.web import identity
from kezek.web.book import SESSION_SHOWN, remember, remembered_page
from kezek.web.i18n_ui import ui
from kezek.web.qr_code import visit_aids
from kezek.web.render import (
    Problem,
    lang_of,
    problem_of,
    render,
    settings_of,
)
from kezek.web.security import checked_form, csrf_token, field, seal, unseal
from kezek.web.views import booking_view

router = APIRouter(include_in_schema=False)
SESSION_CANCELLED = "kezek_cancelled"


def _sealed(request: Request, iin: str) -> str:
    return seal(iin, settings_of(request).secret_key, csrf_token(request))


def _iin_problem(exc: KezekError, lang: str) -> Problem:
    return problem_of(exc, lang, "#iin", "iin")


@router.get("/bookings/find", response_class=HTMLResponse)
async def find_form(request: Request, code: str = "") -> Response:
    """The look-up form; a reminder's link fills in the booking code (only a well-formed
    one), and the person gives the IIN and its proof as always."""
    return render(request, "find.html", code=normalize_code(code[:32]) or "", booking=None)


@router.post("/bookings/find", response_class=HTMLResponse)
async def find(request: Request) -> Response:
    form = await checked_form(request)
    lang = lang_of(request)
    code, iin = field(form, "code", 32), field(form, "iin", 40)
    problems: list[Problem] = []
    if not normalize_code(code):
        problems.append(Problem(ui("code_empty", lang), "#code", "code"))
    try:
        booking.valid_iin(iin)
    except InvalidIin as exc:
        problems.append(_iin_problem(exc, lang))
    if problems:
        return _find_again(request, code, problems, 422)
    iin = booking.valid_iin(iin)
    try:
        async with tx(request) as s:
            asked = await identity.gate(request, s, iin, "find", {"code": code},
                                        rule="lookup")
    except KezekError as exc:
        return _find_again(request, code, [problem_of(exc, lang, "#iin")], exc.status)
    return asked or await find_now(request, iin, {"code": code})


async def find_now(request: Request, iin: str, args: dict[str, Any]) -> Response:
    """Shows the booking, for a person whose identity is settled."""
    lang, code = lang_of(request), str(args["code"])
    try:
        async with tx(request) as s:
            row = await booking.get_owned(s, code, iin, iin_key(request))
            view = await booking_view(s, row, lang)
    except NotFound as exc:
        problem = Problem(f"{problem_of(exc, lang, '#code').text}. {ui('not_found_hint', lang)}",
                          "#code")
        return _find_again(request, code, [problem], 404)
    remember(request, SESSION_SHOWN, row.code)  # its calendar file, for this browser
    return render(request, "find.html", code=view["code_display"],
                  booking={**view, **visit_aids(view, lang)},
                  iin_token=_sealed(request, iin), here="/bookings/find", private=True)


def _find_again(request: Request, code: str, problems: list[Problem], status: int) -> Response:
    shown = normalize_code(code)[:12]
    return render(request, "find.html", status=status, code=shown, booking=None,
                  problems=problems, here="/bookings/find")


@router.post("/bookings/cancel", response_class=HTMLResponse)
async def cancel(request: Request) -> Response:
    form = await checked_form(request)
    lang = lang_of(request)
    code = field(form, "code", 32)
    token = field(form, "iin_token", 200)
    settings = settings_of(request)
    iin = unseal(token, settings.secret_key, csrf_token(request)) if token else \
        field(form, "iin", 40)
    if not iin:
        return _find_again(request, code, [Problem(ui("session_expired", lang), "#code")], 422)
    try:
        async with tx(request) as s:
            actor = await actor_of(request, s)
            iin = booking.valid_iin(iin)
            await identity.require_proof(request, s, iin)  # it may have lapsed since
            row = await booking.cancel(s, code, iin, iin_key(request), actor, Channel.WEB)
            done = row.code
    except KezekError as exc:
        href = "#iin" if exc.code == "invalid_iin" else "#code"
        return _find_again(request, code, [problem_of(exc, lang, href)], exc.status)
    remember(request, SESSION_CANCELLED, done)
    return RedirectResponse(f"/bookings/{done}/cancelled", status_code=303)


@router.get("/bookings/{code}/cancelled", response_class=HTMLResponse)
async def cancelled(request: Request, code: str) -> Response:
    return await remembered_page(request, SESSION_CANCELLED, code, "cancelled.html")


@router.get("/bookings/mine", response_class=HTMLResponse)
async def mine_form(request: Request) -> Response:
    return render(request, "mine.html", bookings=None)


@router.post("/bookings/mine", response_class=HTMLResponse)
async def mine(request: Request) -> Response:
    form = await checked_form(request)
    lang = lang_of(request)
    try:
        iin = booking.valid_iin(field(form, "iin", 40))
        async with tx(request) as s:
            asked = await identity.gate(request, s, iin, "mine", {}, rule="lookup")
    except KezekError as exc:
        return render(request, "mine.html", status=exc.status, bookings=None,
                      problems=[_iin_problem(exc, lang)], here="/bookings/mine")
    return asked or await mine_now(request, iin, {})


async def mine_now(request: Request, iin: str, args: dict[str, Any]) -> Response:
    """A person's active bookings, for a person whose identity is settled."""
    lang = lang_of(request)
    async with tx(request) as s:
        rows = await booking.find_for_person(s, iin, iin_key(request))
        views: list[dict[str, Any]] = [await booking_view(s, r, lang) for r in rows]
    valid = iin
    return render(request, "mine.html", bookings=views, iin_masked=mask(valid),
                  iin_token=_sealed(request, valid), here="/bookings/mine", private=True)


identity.RESUME["find"] = find_now
identity.RESUME["mine"] = mine_now
