"""Staff sign-in for the pages: a signed session cookie, CSRF on every form.

The API uses bearer tokens; pages use the session cookie set here (HttpOnly,
SameSite=Lax, Secure in production). Staff consoles of later issues build on it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from kezek.api.deps import actor_of, tx
from kezek.app import accounts
from kezek.core.errors import Unauthorized
from kezek.store.models import CenterRow, WindowRow
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
    form = await checked_form(request)
    username = field(form, "username", 64)
    password = field(form, "password", 200)
    after = safe_next(field(form, "next", NEXT_LIMIT))
    async with tx(request) as s:
        try:
            user = await accounts.authenticate(s, username, password)
        except Unauthorized:
            lang = lang_of(request)
            return render(request, "staff_login.html", status=401, here="/staff/login",
                          username=username, private=True, next=after,
                          problems=[Problem(ui("bad_login", lang), "#username", "username")])
    request.session.clear()
    request.session["user_id"] = user.id
    return RedirectResponse(after, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/staff/login", status_code=303)


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
