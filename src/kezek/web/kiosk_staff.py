"""The staff page of a centre's kiosks: enrol a device (a one-time code and link) and
revoke one. Door staff, operators and managers of the centre, and admins, may use it:
the same people who could sign a kiosk in before it had a credential of its own
(ADR 0035). The code is shown once, on this page's POST answer (no-store), never in a
URL of this page or in a log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.deps import tx
from kezek.api.schemas import RowId
from kezek.app import catalog, kiosk_devices
from kezek.app.actor import Actor, Channel
from kezek.core.errors import NotFound
from kezek.web.floor_pages import DOOR_ROLES, Refused, staff_of
from kezek.web.i18n_ui import ui
from kezek.web.render import lang_of, not_found_page, render, settings_of
from kezek.web.security import checked_form, field

router = APIRouter(include_in_schema=False)


def _when(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ")


async def _page(request: Request, s: AsyncSession, center_id: int, actor: Actor,
                **extra: Any) -> Response:
    lang = lang_of(request)
    ctx = await catalog.center(s, center_id)
    extra = {"notice": "", "code": "", "enrol_url": "", "link": "", **extra}
    devices = [{"id": d.id, "short": d.id[:8], "live": d.live,
                "text": ui("kiosk_device_row", lang, id=d.id[:8], when=_when(d.enrolled_at),
                           by=d.enrolled_by),
                "revoked": ui("kiosk_device_revoked", lang, when=_when(d.revoked_at))}
               for d in await kiosk_devices.devices_of(s, center_id)]
    return render(request, "kiosk_devices.html", private=True, center_id=center_id,
                  centre_name=ctx.center.names.get(lang), devices=devices, actor=actor,
                  here=f"/staff/kiosk/{center_id}", **extra)


@router.get("/staff/kiosk/{center_id}")
async def kiosks(request: Request, center_id: RowId) -> Response:
    try:
        async with tx(request) as s:
            actor = await staff_of(request, s, center_id, DOOR_ROLES)
            return await _page(request, s, center_id, actor)
    except Refused as refused:
        return refused.response
    except NotFound:
        return not_found_page(request)


@router.post("/staff/kiosk/{center_id}/enrol")
async def enrol(request: Request, center_id: RowId) -> Response:
    await checked_form(request)
    try:
        async with tx(request) as s:
            actor = await staff_of(request, s, center_id, DOOR_ROLES)
            await catalog.center(s, center_id)
            code = await kiosk_devices.start_enrolment(s, center_id, actor, Channel.DOOR)
            url = f"{settings_of(request).public_url.rstrip('/')}/kiosk/enrol"
            return await _page(request, s, center_id, actor, code=code, enrol_url=url,
                               link=f"{url}?code={code}")
    except Refused as refused:
        return refused.response
    except NotFound:
        return not_found_page(request)


@router.post("/staff/kiosk/{center_id}/revoke")
async def revoke(request: Request, center_id: RowId) -> Response:
    form = await checked_form(request)
    try:
        async with tx(request) as s:
            actor = await staff_of(request, s, center_id, DOOR_ROLES)
            done = await kiosk_devices.revoke(s, center_id, field(form, "device", 40), actor,
                                              Channel.DOOR)
            if not done:
                return not_found_page(request)
            return await _page(request, s, center_id, actor,
                               notice=ui("kiosk_revoked_msg", lang_of(request)))
    except Refused as refused:
        return refused.response
