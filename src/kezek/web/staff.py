"""Staff sign-in for the pages: a signed session cookie, CSRF on every form.

The API uses bearer tokens; pages use the session cookie set here (HttpOnly,
SameSite=Lax, Secure in production). The cookie names the user and the user's
`session_version`; the server refuses it once the version moves on (logout, a password
change, disabling: api/deps.py staff_user). Staff consoles build on it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.client import throttle_of
from kezek.api.deps import (
    SESSION_USER,
    SESSION_VERSION,
    actor_of,
    bearer,
    page_session,
    sign_in,
    tx,
)
from kezek.api.errors import error_headers
from kezek.app import accounts, staff_accounts
from kezek.app.actor import Channel
from kezek.core.errors import KezekError, OtpInvalid, OtpRequired, Unauthorized
from kezek.i18n import error_message
from kezek.store.models import CenterRow, UserRow, WindowRow
from kezek.web.i18n_analytics import at as analytics_text
from kezek.web.i18n_ui import ui
from kezek.web.render import Problem, lang_of, render
from kezek.web.security import checked_form, field

router = APIRouter(include_in_schema=False, prefix="/staff")
NEXT_LIMIT = 200


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a staff page of this site, else the staff home."""
    if (value and len(value) <= NEXT_LIMIT and value.startswith("/staff/")
            and "//" not in value and "\\" not in value and value.isascii()
            and value.isprintable() and not value.startswith("/staff/log")):
        return value
    return "/staff"


@router.get("/login")
async def login_form(request: Request) -> Response:
    return render(request, "staff_login.html", username="", private=True,
                  next=safe_next(request.query_params.get("next")))


@router.post("/login")
async def login(request: Request) -> Response:
    """Signs in through the same throttled path as the API token; a refusal (wrong
    password, a wait, a lock, a missing code) is the form again with the reason in the
    page's language and the refusal's status (429 with Retry-After)."""
    form = await checked_form(request)
    username = field(form, "username", 64)
    password = field(form, "password", 200)
    otp = field(form, "otp", 10) or None
    after = safe_next(field(form, "next", NEXT_LIMIT))

    async def signed(s: AsyncSession, user: UserRow) -> tuple[int, int, bool]:
        return user.id, user.session_version, user.must_change_password

    try:
        user_id, version, must_change = await sign_in(request, username, password, otp,
                                                      signed)
    except KezekError as exc:
        lang = lang_of(request)
        text = ui("bad_login", lang) if isinstance(exc, Unauthorized) \
            else error_message(exc.code, lang, exc.params)
        target = "#otp" if isinstance(exc, OtpRequired | OtpInvalid) else "#username"
        page = render(request, "staff_login.html", status=exc.status, here="/staff/login",
                      username=username, private=True, next=after,
                      problems=[Problem(text, target, target[1:])])
        page.headers.update(error_headers(exc) or {})
        return page
    _start_session(request, user_id, version)
    return RedirectResponse("/staff/password" if must_change else after, status_code=303)


def _start_session(request: Request, user_id: int, version: int) -> None:
    request.session.clear()
    request.session[SESSION_USER] = user_id
    request.session[SESSION_VERSION] = version


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Signs out: ends every page session of this user, not only this browser's (the
    server tells sessions apart only by the user's version), and the bearer token sent,
    if any. A copied cookie dies here too."""
    await checked_form(request)
    user_id, version = page_session(request)
    token = bearer(request)
    async with tx(request) as s:
        if user := await accounts.user_for_session(s, user_id, version):
            await accounts.end_page_sessions(s, user.id)
        if token:
            await accounts.revoke_token(s, token)
    request.session.clear()
    return RedirectResponse("/staff/login", status_code=303)


@router.get("/password")
async def password_form(request: Request) -> Response:
    async with tx(request) as s:
        actor = await actor_of(request, s)
    if not actor.is_staff:
        return RedirectResponse("/staff/login?next=/staff/password", status_code=303)
    return render(request, "staff_password.html", private=True)


@router.post("/password")
async def change_password(request: Request) -> Response:
    """The signed-in user changes their own password. Every token and page session of
    theirs ends; this browser is signed in again under the new version."""
    form = await checked_form(request)
    old, new = field(form, "old_password", 200), field(form, "new_password", 200)
    lang = lang_of(request)
    try:
        async with tx(request) as s:
            actor = await actor_of(request, s)
            if not actor.is_staff or actor.user_id is None:
                return RedirectResponse("/staff/login", status_code=303)
            await throttle_of(request).hit("password:user", str(actor.user_id))
            if new != field(form, "new_password2", 200):
                return render(request, "staff_password.html", status=422, private=True,
                              here="/staff/password", problems=[Problem(
                                  ui("passwords_differ", lang), "#new_password2",
                                  "new_password2")])
            user = await staff_accounts.change_password(s, actor.user_id, old, new, actor,
                                                        Channel.WEB)
            user_id, version = user.id, user.session_version
    except KezekError as exc:
        wrong_old = isinstance(exc, Unauthorized)
        text = ui("bad_old_password", lang) if wrong_old else error_message(
            exc.code, lang, exc.params)
        target = "old_password" if wrong_old else "new_password"
        page = render(request, "staff_password.html", status=exc.status, private=True,
                      here="/staff/password", problems=[Problem(text, f"#{target}", target)])
        page.headers.update(error_headers(exc) or {})
        return page
    _start_session(request, user_id, version)
    return RedirectResponse("/staff", status_code=303)


@router.get("")
async def home(request: Request) -> Response:
    async with tx(request) as s:
        actor = await actor_of(request, s)
        if not actor.is_staff:
            return RedirectResponse("/staff/login", status_code=303)
        centres = []
        windows: dict[int, list[WindowRow]] = {}
        if actor.centers:
            centres = list((await s.scalars(select(CenterRow).where(
                CenterRow.id.in_(actor.centers)).order_by(CenterRow.slug))).all())
            for w in (await s.scalars(select(WindowRow).where(
                    WindowRow.center_id.in_(actor.centers), WindowRow.active)
                    .order_by(WindowRow.number))).all():
                windows.setdefault(w.center_id, []).append(w)
    role = actor.role.value if actor.role else ""
    return render(request, "staff_home.html", actor=actor, centres=centres, private=True,
                  windows=windows, can_window=role in ("operator", "manager", "admin"),
                  can_door=role in ("door", "operator", "manager", "admin"),
                  can_view=role in ("manager", "admin", "analyst"),
                  stats_link=analytics_text("link", lang_of(request)))
