"""The operator console and the manager's view at 1280 and 1366 px, in Kazakh and
Russian: no button, label or cell is cut off (issue 13: the Kazakh "Қабылдауды бастау"
overflowed its button). Screenshots go to /tmp/shots-console/ for a person to look at."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kezek.app import arrivals, calls
from kezek.app.actor import Actor, Role
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from tests.conftest import random_iin
from tests.web.conftest import WEB_IIN_KEY, add_staff, run_async, signed_in, window_ids

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-console")
WIDTHS = {"1280": {"width": 1280, "height": 800}, "1366": {"width": 1366, "height": 768}}
SIZES = {**WIDTHS, "phone": {"width": 390, "height": 844}}

# Every element whose text must be seen whole: its content wider than its box means the
# text runs out of it (or under its neighbour).
CLIPPED = """() => Array.from(document.querySelectorAll(
    '.fl-button, .op-transfer .label, .fl-table th, .mv-stat-name, .fl-state, .op-undo'))
  .filter(e => e.offsetParent !== null)
  .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1
            || e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(e => (e.getAttribute('data-action') || e.className) + ': ' + e.innerText.trim())"""


ADMIN = Actor("layout.seed", 1, Role.ADMIN)


async def _floor(url: str, cid: int, window: int) -> None:
    """Somebody at the window and people waiting, so that every table has rows and every
    button its enabled look."""
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        for service in ("01010001", "05010001", "01010001"):
            async with unit_of_work(sm) as s:
                await arrivals.walk_in(s, cid, random_iin(), service, None,
                                       WEB_IIN_KEY.encode(), ADMIN)
        async with unit_of_work(sm) as s:
            await calls.call_next(s, window, ADMIN)
    finally:
        await engine.dispose()


# The page's own width beyond the screen, with the elements that reach past its edge
# outside a panel that scrolls by itself.
WIDE = """() => document.documentElement.scrollWidth <= window.innerWidth ? [] :
  Array.from(document.querySelectorAll('body *'))
  .filter(e => e.offsetParent !== null && e.children.length === 0)
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 30))"""


FITS = """() => { const q = document.querySelector('.op-queue');
                  return q.scrollWidth <= q.clientWidth; }"""


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_nothing_is_clipped_on_the_window_console_and_the_manager_view(
        base_url: str, seeded_url: tuple[str, dict[str, int]],
        new_context: Callable[[dict[str, int]], Any]) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "layout.op", "operator", [cid])
    add_staff(url, "layout.mgr", "manager", [cid])
    window = window_ids(url, cid)[1]
    run_async(_floor, url, cid, window)
    for size, viewport in SIZES.items():
        console = signed_in(new_context(viewport), base_url, "layout.op",
                            f"/staff/window/{window}")
        view = signed_in(new_context(viewport), base_url, "layout.mgr", f"/staff/center/{cid}")
        for lang in ("kk", "ru"):
            for name, page, path in (("window", console, f"/staff/window/{window}"),
                                     ("center", view, f"/staff/center/{cid}")):
                page.goto(f"{base_url}{path}?lang={lang}")
                page.locator('#live-status[data-state="on"]').wait_for()
                _shot(page, f"{name}-{lang}-{size}")
                if size in WIDTHS:
                    assert page.evaluate(CLIPPED) == [], (name, lang, size)
                # the page never scrolls sideways (a wide table scrolls in its own panel)
                assert page.evaluate(WIDE) == [], (name, lang, size)
                if name == "window":  # the waiting list fits its panel, even on a phone
                    assert page.evaluate(FITS), (lang, size)
        assert console.script_errors == [] and view.script_errors == []
