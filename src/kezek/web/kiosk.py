"""The self check-in kiosk: a full-screen touch page where a citizen checks in with
their booking code and IIN.

The kiosk device is signed in as a staff member who may stand at the door of the
centre (door, operator or manager of it, or an admin): the same access rules as the
door console. The page is a shell; its script (static/floor_kiosk.js) posts
`{code, iin}` to the floor API's arrivals, so the IIN travels only in a POST body. At a
full centre the ticket waits outside: the kiosk says so, with the place in that line.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kezek.api.deps import tx
from kezek.api.schemas import RowId
from kezek.app import catalog
from kezek.core.errors import NotFound
from kezek.web import floor_data
from kezek.web.floor_pages import DOOR_ROLES, Refused, staff_of
from kezek.web.i18n_ui import ui
from kezek.web.render import lang_of, message_page, not_found_page, render

router = APIRouter(include_in_schema=False)

IDLE_SECONDS = 20
KIOSK_KEYS = ("net_error", "kiosk_need_both", "kiosk_ticket", "kiosk_wait",
              "kiosk_see_staff", "kiosk_failed", "kiosk_again", "kiosk_sending",
              "kiosk_outside_title", "kiosk_outside", "kiosk_outside_call",
              "kiosk_claim_doc")


@router.get("/staff/kiosk/{center_id}")
async def kiosk(request: Request, center_id: RowId) -> Response:
    lang = lang_of(request)
    try:
        async with tx(request) as s:
            await staff_of(request, s, center_id, DOOR_ROLES)
            ctx = await catalog.center(s, center_id)
    except Refused as refused:
        return refused.response
    except NotFound:
        return not_found_page(request)
    data = {"center": center_id, "lang": lang, "idle": IDLE_SECONDS,
            "t": floor_data.strings(lang, KIOSK_KEYS)}
    return render(request, "floor_kiosk.html", private=True, data=data,
                  centre_name=ctx.center.names.get(lang))


@router.post("/staff/kiosk/{center_id}")
async def kiosk_without_script(request: Request, center_id: RowId) -> Response:
    """The kiosk form posts here only when its script did not run: nothing is done,
    and the typed IIN is neither kept nor echoed."""
    lang = lang_of(request)
    return message_page(request, 400, "kiosk_title", ui("js_needed", lang),
                        (f"/staff/kiosk/{center_id}", ui("continue", lang)))
