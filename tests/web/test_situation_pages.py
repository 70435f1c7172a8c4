"""Browsing by life situation and what to bring, on the citizen pages, over the whole
shipped registry; in a real browser at phone and desk size with axe-core finding nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kezek.api.app import create_app
from kezek.app import registry, situations
from kezek.app.actor import SYSTEM, Channel
from kezek.core.registry_io import registry_document
from kezek.planning.demo import demo_document
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from tests.web.conftest import Site, run_async, web_settings
from tests.web.test_accessibility_browser import AXE, violations

SHOTS = Path("/tmp/shots-search")


async def _load_registry(url: str) -> None:
    services, named = registry_document(demo_document("registry.json"))
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await registry.import_services(s, services, SYSTEM, Channel.CLI)
            await situations.replace_all(s, named, SYSTEM, Channel.CLI)
    finally:
        await engine.dispose()


@pytest.fixture
def full_site(seeded_url: tuple[str, dict[str, int]]) -> Iterator[Site]:
    url, centers = seeded_url
    run_async(_load_registry, url)
    with TestClient(create_app(web_settings(url))) as client:
        yield Site(client, centers)


def test_the_situations_page_lists_each_section_and_its_situations(full_site: Site) -> None:
    r = full_site.client.get("/situations", headers={"Accept-Language": "ru"})
    assert r.status_code == 200
    assert "Транспорт" in r.text and "Образование" in r.text
    links = re.findall(r'href="/situations/([0-9]{4})"', r.text)
    assert len(links) == len(demo_document("registry.json")["situations"])
    kk = full_site.client.get("/situations?lang=kk").text
    assert "Өмірлік жағдай бойынша" in kk and "Көлік" in kk


def test_a_situation_lists_its_services_and_nothing_else(full_site: Site) -> None:
    r = full_site.client.get("/situations/0502?lang=ru")
    assert r.status_code == 200
    codes = re.findall(r'href="/services/([0-9]{8})"', r.text)
    assert codes and all(c.startswith("0502") for c in codes)
    assert "05020001" in codes
    for bad in ("9999", "05", "abcd", "05021"):
        assert full_site.client.get(f"/situations/{bad}").status_code == 404, bad
    assert full_site.client.get("/situations/0502%00").status_code == 400  # the edge's


def test_the_start_and_empty_results_pages_offer_the_situations(full_site: Site) -> None:
    assert 'href="/situations"' in full_site.client.get("/").text
    none = full_site.client.get("/services", params={"q": "qwertyuiop"})
    assert 'href="/situations"' in none.text


def test_a_service_page_says_what_to_bring_in_the_pages_language(full_site: Site) -> None:
    ru = full_site.client.get("/services/05020001?lang=ru").text
    kk = full_site.client.get("/services/05020001?lang=kk").text
    assert "Что взять с собой" in ru and "полис" in ru.lower()
    assert "Өзіңізбен не алу керек" in kk and "сақтандыру" in kk.lower()


def test_search_results_lead_with_the_everyday_name(full_site: Site) -> None:
    r = full_site.client.get("/services", params={"q": "загранпаспорт", "lang": "ru"})
    codes = re.findall(r'href="/services/([0-9]{8})"', r.text)
    assert codes[0] == "01010002"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("size", [{"width": 390, "height": 844}, {"width": 1366, "height": 768}])
def test_browsing_by_situation_in_a_browser(browser: Any, seeded_url: tuple[str, dict[str, int]],
                                            base_url: str, lang: str,
                                            size: dict[str, int]) -> None:
    run_async(_load_registry, seeded_url[0])
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=size, locale=lang, bypass_csp=AXE.exists())
    try:
        page = context.new_page()
        page.goto(f"{base_url}/?lang={lang}")
        page.click('a[href="/situations"]')
        page.wait_for_url("**/situations")
        name = "phone" if size["width"] < 600 else "desk"
        page.screenshot(path=str(SHOTS / f"{lang}-{name}-situations.png"), full_page=True)
        found = violations(page) if AXE.exists() else []
        page.click('a[href="/situations/0502"]')
        page.wait_for_url("**/situations/0502")
        found += violations(page) if AXE.exists() else []
        page.click('a[href="/services/05020001"]')
        page.wait_for_url("**/services/05020001")
        assert page.locator("ul.bullets li").count() >= 2
        page.screenshot(path=str(SHOTS / f"{lang}-{name}-service.png"), full_page=True)
        found += violations(page) if AXE.exists() else []
        assert found == []
    finally:
        context.close()
