"""What the floor pages need at first paint, read through the app layer and the catalog.

The pages then keep themselves current through the floor API (`/api/v1/...`) and the
board's event stream; this module only gives them their starting point: names in the
page language, which services a window serves, the ticket at a window, and the
counts the queue API does not carry (no-shows today).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import get_day_names, get_month_names
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog, floor_view
from kezek.app.calls import shift_ended_today
from kezek.app.catalog import CenterContext
from kezek.core.floor import TicketStatus
from kezek.core.network import Window, center_offers_kind, window_serves
from kezek.core.registry import Delivery, Service
from kezek.store.models import TicketRow, WindowRow, WindowStateRow, utcnow
from kezek.web.i18n_ui import ui


@dataclass(frozen=True, slots=True)
class WindowPlace:
    """A window and the centre it belongs to."""

    row: WindowRow
    window: Window
    ctx: CenterContext


async def window_place(s: AsyncSession, window_id: int) -> WindowPlace | None:
    row = await s.get(WindowRow, window_id)
    if row is None:
        return None
    ctx = await catalog.center(s, row.center_id)
    window = next((w for w in ctx.windows if w.id == window_id), None)
    return WindowPlace(row, window, ctx) if window is not None else None


def strings(lang: str, keys: tuple[str, ...]) -> dict[str, str]:
    """UI strings for the page's JavaScript, unformatted (`{n}` stays for the script)."""
    return {key: ui(key, lang) for key in keys}


def _service_info(service: Service, lang: str) -> dict[str, Any]:
    return {"name": service.names.get(lang),
            "max_wait": service.standard.max_wait_minutes,
            "online": service.delivery is not Delivery.PAPER}


async def offered_services(s: AsyncSession, ctx: CenterContext) -> list[Service]:
    """Active services some window of the centre can take, by code."""
    snap = await catalog.snapshot(s)
    return [x for _, x in sorted(snap.services.items())
            if x.active and any(window_serves(w, x, ctx.center) for w in ctx.windows)]


async def service_names(s: AsyncSession, lang: str) -> dict[str, dict[str, Any]]:
    """Every service of the registry: name in the page language, maximum wait, online."""
    snap = await catalog.snapshot(s)
    return {code: _service_info(x, lang) for code, x in snap.services.items()}


async def window_console(s: AsyncSession, place: WindowPlace, lang: str) -> dict[str, Any]:
    """The operator console's starting state."""
    snap = await catalog.snapshot(s)
    center = place.ctx.center
    serves = sorted(code for code, x in snap.services.items()
                    if window_serves(place.window, x, center))
    state = await s.get(WindowStateRow, place.row.id)
    ticket = await s.scalar(select(TicketRow).where(
        TicketRow.window_id == place.row.id,
        TicketRow.status.in_((TicketStatus.CALLED.value, TicketStatus.SERVING.value))))
    offered = await offered_services(s, place.ctx)
    return {
        "window": {"id": place.row.id, "number": place.row.number,
                   "privilege": place.row.privilege},
        "center": center.id,
        "state": state.state if state is not None else "closed",
        "shift_ended": state is not None and shift_ended_today(state, center.timezone,
                                                               utcnow()),
        "ticket": None if ticket is None else {
            "id": ticket.id, "label": ticket.label, "status": ticket.status,
            "services": list(ticket.services), "calls": ticket.calls,
            "booked_time": floor_view.booked_time(ticket.booked_start, center.timezone)},
        "serves": serves,
        "services": {x.code: _service_info(x, lang) for x in offered} | {
            code: _service_info(snap.services[code], lang) for code in serves},
        # by name, as the operator types it into the transfer filter
        "transfer": sorted(({"code": x.code, "name": x.names.get(lang)} for x in offered),
                           key=lambda x: str(x["name"]).lower()),
    }


def door_services(services: list[Service], ctx: CenterContext, lang: str
                  ) -> list[dict[str, Any]]:
    """What a walk-in may ask for here, by name: the centre's kind of services."""
    return sorted(({"code": x.code, "name": x.names.get(lang),
                    "online": x.delivery is not Delivery.PAPER}
                   for x in services if center_offers_kind(ctx.center, x)),
                  key=lambda x: str(x["name"]).lower())


def calendar(lang: str) -> dict[str, list[str]]:
    """Month names (as in "24 November") and weekday names, Monday first, from CLDR:
    a kiosk browser may lack Kazakh dates, so the board does not rely on it."""
    months = get_month_names("wide", context="format", locale=lang)
    days = get_day_names("wide", context="format", locale=lang)
    return {"months": [str(months[i]) for i in range(1, 13)],
            "weekdays": [str(days[i]) for i in range(7)]}


def local_today(ctx: CenterContext, now: dt.datetime | None = None) -> dt.date:
    return (now or utcnow()).astimezone(ZoneInfo(ctx.center.timezone)).date()


async def no_shows_today(s: AsyncSession, ctx: CenterContext) -> int:
    """Tickets of the centre's current day that ended as no-shows."""
    return await floor_view.no_shows_today(s, ctx.center.id)
