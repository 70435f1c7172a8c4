"""The statistics page in Debian's chromium, at a phone and at a desk, in Kazakh and Russian:
no Content-Security-Policy violation (issue 13: matplotlib's inline styles were refused,
384 times, and every chart was a black box), every chart image loaded, and no raw code
(`KZ-11`, `family_social`, `walk_in`) where a person reads. Screenshots go to $KEZEK_SHOTS
when set, for a person to look at."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from kezek.api.app import create_app
from kezek.settings import Settings
from tests.web.conftest import WEB_IIN_KEY, WEB_SECRET, _free_port, add_staff, signed_in
from tests.web.test_analytics_pages import dataset

__all__ = ["dataset"]  # the fixture, used by name

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1366, "height": 900}}
LOCALES = {"kk": "kk-KZ", "ru": "ru-RU"}
RAW_CODES = ("KZ-11", "KZ-75", "family_social", "real_estate", "walk_in", "call_centre",
             "share_pct", "wait_p90")
# Collected before any of the page's own code runs; an init script is not under the CSP.
LISTEN = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"""


@pytest.fixture
def analytics_url(seeded_url: tuple[str, dict[str, int]], dataset: Path) -> Iterator[str]:
    """A real uvicorn on loopback over the seeded database and the small data set."""
    url, _ = seeded_url
    settings = Settings(database_url=url, iin_key=WEB_IIN_KEY, secret_key=WEB_SECRET,
                        env="test", default_lang="ru", analytics_dir=str(dataset))
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1",
                                           port=(port := _free_port()), log_level="warning",
                                           access_log=False, timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.mark.parametrize("where", ["phone", "desk"])
def test_the_charts_load_under_the_csp_with_names(
        browser: Any, analytics_url: str, seeded_url: tuple[str, dict[str, int]],
        where: str) -> None:
    add_staff(seeded_url[0], "analyst.b", "analyst", [])
    phone = where == "phone"
    context = browser.new_context(viewport=SIZES[where], is_mobile=phone, has_touch=phone,
                                  locale="ru-RU", device_scale_factor=1)
    try:
        context.add_init_script(LISTEN)
        console: list[str] = []
        page = signed_in(context, analytics_url, "analyst.b", "/staff/analytics",
                         ready="section#region")
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        for lang in ("kk", "ru"):
            page.goto(f"{analytics_url}/staff/analytics?lang={lang}")
            page.wait_for_load_state("load")
            violations = page.evaluate("window.__csp")
            refused = [m for m in console if "Content Security Policy" in m]
            assert violations == [] and refused == [], (len(violations), violations[:3])
            charts = page.locator("figure.chart img")
            assert charts.count() >= 9, "each chart is an image of its own"
            for i in range(charts.count()):
                chart = charts.nth(i)
                chart.scroll_into_view_if_needed()  # they load lazily, as a reader scrolls
                page.wait_for_function("i => i.complete", arg=chart.element_handle())
                assert chart.evaluate("i => i.naturalWidth > 0"), \
                    f"chart {chart.get_attribute('src')} did not load"
            assert page.evaluate("window.__csp") == []
            text = page.inner_text("body") + " ".join(page.locator("option").all_inner_texts())
            shown = [code for code in RAW_CODES if code in text]
            assert shown == [], f"raw codes shown in {lang}: {shown}"
            assert page.script_errors == []
            folder = os.environ.get("KEZEK_SHOTS")
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(Path(folder) / f"analytics-{lang}-{where}.png"),
                                full_page=True)
    finally:
        context.close()
