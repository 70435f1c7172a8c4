"""/docs and /redoc work on a network without the internet: every asset they load is
Kezek's own, and the pages render the API in a real browser with every request to
another origin refused."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx


def test_docs_pages_name_only_their_own_assets(base_url: str) -> None:
    for path in ("/docs", "/redoc"):
        page = httpx.get(base_url + path)
        assert page.status_code == 200, path
        urls = re.findall(r'(?:src|href)="([^"]+)"', page.text) + re.findall(
            r"url: '([^']+)'", page.text)
        assert urls, path
        for url in urls:
            assert not urlsplit(url).netloc, (path, url)  # same origin, never a CDN
            if url.endswith((".js", ".css", ".png")):
                asset = httpx.get(base_url + url)
                assert asset.status_code == 200 and len(asset.content) > 100, url


def _offline(page: Any, base_url: str, foreign: list[str]) -> None:
    def route(r: Any) -> None:
        if r.request.url.startswith(base_url):
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()
    page.route("**/*", route)


def test_swagger_ui_and_redoc_render_offline(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        foreign: list[str] = []
        _offline(page, base_url, foreign)
        page.goto(base_url + "/docs")
        page.wait_for_selector(".swagger-ui .info .title")
        assert "Kezek API" in page.inner_text(".swagger-ui .info .title")
        assert page.locator(".opblock").count() > 50  # the operations are listed
        page.goto(base_url + "/redoc")
        page.wait_for_selector("h1")
        assert "Kezek API" in page.inner_text("h1")
        assert page.locator("[data-section-id^='tag/']").count() > 3
        assert foreign == []
    finally:
        context.close()
