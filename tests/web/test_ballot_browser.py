"""The ballot in Debian's chromium with JavaScript off, on a phone and at a desk, in
Kazakh and Russian: the booking page's note, the form, an error summary, the request's
page. Screenshots go to $KEZEK_SHOTS when set, for a person to look at."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from kezek.app.catalog import RECHECK_SECONDS
from tests.conftest import random_iin
from tests.web.conftest import run_async
from tests.web.test_ballot_pages import _policy
from tests.web.test_identity_browser import shot

pytestmark = pytest.mark.browser
VEHICLE = "04010001"
SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 800}}
TEXT = {"ru": {"ballot": "Подать заявку на жеребьёвку", "send": "Отправить заявку",
               "first": "Первый выбор", "missing": "Выберите первое время",
               "entered": "Заявка принята", "iin": "ИИН"},
        "kk": {"ballot": "Жеребеге өтінім беру", "send": "Өтінім жіберу",
               "first": "1-ші таңдау", "missing": "Бірінші уақытты таңдаңыз",
               "entered": "Өтінім қабылданды", "iin": "ЖСН"}}


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_ballot_without_javascript(browser: Any, base_url: str, lang: str, size: str,
                                       seeded_url: tuple[str, dict[str, int]],
                                       pinned_clock: dt.datetime) -> None:
    """The server's clock reads a morning (no script runs: the browser's clock is not
    read), so the hour of ballot fits in the day."""
    from playwright.sync_api import expect

    now = pinned_clock
    url, centres = seeded_url
    run_async(_policy, url, {"release_time": (now - dt.timedelta(minutes=5)).strftime("%H:%M"),
                             "ballot_minutes": 60})
    time.sleep(RECHECK_SECONDS + 0.1)
    words = TEXT[lang]
    context = browser.new_context(viewport=SIZES[size], java_script_enabled=False,
                                  locale="kk-KZ" if lang == "kk" else "ru-RU",
                                  is_mobile=size == "phone", has_touch=size == "phone",
                                  device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{base_url}/book/{VEHICLE}/{centres['vehicle']}?lang={lang}")
        expect(page.locator("#release")).to_be_visible()
        shot(page, f"book-note-{lang}-{size}")
        page.get_by_role("link", name=words["ballot"]).click()
        expect(page.get_by_label(words["first"])).to_be_visible()
        shot(page, f"ballot-form-{lang}-{size}")
        page.get_by_label(words["iin"]).fill(random_iin())
        page.get_by_role("button", name=words["send"]).click()
        expect(page.locator(".error-summary, [role=alert]").first).to_contain_text(
            words["missing"])
        shot(page, f"ballot-error-{lang}-{size}")
        page.get_by_label(words["first"]).select_option(index=3)
        page.get_by_label(words["iin"]).fill(random_iin())
        page.get_by_role("button", name=words["send"]).click()
        expect(page.get_by_role("status")).to_contain_text(words["entered"])
        shot(page, f"ballot-entry-{lang}-{size}")
    finally:
        context.close()
