"""The self check-in kiosk: a full-screen touch page where a citizen checks in with
their booking code and IIN.

The kiosk is an enrolled device, not a staff member (ADR 0035): staff give it a one-time
code (web/kiosk_staff.py or `kezek kiosk enrol`), it redeems the code at /kiosk/enrol
and keeps a signed cookie bound to its centre (api/kiosk_auth.py). /kiosk then opens
that centre's kiosk page and nothing else; a staff session on the same screen is neither
needed nor shown. The page is a shell; its script (static/floor_kiosk.js) posts
`{code, iin}` to /api/v1/kiosk/arrivals, so the IIN travels only in a POST body. At a
full centre the ticket waits outside: the kiosk says so, with the place in that line.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from kezek.api.client import throttle_client
from kezek.api.deps import tx
from kezek.api.kiosk_auth import kiosk_of, set_kiosk_cookie
from kezek.app import catalog, kiosk_devices
from kezek.core.errors import NotFound, RateLimited
from kezek.i18n import error_message
from kezek.web import floor_data
from kezek.web.i18n_ui import ui
from kezek.web.render import Problem, lang_of, message_page, not_found_page, render
from kezek.web.security import checked_form, field

router = APIRouter(include_in_schema=False)

IDLE_SECONDS = 20
KIOSK_KEYS = ("net_error", "kiosk_need_both", "kiosk_ticket", "kiosk_wait",
              "kiosk_see_staff", "kiosk_failed", "kiosk_again", "kiosk_sending",
              "kiosk_outside_title", "kiosk_outside", "kiosk_outside_call",
              "kiosk_claim_doc", "kiosk_not_enrolled")


@router.get("/kiosk")
async def kiosk(request: Request) -> Response:
    lang = lang_of(request)
    try:
        async with tx(request) as s:
            device = await kiosk_of(request, s)
            if device is None:
                return RedirectResponse("/kiosk/enrol", status_code=303)
            ctx = await catalog.center(s, device.center_id)
    except NotFound:
        return not_found_page(request)
    data = {"center": device.center_id, "lang": lang, "idle": IDLE_SECONDS,
            "api": "/api/v1/kiosk/arrivals", "enrol": "/kiosk/enrol",
            "t": floor_data.strings(lang, KIOSK_KEYS)}
    response = render(request, "floor_kiosk.html", private=True, data=data,
                      centre_name=ctx.center.names.get(lang))
    set_kiosk_cookie(request, response, device)  # renewed: a kiosk in daily use stays
    return response


@router.post("/kiosk")
async def kiosk_without_script(request: Request) -> Response:
    """The kiosk form posts here only when its script did not run: nothing is done,
    and the typed IIN is neither kept nor echoed."""
    lang = lang_of(request)
    return message_page(request, 400, "kiosk_title", ui("js_needed", lang),
                        ("/kiosk", ui("continue", lang)))


def _enrol_page(request: Request, code: str = "", problem: str = "",
                status: int = 200) -> Response:
    problems = [Problem(problem, "#enrol-code", "code")] if problem else []
    return render(request, "kiosk_enrol.html", status=status, private=True,
                  problems=problems, code=code, here="/kiosk/enrol")


@router.get("/kiosk/enrol")
async def enrol_page(request: Request, code: str = "") -> Response:
    """The enrolment screen; a one-time link fills the code in (the device still posts
    it, so a link preview or prefetch never uses the code up)."""
    return _enrol_page(request, kiosk_devices.normal_code(code)[:16])


@router.post("/kiosk/enrol")
async def enrol(request: Request) -> Response:
    lang = lang_of(request)
    form = await checked_form(request)
    code = field(form, "code", 32)
    try:
        await throttle_client(request, "kiosk.enrol")
    except RateLimited as exc:
        return _enrol_page(request, code, error_message(exc.code, lang, exc.params), 429)
    async with tx(request) as s:
        device = await kiosk_devices.redeem(s, code)
    if device is None:
        return _enrol_page(request, code, ui("kiosk_enrol_bad", lang), 400)
    response = RedirectResponse("/kiosk", status_code=303)
    set_kiosk_cookie(request, response, device)
    return response
