"""The floor pages: operator console, door console, manager's live view, lobby board.

Staff pages need a signed-in staff member of the page's centre (the same session the
floor API accepts); without one they send the browser to the sign-in page, and a
staff member of another centre or role gets 403. The pages are shells: their scripts
(static/floor_*.js) call the floor API with `fetch()` and follow the board's event
stream, so nothing reloads during work. The lobby board is public and anonymous.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.deps import actor_of, tx
from kezek.api.schemas import RowId
from kezek.app import catalog, privilege_door
from kezek.app.actor import Actor, Role
from kezek.app.catalog import CenterContext
from kezek.core.errors import NotFound
from kezek.web import floor_data
from kezek.web.i18n_privilege import CLAIM_KEYS
from kezek.web.i18n_ui import ui
from kezek.web.render import lang_of, message_page, not_found_page, render, settings_of

router = APIRouter(include_in_schema=False)

WINDOW_ROLES = (Role.OPERATOR, Role.MANAGER)
DOOR_ROLES = (Role.DOOR, Role.OPERATOR, Role.MANAGER)
CENTER_ROLES = (Role.MANAGER, Role.ANALYST)
COMMON_KEYS = ("net_error", "live_on", "live_off", "updated_at", "min_short")
WINDOW_KEYS = (
    *COMMON_KEYS, "no_current", "calls_count", "tstatus_waiting", "tstatus_called",
    "tstatus_serving", "tstatus_done", "tstatus_no_show", "state_open", "state_paused",
    "state_closed", "act_pause", "act_resume", "waiting_none", "waiting_count",
    "kind_booked", "kind_walk_in", "privileged", "over_standard", "msg_called",
    "msg_nobody", "msg_done", "msg_transferred", "msg_state", "msg_unavailable",
    "msg_paused", "act_no_show", "act_transfer", "act_end_shift", "confirm_no_show_title",
    "confirm_no_show_body", "confirm_no_show_ok", "undo_bar", "undo_left", "msg_undone",
    "transfer_none", "transfer_count", "transfer_pick", "confirm_transfer_title",
    "confirm_transfer_body", "confirm_end_title", "confirm_end_body", "msg_shift_ended",
    "booked_at", "kind_booked_at", "msg_shift_over", "act_reopen")
DOOR_KEYS = (
    *COMMON_KEYS, "ticket_issued", "ticket_wait_note", "offer_booking_only", "offer_late",
    "offer_none", "slot_free", "booked_title", "booked_later", "online_refused",
    "occupancy", "occupancy_nolimit", "centre_full", "ssp_title", "ssp_body", "ssp_none",
    "eds_note", "choose_service", "today", "ticket_outside", "outside_place", "outside_note",
    "outside_count", "outside_none", "outside_longest", "free_places", "admit_title",
    "admit_no_room", "admitted_msg", "act_left_line", "kind_booked", "kind_walk_in",
    "privileged")
CENTER_KEYS = (
    *COMMON_KEYS, "load_none", "std_met", "std_missed", "state_open", "state_paused",
    "state_closed", "stat_limit", "window_privilege", "outside_longest")
BOARD_KEYS = ("live_on", "live_off")


class Refused(Exception):
    """The visitor may not open this staff page: `response` says where to go instead."""

    def __init__(self, response: Response) -> None:
        super().__init__("refused")
        self.response = response


def _login_redirect(request: Request) -> Response:
    target = quote(request.url.path, safe="/")
    return RedirectResponse(f"/staff/login?next={target}", status_code=303)


def _forbidden(request: Request) -> Response:
    lang = lang_of(request)
    return message_page(request, 403, "forbidden_title", ui("forbidden_body", lang),
                        ("/staff", ui("staff_home", lang)))


async def staff_of(request: Request, s: AsyncSession, center_id: int,
                   roles: Iterable[Role]) -> Actor:
    """The signed-in staff member if they may work at this centre in one of `roles`."""
    actor = await actor_of(request, s)
    if not actor.is_staff:
        raise Refused(_login_redirect(request))
    if actor.role is Role.ADMIN:
        return actor
    if actor.role not in tuple(roles):
        raise Refused(_forbidden(request))
    if actor.role is not Role.ANALYST and center_id not in actor.centers:
        raise Refused(_forbidden(request))
    return actor


def _centre(ctx: CenterContext, lang: str) -> dict[str, Any]:
    return {"id": ctx.center.id, "name": ctx.center.names.get(lang),
            "timezone": ctx.center.timezone, "city": ctx.center.city,
            "booking_only": ctx.center.format.value == "booking_only",
            "occupancy_limit": ctx.center.occupancy_limit}


def _page(request: Request, template: str, **ctx: Any) -> Response:
    return render(request, template, private=True, **ctx)


@router.get("/staff/window/{window_id}")
async def window_console(request: Request, window_id: RowId) -> Response:
    lang = lang_of(request)
    try:
        async with tx(request) as s:
            actor = await actor_of(request, s)
            if not actor.is_staff:
                return _login_redirect(request)
            place = await floor_data.window_place(s, window_id)
            if place is None:
                return not_found_page(request)
            await staff_of(request, s, place.row.center_id, WINDOW_ROLES)
            data = await floor_data.window_console(s, place, lang)
    except Refused as refused:
        return refused.response
    data["t"] = floor_data.strings(lang, WINDOW_KEYS)
    data["lang"], data["timezone"] = lang, place.ctx.center.timezone
    data["undo_minutes"] = settings_of(request).no_show_undo_minutes
    return _page(request, "floor_window.html", data=data, centre=_centre(place.ctx, lang),
                 window=data["window"], actor=actor)


@router.get("/staff/door/{center_id}")
async def door_console(request: Request, center_id: RowId) -> Response:
    lang = lang_of(request)
    try:
        async with tx(request) as s:
            actor = await staff_of(request, s, center_id, DOOR_ROLES)
            ctx = await catalog.center(s, center_id)
            offered = await floor_data.offered_services(s, ctx)
            claims = await privilege_door.open_claims(s, center_id)
            claim_rule = (await catalog.snapshot(s)).privilege.rejected.value
    except Refused as refused:
        return refused.response
    except NotFound:
        return not_found_page(request)
    services = floor_data.door_services(offered, ctx, lang)
    centre = _centre(ctx, lang)
    portal = settings_of(request).portal_url
    data = {"center": center_id, "city": ctx.center.city, "lang": lang,
            "timezone": ctx.center.timezone,
            "portal": {"url": portal, "text": ui("portal_link", lang,
                                                  host=urlsplit(portal).netloc or portal)},
            "occupancy_limit": ctx.center.occupancy_limit,
            "services": {x["code"]: x for x in services},
            "t": floor_data.strings(lang, DOOR_KEYS + CLAIM_KEYS)}
    return _page(request, "floor_door.html", data=data, centre=centre, services=services,
                 actor=actor, privileges=("pensioner", "large_family", "disability"),
                 claims=claims, claim_rule=claim_rule)


@router.post("/staff/door/{center_id}")
async def door_without_script(request: Request, center_id: RowId) -> Response:
    """The door forms post here only when their script did not run: nothing is done,
    and the typed IIN is neither kept nor echoed."""
    lang = lang_of(request)
    return message_page(request, 400, "door_title", ui("js_needed", lang),
                        (f"/staff/door/{center_id}", ui("continue", lang)))


@router.get("/staff/center/{center_id}")
async def center_view(request: Request, center_id: RowId) -> Response:
    lang = lang_of(request)
    try:
        async with tx(request) as s:
            actor = await staff_of(request, s, center_id, CENTER_ROLES)
            ctx = await catalog.center(s, center_id)
            names = await floor_data.service_names(s, lang)
            no_shows = await floor_data.no_shows_today(s, ctx)
    except Refused as refused:
        return refused.response
    except NotFound:
        return not_found_page(request)
    data = {"center": center_id, "lang": lang, "services": names, "no_shows": no_shows,
            "timezone": ctx.center.timezone,
            "occupancy_limit": ctx.center.occupancy_limit,
            "t": floor_data.strings(lang, CENTER_KEYS)}
    return _page(request, "floor_center.html", data=data, centre=_centre(ctx, lang),
                 no_shows=no_shows, actor=actor)


@router.get("/board/{center_id}")
async def board(request: Request, center_id: RowId) -> Response:
    """The lobby board: public, anonymous, read from across the room."""
    lang = lang_of(request)
    try:
        async with tx(request) as s:
            ctx = await catalog.center(s, center_id)
    except NotFound:
        return not_found_page(request)
    langs = ["kk", "ru"] if lang in ("kk", "ru") else [lang]

    def both(key: str) -> list[tuple[str, str]]:
        """A board caption in Kazakh and Russian (or in English only, if asked)."""
        return [(code, ui(key, code)) for code in langs]

    data = {"center": center_id, "lang": lang, "timezone": ctx.center.timezone,
            "announce": [{"lang": "kk-KZ", "text": ui("announce", "kk")},
                         {"lang": "ru-RU", "text": ui("announce", "ru")}],
            "calendar": floor_data.calendar(lang),
            "t": floor_data.strings(lang, BOARD_KEYS)}
    return render(request, "floor_board.html", data=data, centre=_centre(ctx, lang),
                  both=both)
