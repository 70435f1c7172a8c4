"""The statistics page for analysts and managers: the report's charts, live from a data set.

The page draws the same tables and charts as `kezek report` (analytics.report.build and
chart), as inline SVG, from the data set named by `KEZEK_ANALYTICS_DIR`. Analysts and admins
see the whole network and may filter it; a manager sees only their own centre. DuckDB and
matplotlib work in a worker thread, so a national query never blocks the event loop, and
results are cached per data-set version and filter.

The analytics package (DuckDB, numpy, matplotlib: seconds of import) is imported inside
the handlers, with the first visit to this page, not with the app (ADR 0016).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from kezek.api.deps import actor_of, tx
from kezek.app.actor import Role
from kezek.store.models import CenterRow
from kezek.web.i18n_analytics import at
from kezek.web.i18n_ui import ui
from kezek.web.render import Problem, lang_of, message_page, render, settings_of

if TYPE_CHECKING:
    from kezek.analytics.stats import Filter

router = APIRouter(include_in_schema=False)
ROLES = (Role.ADMIN, Role.ANALYST, Role.MANAGER)


@lru_cache(maxsize=32)
def _sections(directory: str, version: float, flt: Filter, lang: str
              ) -> tuple[tuple[str, str, list[str], list[tuple[Any, ...]], str | None], ...]:
    """Every table and chart for one filter; `version` (the file's mtime) keys the cache."""
    from kezek.analytics import report
    from kezek.analytics.calibration import Targets
    from kezek.analytics.dataset import connect
    from kezek.analytics.stats import Filter

    path = Path(directory)
    meta = _meta(path)
    targets = Targets(**meta["targets"]) if "targets" in meta and flt == Filter() else None
    con = connect(path)
    out = []
    for key, table in report.build(con, flt, targets):
        title = report.TITLES[key][lang]
        svg = report.chart(key, table, title, fmt="svg")
        text = svg.decode("utf-8") if svg else None
        if text:
            text = text[text.find("<svg"):]  # drop the XML prolog: the SVG sits inside HTML
        out.append((key, title, table.columns, table.rows[:40], text))
    return tuple(out)


def _meta(path: Path) -> dict[str, Any]:
    meta_path = path / "meta.json"
    if not meta_path.exists():
        return {}
    data: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    return data


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@router.get("/staff/analytics")
async def analytics_page(request: Request) -> Response:
    from kezek.analytics.stats import Filter

    lang = lang_of(request)
    async with tx(request) as s:
        actor = await actor_of(request, s)
        if not actor.is_staff:
            return RedirectResponse("/staff/login?next=/staff/analytics", status_code=303)
        if actor.role not in ROLES:
            return message_page(request, 403, "forbidden_title", ui("forbidden_body", lang),
                                ("/staff", ui("staff_home", lang)))
        mine = []
        if actor.role is Role.MANAGER:
            rows = await s.execute(select(CenterRow.slug).where(CenterRow.id.in_(actor.centers)))
            mine = sorted(r[0] for r in rows)
    q = request.query_params
    problems: list[Problem] = []
    try:
        start, end = _date(q.get("start")), _date(q.get("end"))
    except ValueError:
        start = end = None
        problems.append(Problem(at("bad_date", lang), "#start", "start"))
    centre = q.get("centre") or None
    if mine:
        centre = centre if centre in mine else mine[0]
    flt = Filter(start=start, end=end, region=q.get("region") or None,
                 city=None if mine else q.get("city") or None, centre=centre)
    if mine:
        flt = Filter(start=start, end=end, centre=centre)
    directory = Path(settings_of(request).analytics_dir)
    visits = directory / "visits.parquet"
    ctx: dict[str, Any] = {"at": at, "filter": flt, "mine": mine, "sections": [],
                           "meta": {}, "choices": {}}
    if visits.exists():
        sections = await run_in_threadpool(_sections, str(directory), visits.stat().st_mtime,
                                           flt, lang)
        ctx["sections"] = [{"key": k, "title": t, "columns": c, "rows": r,
                            "svg": Markup(svg) if svg else None}
                           for k, t, c, r, svg in sections]
        ctx["meta"] = _meta(directory)
        ctx["choices"] = await run_in_threadpool(_choices, str(directory),
                                                 visits.stat().st_mtime)
    return render(request, "analytics.html", private=True, problems=problems, **ctx)


@lru_cache(maxsize=4)
def _choices(directory: str, version: float) -> dict[str, list[str]]:
    from kezek.analytics.dataset import connect

    con = connect(Path(directory))
    return {name: [r[0] for r in con.execute(
        f"SELECT DISTINCT {name} FROM centres ORDER BY 1").fetchall()]
        for name in ("region", "city", "slug")}
