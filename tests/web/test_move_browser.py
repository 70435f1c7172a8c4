"""Move in a real browser (Debian's chromium, uvicorn), in Kazakh and Russian, on a phone
and a desk screen: book, see the QR code, find the booking, move it (once to a time
taken meanwhile, which leaves it unchanged and says so), then the calendar file.

Screenshots of each step go to /tmp/shots-webbook/ for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from kezek.web.i18n_ui import ui
from kezek.web.views import parse_start
from tests.web.conftest import IIN, PHONE, run_async
from tests.web.test_move_pages import _fill

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-webbook")
SIZES = {"phone": PHONE, "desk": {"width": 1366, "height": 768}}


@pytest.fixture(params=[("kk", "phone"), ("ru", "phone"), ("kk", "desk"), ("ru", "desk")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def screen(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[str, str, Any]]:
    lang, size = request.param
    phone = size == "phone"
    context = browser.new_context(viewport=SIZES[size], is_mobile=phone, has_touch=phone,
                                  locale="kk-KZ" if lang == "kk" else "ru-RU",
                                  device_scale_factor=1, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield lang, size, page
    finally:
        context.close()


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_move_a_booking_keeping_its_code(screen: tuple[str, str, Any], base_url: str,
                                         seeded_url: tuple[str, dict[str, int]]) -> None:
    from playwright.sync_api import expect

    lang, size, page = screen
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    SHOTS.mkdir(exist_ok=True)

    def shot(step: str) -> None:
        assert fits(page), f"{step}: wider than the screen"
        page.screenshot(path=str(SHOTS / f"{lang}-{size}-{step}.png"), full_page=True)

    def t(key: str, **params: Any) -> str:
        return ui(key, lang, **params)

    url, centres = seeded_url
    page.goto(f"{base_url}/book/01010001/{centres['mixed']}?lang={lang}")
    page.get_by_role("list", name=t("days_title")).get_by_role("link").nth(1).click()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name=t("continue")).click()
    page.get_by_label(re.compile(re.escape(t("iin_label")))).fill(IIN)
    page.get_by_role("button", name=t("book_button")).click()
    expect(page.get_by_role("heading", name=t("done_title"))).to_be_visible()
    code = page.locator(".code").inner_text().strip()
    expect(page.get_by_role("img", name=t("qr_alt", code=code))).to_be_visible()
    expect(page.get_by_role("link", name=t("calendar_link"))).to_be_visible()
    shot("1-done")

    page.goto(f"{base_url}/bookings/find")
    page.get_by_label(t("code_field")).fill(code)
    page.get_by_label(re.compile(re.escape(t("iin_label")))).fill(IIN)
    page.get_by_role("button", name=t("find_button"), exact=True).click()
    expect(page.get_by_role("img", name=t("qr_alt", code=code))).to_be_visible()
    shot("2-booking")
    page.get_by_role("button", name=re.compile(re.escape(t("move_button")))).click()
    expect(page.get_by_role("heading", name=t("move_page_title"))).to_be_visible()
    page.get_by_role("list", name=t("days_title")).get_by_role("link").nth(2).click()
    wanted = page.get_by_role("radio").first
    start = wanted.get_attribute("value")
    when = parse_start(start)
    assert when is not None
    wanted.check()
    shot("3-move")

    run_async(_fill, url, centres["mixed"], when, 3)  # someone takes it meanwhile
    page.get_by_role("button", name=t("move_submit")).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(t("move_taken", when="").split(":")[0])
    shot("4-taken")

    other = page.get_by_role("radio").first
    new_start = other.get_attribute("value")
    assert new_start and new_start != start
    other.check()
    page.get_by_role("button", name=t("move_submit")).click()
    expect(page.get_by_role("heading", name=t("moved_title"))).to_be_visible()
    assert page.locator(".code").inner_text().strip() == code
    assert new_start[11:16] in page.content() and IIN not in page.content()
    expect(page.get_by_role("img", name=t("qr_alt", code=code))).to_be_visible()
    shot("5-moved")
    with page.expect_download() as download:
        page.get_by_role("link", name=t("calendar_link")).click()
    (event,) = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart").isoformat() == new_start
    assert not errors, errors
