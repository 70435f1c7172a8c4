"""The statistics page for analysts and managers: the report's charts, live from a data set.

The page draws the same tables and charts as `kezek report` (analytics.report.build and
chart) from the data set named by `KEZEK_ANALYTICS_DIR`. Analysts and admins see the whole
network and may filter it; a manager sees only their own centre. DuckDB and matplotlib work
in a worker thread, so a national query never blocks the event loop, and results are cached
per data-set version and filter.

Each chart is an `<img>` of an SVG from its own route (issue 13): matplotlib's SVG carries
inline `style` attributes and a `<style>` element, which the site's CSP (`style-src 'self'`)
refuses inside the page, drawing every chart black. An SVG loaded as an image is a separate
document the page's CSP does not reach, so the policy stays as strict as it is. The route
checks the same role and applies the same filter (a manager's own centre) as the page; its
URL carries the data set's version, so the browser keeps a chart until the data change.
Codes are shown as names in the page's language (`i18n_analytics.name_of`).

The analytics package (DuckDB, numpy, matplotlib: seconds of import) is imported inside
the handlers, with the first visit to this page, not with the app (ADR 0016).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from kezek.api.deps import actor_of, tx
from kezek.app.actor import Actor, Role
from kezek.core.errors import Forbidden, NotFound, Unauthorized, ValidationFailed
from kezek.store.models import CenterRow, CityRow
from kezek.web.i18n_analytics import NAMED, at, heading, name_of
from kezek.web.i18n_ui import ui
from kezek.web.render import Problem, lang_of, message_page, render, settings_of

if TYPE_CHECKING:
    from kezek.analytics.stats import Filter, Table

router = APIRouter(include_in_schema=False)
ROLES = (Role.ADMIN, Role.ANALYST, Role.MANAGER)


def _named(table: Table, lang: str) -> Table:
    """The table with its codes (regions, sectors, channels) as names in `lang`."""
    named = [i for i, c in enumerate(table.columns) if c in NAMED]
    if not named:
        return table
    rows = [tuple(name_of(table.columns[i], v, lang) if i in named and isinstance(v, str)
                  else v for i, v in enumerate(row)) for row in table.rows]
    return dataclasses.replace(table, rows=rows)


@lru_cache(maxsize=32)
def _tables(directory: str, version: float, flt: Filter, lang: str
            ) -> tuple[tuple[str, Table], ...]:
    """Every table for one filter, named in `lang`; `version` (the file's mtime) keys the
    cache, so new data are read at once."""
    from kezek.analytics import report
    from kezek.analytics.calibration import Targets
    from kezek.analytics.dataset import connect
    from kezek.analytics.stats import Filter

    path = Path(directory)
    meta = _meta(path)
    targets = Targets(**meta["targets"]) if "targets" in meta and flt == Filter() else None
    con = connect(path)
    return tuple((key, _named(table, lang)) for key, table in report.build(con, flt, targets))


@lru_cache(maxsize=256)
def _chart(directory: str, version: float, flt: Filter, lang: str, key: str) -> bytes | None:
    """One chart as SVG, or None when this filter has no such table or it has no chart."""
    from kezek.analytics import report

    table = dict(_tables(directory, version, flt, lang)).get(key)
    if table is None or key not in report.CHARTED:
        return None
    names = {c: heading(c, lang) for c in table.columns}
    return report.chart(key, table, report.TITLES[key][lang], fmt="svg", names=names)


def _meta(path: Path) -> dict[str, Any]:
    meta_path = path / "meta.json"
    if not meta_path.exists():
        return {}
    data: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    return data


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


async def _reader(request: Request, s: AsyncSession) -> tuple[Actor, list[str]]:
    """The signed-in reader of the statistics and, for a manager, their centres' slugs.

    A manager with no centre (not yet given one, or theirs removed) reads nothing: an
    empty list must never widen to the whole network, so callers refuse them."""
    actor = await actor_of(request, s)
    mine: list[str] = []
    if actor.is_staff and actor.role is Role.MANAGER:
        rows = await s.execute(select(CenterRow.slug).where(CenterRow.id.in_(actor.centers)))
        mine = sorted(r[0] for r in rows)
    return actor, mine


async def _names(s: AsyncSession, model: type[CityRow] | type[CenterRow], slugs: list[str],
                 lang: str) -> list[tuple[str, str]]:
    """(slug, name in the page's language) for the filter's lists, in the language's
    alphabetical order; a slug the network does not know (a generated data set's) is
    shown as it is."""
    pick = lang if lang in ("kk", "ru", "en") else "ru"
    rows = (await s.execute(select(model.slug, getattr(model, f"name_{pick}"), model.name_ru)
                            .where(model.slug.in_(slugs)))).all()
    known = {slug: name or name_ru for slug, name, name_ru in rows}
    return sorted(((slug, known.get(slug) or slug) for slug in slugs),
                  key=lambda pair: _collation(pair[1]))


def _centreless(actor: Actor, mine: list[str]) -> bool:
    """A manager of no centre: no figures at all, rather than the network's."""
    return actor.role is Role.MANAGER and not mine


def _filter(q: Mapping[str, str], mine: list[str]) -> tuple[Filter, bool]:
    """The filter asked for in the query, and whether its dates were readable; a manager's
    is always their own centre (the first of theirs unless another of theirs is asked)."""
    from kezek.analytics.stats import Filter

    good = True
    try:
        start, end = _date(q.get("start")), _date(q.get("end"))
    except ValueError:
        start = end = None
        good = False
    if mine:
        centre = q.get("centre")
        return Filter(start=start, end=end, centre=centre if centre in mine else mine[0]), good
    return Filter(start=start, end=end, region=q.get("region") or None,
                  city=q.get("city") or None, centre=q.get("centre") or None), good


# The Kazakh alphabet (Russian's letters in their order, with Kazakh's own among them):
# code-point order would put Қ, Ө, Ұ after Я.
ALPHABET = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"


def _collation(name: str) -> tuple[int, ...]:
    return tuple(ALPHABET.find(ch) if ch in ALPHABET else 100 + ord(ch) for ch in name.upper())


def _chart_url(key: str, flt: Filter, lang: str, version: float) -> str:
    query = {"lang": lang, "v": str(int(version * 1000))}
    for name in ("start", "end", "region", "city", "centre"):
        value = getattr(flt, name)
        if value is not None:
            query[name] = str(value)
    return f"/staff/analytics/charts/{key}.svg?{urlencode(query)}"


@router.get("/staff/analytics")
async def analytics_page(request: Request) -> Response:
    lang = lang_of(request)
    async with tx(request) as s:
        actor, mine = await _reader(request, s)
    if not actor.is_staff:
        return RedirectResponse("/staff/login?next=/staff/analytics", status_code=303)
    if actor.role not in ROLES or _centreless(actor, mine):
        return message_page(request, 403, "forbidden_title", ui("forbidden_body", lang),
                            ("/staff", ui("staff_home", lang)))
    flt, good = _filter(request.query_params, mine)
    problems = [] if good else [Problem(at("bad_date", lang), "#start", "start")]
    directory = Path(settings_of(request).analytics_dir)
    visits = directory / "visits.parquet"
    ctx: dict[str, Any] = {"at": at, "filter": flt, "mine": mine, "sections": [],
                           "meta": {}, "choices": {}}
    if visits.exists():
        from kezek.analytics import report

        version = visits.stat().st_mtime
        tables = await run_in_threadpool(_tables, str(directory), version, flt, lang)
        ctx["sections"] = [
            {"key": key, "title": report.TITLES[key][lang],
             "columns": [heading(c, lang) for c in table.columns], "rows": table.rows[:40],
             "chart": _chart_url(key, flt, lang, version) if key in report.CHARTED else None}
            for key, table in tables]
        ctx["meta"] = _meta(directory)
        choices = await run_in_threadpool(_choices, str(directory), version)
        regions = sorted(((code, name_of("region", code, lang)) for code in choices["region"]),
                         key=lambda pair: _collation(pair[1]))
        async with tx(request) as s:
            cities = await _names(s, CityRow, choices["city"], lang)
            centres = await _names(s, CenterRow, choices["slug"], lang)
        ctx["choices"] = {**choices, "region": regions, "city": cities, "slug": centres}
    return render(request, "analytics.html", private=True, problems=problems, **ctx)


@router.get("/staff/analytics/charts/{key}.svg")
async def analytics_chart(request: Request, key: str) -> Response:
    """One chart of the page, as an image: same reader, same filter, same language."""
    lang = lang_of(request)
    async with tx(request) as s:
        actor, mine = await _reader(request, s)
    if not actor.is_staff:
        raise Unauthorized()
    if actor.role not in ROLES or _centreless(actor, mine):
        raise Forbidden()
    flt, good = _filter(request.query_params, mine)
    if not good:
        raise ValidationFailed(detail=at("bad_date", lang))
    directory = Path(settings_of(request).analytics_dir)
    visits = directory / "visits.parquet"
    if not visits.exists():
        raise NotFound()
    version = visits.stat().st_mtime
    svg = await run_in_threadpool(_chart, str(directory), version, flt, lang, key)
    if svg is None:
        raise NotFound()
    current = request.query_params.get("v") == str(int(version * 1000))
    return Response(svg, media_type="image/svg+xml", headers={
        # The URL names the data set's version: until the data change it is the same picture.
        "Cache-Control": "private, max-age=86400" if current else "private, no-cache",
        "X-Content-Type-Options": "nosniff", "Content-Language": lang})


@lru_cache(maxsize=4)
def _choices(directory: str, version: float) -> dict[str, list[str]]:
    from kezek.analytics.dataset import connect

    con = connect(Path(directory))
    return {name: [r[0] for r in con.execute(
        f"SELECT DISTINCT {name} FROM centres ORDER BY 1").fetchall()]
        for name in ("region", "city", "slug")}
