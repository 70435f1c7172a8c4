"""The code step of the citizen pages: a personal action waits while the person proves
they hold the IIN, then goes on by itself.

A page that books, lists or finds a person's bookings calls `gate`. With a live proof
for that IIN in the session (or on a network with `identity: none`) it lets the action
run. Otherwise it keeps the action in the session (the IIN sealed, never in clear),
sends a code and shows the code page; when the code comes back, the action registered
under its kind in `RESUME` runs. Plain forms and redirects: no JavaScript needed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.client import throttle_client, throttle_of
from kezek.api.deps import iin_key, settings_of, tx
from kezek.app import catalog
from kezek.app.actor import CITIZEN, Channel
from kezek.app.identity import codes
from kezek.app.identity import proof as proofs
from kezek.app.identity.wiring import directory_for, sender_for
from kezek.core.errors import KezekError, PhoneRequired
from kezek.core.identity import IdentityMode, normalize_phone, phone_digest
from kezek.core.privacy import iin_digest
from kezek.web.i18n_ui import ui
from kezek.web.pow import page_work
from kezek.web.render import Problem, error_page, lang_of, message_page, problem_of, render
from kezek.web.security import checked_form, csrf_token, field, seal, unseal

PHONE_PAGE = "/identity/phone"
router = APIRouter(include_in_schema=False)
PENDING, CHALLENGE = "identity_pending", "identity_challenge"
Resume = Callable[[Request, str, dict[str, Any]], Awaitable[Response]]
RESUME: dict[str, Resume] = {}


async def gate(request: Request, session: AsyncSession, iin: str, kind: str,
               args: dict[str, Any], rule: str = "booking") -> Response | None:
    """None when the action may run now; else the page that asks for the code (or the
    number). Throttles the client and the IIN either way."""
    await throttle_client(request, rule)
    key = iin_key(request)
    await throttle_of(request).hit(f"{rule}:iin", iin_digest(iin, key))
    policy = await catalog.identity_policy(session)
    proof = proofs.from_dict(request.session.get(proofs.SESSION_KEY))
    if policy.mode is IdentityMode.NONE or (proof is not None and proof.covers(iin, key)):
        return None
    secret = settings_of(request).secret_key
    request.session[PENDING] = {"kind": kind, "args": args,
                                "iin": seal(iin, secret, csrf_token(request))}
    return await _send(request, session, iin, None)


async def require_proof(request: Request, session: AsyncSession, iin: str) -> None:
    """Refuses (IdentityRequired) unless the session holds a live proof for the IIN; for
    a second step of an action already proven (Cancel under a shown booking)."""
    await throttle_client(request, "lookup")
    proofs.require(proofs.from_dict(request.session.get(proofs.SESSION_KEY)), iin,
                   iin_key(request), await catalog.identity_policy(session))


async def _send(request: Request, session: AsyncSession, iin: str,
                phone: str | None) -> Response:
    settings, key = settings_of(request), iin_key(request)
    await throttle_client(request, "identity.send")
    await page_work(request)
    await throttle_of(request).hit("identity.send:iin", iin_digest(iin, key))
    typed = normalize_phone(phone) if phone else None
    if typed:
        await throttle_of(request).hit("identity.send:phone", phone_digest(typed, key))
    try:
        started = await codes.start(session, iin, phone, directory_for(settings),
                                    sender_for(settings),
                                    await catalog.identity_policy(session), key,
                                    lang_of(request))
    except PhoneRequired:
        return render(request, "identity_phone.html", here=PHONE_PAGE)
    request.session[CHALLENGE] = {"id": started.challenge, "to": started.sent_to,
                                  "ttl": started.expires_in, "dev": started.dev_code,
                                  "via": started.channel}
    return RedirectResponse("/identity/code", status_code=303)


def _pending_iin(request: Request) -> tuple[str, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    iin = unseal(str(pending.get("iin", "")), settings_of(request).secret_key,
                 csrf_token(request))
    return (iin, pending) if iin else None


def _lost(request: Request) -> Response:
    return message_page(request, 410, "error_summary", ui("identity_lost", lang_of(request)))


def _code_page(request: Request, problems: list[Problem] | None = None,
               status: int = 200) -> Response:
    sent = request.session.get(CHALLENGE)
    if not isinstance(sent, dict):
        return _lost(request)
    return render(request, "identity_code.html", status=status, problems=problems or [],
                  sent_to=str(sent["to"]).replace(" ", "\u00a0"),
                  minutes=max(1, int(sent["ttl"]) // 60),
                  dev_code=sent.get("dev"), via=sent.get("via"), here="/identity/code")


@router.get("/identity/code", response_class=HTMLResponse)
async def code_form(request: Request) -> Response:
    return _code_page(request)


@router.post("/identity/code", response_class=HTMLResponse)
async def code_post(request: Request) -> Response:
    form = await checked_form(request)
    language = lang_of(request)
    sent, pending = request.session.get(CHALLENGE), _pending_iin(request)
    if not isinstance(sent, dict) or pending is None:
        return _lost(request)
    otp = field(form, "otp", 12)
    if not otp:
        return _code_page(request, [Problem(ui("otp_empty", language), "#otp", "otp")], 422)
    try:
        await throttle_client(request, "identity.check")
        async with tx(request) as s:
            policy = await catalog.identity_policy(s)
            checked = await codes.check(s, str(sent["id"]), otp, policy, iin_key(request),
                                        CITIZEN, Channel.WEB)
    except KezekError as exc:
        return error_page(request, exc)
    if checked.error is not None:
        return _code_page(request, [problem_of(checked.error, language, "#otp", "otp")],
                          checked.error.status)
    assert checked.proof is not None
    request.session[proofs.SESSION_KEY] = checked.proof.as_dict()
    request.session.pop(CHALLENGE, None)
    request.session.pop(PENDING, None)
    iin, action = pending
    return await RESUME[action["kind"]](request, iin, action["args"])


@router.get(PHONE_PAGE, response_class=HTMLResponse)
async def phone_form(request: Request) -> Response:
    """The number page again (a language switch): only while an action waits."""
    if _pending_iin(request) is None:
        return _lost(request)
    return render(request, "identity_phone.html", here=PHONE_PAGE)


@router.post(PHONE_PAGE, response_class=HTMLResponse)
async def phone_post(request: Request) -> Response:
    form = await checked_form(request)
    pending = _pending_iin(request)
    if pending is None:
        return _lost(request)
    phone = field(form, "phone", 32)
    try:
        async with tx(request) as s:
            return await _send(request, s, pending[0], phone or None)
    except KezekError as exc:
        return render(request, "identity_phone.html", status=exc.status, here=PHONE_PAGE,
                      problems=[problem_of(exc, lang_of(request), "#phone", "phone")])


@router.post("/identity/resend", response_class=HTMLResponse)
async def resend(request: Request) -> Response:
    await checked_form(request)
    pending = _pending_iin(request)
    if pending is None:
        return _lost(request)
    try:
        async with tx(request) as s:
            return await _send(request, s, pending[0], None)
    except PhoneRequired:
        return render(request, "identity_phone.html", here=PHONE_PAGE)
    except KezekError as exc:
        return error_page(request, exc)
