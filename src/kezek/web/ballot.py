"""The ballot on the citizen pages (fair release, ADR 13): a plain form during a day's
ballot window, then the request's page with its result. No JavaScript.

`/ballot/{service}/{centre}` asks for up to three ranked times (three selects; the
first is required), the IIN and an optional e-mail; the POST passes the code step like
a booking (`identity.gate`), enters the ballot and redirects to `/ballot/{code}`. That
page shows the request to the browser that made it; anyone else (the link in the result
message) types the IIN first, in a POST body. After the window, showing the page draws
the day's ballot if nobody has yet (the same lazy draw as a booking of that day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.deps import actor_of, iin_key, settings_of, tx
from kezek.api.identity_deps import notice_number
from kezek.app import ballot, ballot_draw, booking, catalog, network, registry
from kezek.app.actor import Channel
from kezek.app.callcentre import valid_email
from kezek.app.identity.wiring import directory_for
from kezek.core.booking import display_code
from kezek.core.errors import KezekError, NotFound
from kezek.core.release import Phase, ballot_closes, phase
from kezek.display import address_in, full_date
from kezek.store.models import utcnow
from kezek.store.models_release import BallotEntryRow
from kezek.web import identity
from kezek.web.book import PRIVILEGES, book_path, centre_id, remember
from kezek.web.i18n_ui import ui
from kezek.web.render import (
    Problem,
    lang_of,
    message_page,
    not_found_page,
    problem_of,
    render,
)
from kezek.web.security import checked_form, field
from kezek.web.views import booking_view, name_in, parse_day, parse_privilege, service_view
from kezek.web.waitlist_entry import entry_code

router = APIRouter(include_in_schema=False)
SESSION_BALLOTS = "kezek_ballots"
_FIELD_OF = {"invalid_iin": ("#iin", "iin"), "ballot_already": ("#iin", None),
             "validation_error": ("#email", "email"), "ballot_choices": ("#choice1", "choice1"),
             "ballot_bad_choice": ("#choice1", "choice1")}


@router.get("/ballot/{code}/{center}", response_class=HTMLResponse)
async def ballot_form(request: Request, code: str, center: str, day: str | None = None
                      ) -> Response:
    center_id = centre_id(center)
    chosen = parse_day(day)
    if center_id is None or chosen is None:
        return not_found_page(request)
    return await form_page(request, code, center_id, chosen)


async def form_page(request: Request, code: str, center_id: int, day: dt.date,
                    problems: list[Problem] | None = None, status: int = 200,
                    picked: list[str] | None = None, email: str = "",
                    privilege: str | None = None) -> Response:
    lang = lang_of(request)
    now = utcnow()
    try:
        async with tx(request) as s:
            service = await registry.get(s, code)
            row = await network.center_row(s, center_id)
            ctx = await catalog.center(s, center_id)
            starts = await ballot.ballot_starts(s, center_id, service.code, day)
    except NotFound:
        return not_found_page(request)
    closes = ballot_closes(ctx.center, ctx.policy, day)
    if closes is None or phase(ctx.center, ctx.policy, day, now) is not Phase.BALLOT:
        return message_page(request, 409, "bal_title",
                            problem_of(ballot.BallotClosed(), lang, "#").text,
                            (book_path(service.code, center_id), ui("bal_book_rest", lang)))
    zone = ZoneInfo(ctx.center.timezone)
    back = book_path(service.code, center_id)
    picked = (picked or []) + ["", "", ""]
    return render(
        request, "ballot_enter.html", status=status, problems=problems or [],
        service=service_view(service, lang), back=back,
        centre={"id": row.id, "name": name_in(row, lang), "address": address_in(row, lang)},
        lead=ui("bal_lead", lang, day=full_date(day, lang),
                time=closes.astimezone(zone).strftime("%H:%M")),
        day=day.isoformat(), times=[{"value": x.isoformat(), "label": x.strftime("%H:%M")}
                                    for x in starts],
        picked=picked[:3], email=email, privileges=PRIVILEGES, privilege=privilege or "none",
        action=f"/ballot/{service.code}/{center_id}")


@router.post("/ballot/{code}/{center}", response_class=HTMLResponse)
async def ballot_post(request: Request, code: str, center: str) -> Response:
    form = await checked_form(request)
    center_id = centre_id(center)
    day = parse_day(field(form, "day"))
    if center_id is None or day is None:
        return not_found_page(request)
    lang = lang_of(request)
    picked = [field(form, f"choice{i}", 64) for i in (1, 2, 3)]
    email, privilege = field(form, "email", 254), field(form, "privilege")
    args: dict[str, Any] = {"code": code, "center": center_id, "day": day.isoformat(),
                            "choices": [p for p in picked if p], "email": email,
                            "privilege": privilege}
    if not picked[0]:
        return await form_page(request, code, center_id, day, [Problem(
            ui("bal_choose_first", lang), "#choice1", "choice1")], 422, picked, email,
            privilege)
    try:
        iin = booking.valid_iin(field(form, "iin", 40))
        valid_email(email or None)
        async with tx(request) as s:
            asked = await identity.gate(request, s, iin, "ballot", args)
        if asked is not None:
            return asked
    except KezekError as exc:
        return await _refused(request, args, exc)
    return await enter_now(request, iin, args)


async def enter_now(request: Request, iin: str, args: dict[str, Any]) -> Response:
    """Enters the ballot for a person whose identity is settled."""
    try:
        choices = tuple(dt.datetime.fromisoformat(c) for c in args["choices"])
    except ValueError:
        return await _refused(request, args, ballot.BallotBadChoice())
    try:
        async with tx(request) as s:
            entry = await ballot.submit(s, ballot.BallotRequest(
                iin=iin, center=int(args["center"]), day=dt.date.fromisoformat(args["day"]),
                service=str(args["code"]), choices=choices, channel=Channel.WEB,
                privilege=parse_privilege(args.get("privilege")),
                email=args.get("email") or None, lang=lang_of(request),
                phone=await notice_number(request, s, iin)),
                iin_key(request), await actor_of(request, s),
                directory=directory_for(settings_of(request)))
            code = entry.code
    except NotFound:
        return not_found_page(request)
    except KezekError as exc:
        return await _refused(request, args, exc)
    remember(request, SESSION_BALLOTS, code)
    return RedirectResponse(f"/ballot/{code}", status_code=303)


async def _refused(request: Request, args: dict[str, Any], exc: KezekError) -> Response:
    href, field_name = _FIELD_OF.get(exc.code, ("#choice1", None))
    picked = list(args.get("choices") or [])
    return await form_page(request, str(args["code"]), int(args["center"]),
                           dt.date.fromisoformat(args["day"]),
                           [problem_of(exc, lang_of(request), href, field_name)], exc.status,
                           picked, args.get("email") or "", args.get("privilege"))


identity.RESUME["ballot"] = enter_now


@router.get("/ballot/{code}", response_class=HTMLResponse)
async def entry_page(request: Request, code: str) -> Response:
    """The request this browser made; anyone else is asked for the IIN first."""
    found = entry_code(code)
    if found is None:
        return not_found_page(request)
    if found not in request.session.get(SESSION_BALLOTS, []):
        return render(request, "ballot_entry.html", entry=None, lookup=f"/ballot/{found}")
    return await _show(request, found, None)


@router.post("/ballot/{code}", response_class=HTMLResponse)
async def entry_lookup(request: Request, code: str) -> Response:
    form = await checked_form(request)
    found = entry_code(code)
    if found is None:
        return not_found_page(request)
    try:
        iin = booking.valid_iin(field(form, "iin", 40))
        async with tx(request) as s:
            asked = await identity.gate(request, s, iin, "ballot_view", {"code": found},
                                        rule="lookup")
        if asked is not None:
            return asked
    except KezekError as exc:
        return render(request, "ballot_entry.html", status=exc.status, entry=None,
                      lookup=f"/ballot/{found}",
                      problems=[problem_of(exc, lang_of(request), "#iin", "iin")])
    return await _show(request, found, iin)


async def _view_after_code(request: Request, iin: str, args: dict[str, Any]) -> Response:
    return await _show(request, str(args["code"]), iin)


identity.RESUME["ballot_view"] = _view_after_code


async def _show(request: Request, code: str, iin: str | None) -> Response:
    lang = lang_of(request)
    now = utcnow()
    try:
        async with tx(request) as s:
            entry = (await ballot.get_owned(s, code, iin, iin_key(request)) if iin else
                     await s.scalar(ballot_by_code(code)))
            if entry is None:
                raise NotFound(entity="ballot")
            ctx = await catalog.center(s, entry.center_id)
            if await ballot_draw.ensure_drawn(s, ctx, entry.day, now):
                await s.refresh(entry)
            view = await _entry_view(s, entry, lang)
    except NotFound:
        return message_page(request, 404, "not_found_title", ui("not_found_body", lang))
    if iin is not None:
        remember(request, SESSION_BALLOTS, code)
    return render(request, "ballot_entry.html", entry=view, lookup=None, private=True)


def ballot_by_code(code: str) -> Any:
    """A request this browser made (its code remembered in the session)."""
    return select(BallotEntryRow).where(BallotEntryRow.code == code)


async def _entry_view(s: AsyncSession, e: BallotEntryRow, lang: str) -> dict[str, Any]:
    ctx = await catalog.center(s, e.center_id)
    service = await catalog.service(s, e.service_code)
    zone = ZoneInfo(ctx.center.timezone)
    closes = ballot_closes(ctx.center, ctx.policy, e.day)
    won = await ballot.won_booking(s, e)
    return {
        "code_display": display_code(e.code), "status": e.status,
        "service": service.names.get(lang), "centre": name_in(
            await network.center_row(s, e.center_id), lang),
        "day": full_date(e.day, lang),
        "choices": [dt.datetime.fromisoformat(c).astimezone(zone).strftime("%H:%M")
                    for c in e.choices],
        "draw_time": closes.astimezone(zone).strftime("%H:%M") if closes else "",
        "won_rank": (e.won_choice or 0) + 1,
        "booking": await booking_view(s, won, lang) if won is not None else None,
        "book_url": book_path(e.service_code, e.center_id, day=e.day.isoformat()),
    }
