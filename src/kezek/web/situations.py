"""Browsing the registry by life situation: for people who do not know a service's name."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kezek.api.deps import tx
from kezek.app import situations
from kezek.core.registry import Delivery
from kezek.core.sector_names import sector_name
from kezek.web.render import lang_of, not_found_page, render

router = APIRouter(include_in_schema=False)
_CODE = re.compile(r"[0-9]{4}")


@router.get("/situations", response_class=HTMLResponse)
async def all_situations(request: Request) -> HTMLResponse:
    """Situations grouped under their registry section, in the registry's order."""
    lang = lang_of(request)
    async with tx(request) as s:
        found = await situations.browse(s)
    sections: list[dict[str, object]] = []
    for sit in found:
        title = sector_name(sit.sector, lang)
        if not sections or sections[-1]["title"] != title:
            sections.append({"title": title, "items": []})
        items = sections[-1]["items"]
        assert isinstance(items, list)
        items.append({"code": sit.code, "name": sit.names.get(lang), "n": len(sit.services)})
    return render(request, "situations.html", sections=sections)


@router.get("/situations/{code}", response_class=HTMLResponse)
async def one_situation(request: Request, code: str) -> HTMLResponse:
    lang = lang_of(request)
    if not _CODE.fullmatch(code):
        return not_found_page(request)
    async with tx(request) as s:
        sit = await situations.one(s, code)
    if sit is None:
        return not_found_page(request)
    results = [{"code": x.code, "name": x.names.get(lang),
                "online": x.delivery is Delivery.ONLINE} for x in sit.services]
    return render(request, "situation.html", title=sit.names.get(lang), results=results)
