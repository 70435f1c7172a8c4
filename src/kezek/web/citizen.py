"""The start page, service search and the service page (where a centre is chosen)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from kezek import display
from kezek.api.deps import tx
from kezek.app import registry
from kezek.app.slots import EARLIEST_SPANS, earliest_free
from kezek.core.errors import KezekError, NotFound
from kezek.core.registry import Delivery
from kezek.store.models import utcnow
from kezek.web.i18n_ui import ui
from kezek.web.privilege_path import privilege_window_centres
from kezek.web.render import (
    Problem,
    error_page,
    lang_of,
    not_found_page,
    render,
    settings_of,
)
from kezek.web.views import (
    CentreChoice,
    name_in,
    offering_centres,
    self_service,
    service_view,
)

router = APIRouter(include_in_schema=False)
MAX_QUERY = 200
CITY_COOKIE = "kezek_city"
EARLIEST_FOR = 12  # centres listed: above this, earliest times are shown per city only


@router.get("/", response_class=HTMLResponse)
async def start(request: Request) -> HTMLResponse:
    return render(request, "start.html", q="")


@router.get("/services", response_class=HTMLResponse)
async def search(request: Request, q: str = "") -> HTMLResponse:
    lang = lang_of(request)
    q = q.strip()[:MAX_QUERY]
    if not q:
        problem = Problem(ui("search_empty", lang), "#q", "q")
        return render(request, "start.html", status=422, q="", problems=[problem])
    async with tx(request) as s:
        found = await registry.search(s, q, limit=100)
    results = [{"code": x.code, "name": x.names.get(lang),
                "online": x.delivery is Delivery.ONLINE} for x in found]
    return render(request, "results.html", q=q, results=results)


@router.get("/services/{code}", response_class=HTMLResponse)
async def service_page(request: Request, code: str, city: str | None = None
                       ) -> HTMLResponse:
    """The service's standard and the centres that offer it, grouped by city.

    The city chosen is remembered (a cookie of its name, nothing personal), so a person
    who comes back for another service sees their own city's centres first; choosing
    "all" forgets it."""
    lang = lang_of(request)
    asked, city = city, (request.cookies.get(CITY_COOKIE, "") if city is None else city)
    try:
        async with tx(request) as s:
            service = await registry.get(s, code)
            online_only = service.delivery is Delivery.ONLINE
            points = await self_service(s, lang, city) if online_only else []
            groups = await (privilege_window_centres if online_only else offering_centres)(
                s, service, lang)
            shown = [(c, centres) for c, centres in groups if not city or c.slug == city]
            if city and not shown:
                shown = groups
            earliest = await _earliest(s, service.code, [
                c for _, centres in shown for c in centres], lang) if service.active else {}
    except NotFound:
        return not_found_page(request)
    except KezekError as exc:
        return error_page(request, exc)
    if not service.active:
        return not_found_page(request)
    cities = [{"slug": c.slug, "name": name_in(c, lang), "selected": c.slug == city}
              for c, _ in groups]
    response = render(
        request, "service.html", service=service_view(service, lang), online_only=online_only,
        both=service.delivery is Delivery.BOTH, points=points, cities=cities, city=city,
        groups=[{"name": name_in(c, lang), "centres": centres} for c, centres in shown],
        earliest=earliest, earliest_days=sum(EARLIEST_SPANS))
    if asked == "":
        response.delete_cookie(CITY_COOKIE, path="/")
    elif asked is not None and any(c["selected"] for c in cities):
        response.set_cookie(CITY_COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax",
                            secure=settings_of(request).secure_cookies, httponly=True,
                            path="/")
    return response


async def _earliest(s: AsyncSession, code: str, centres: list[CentreChoice], lang: str
                    ) -> dict[int, str | None]:
    """The earliest free time at each centre listed, when the list is short enough (one
    city, as a rule) to read them all: the first thing a person comparing centres asks.
    None for a centre with no free time in the span; centres open to privileged people
    only are left out (their times depend on the privilege, asked on the next page)."""
    if len(centres) > EARLIEST_FOR:
        return {}
    now, out = utcnow(), {}
    for c in centres:
        if c.privilege_only:
            continue
        found = await earliest_free(s, c.id, code, now)
        out[c.id] = None if found is None else (
            f"{display.day_label(found.start.date(), lang, short=True)}, "
            f"{found.start.strftime('%H:%M')}")
    return out
