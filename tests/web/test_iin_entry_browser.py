"""Issue 13 in a real browser at phone size: an IIN typed with spaces books, and an
impossible one is refused with the typed value kept (screenshots for a look)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import IIN, phone_page
from tests.web.test_browser import fits_the_screen, open_time_page

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-iinentry")


def _to_iin_page(page: Any, base_url: str) -> str:
    open_time_page(page, base_url)
    page.get_by_role("group", name=re.compile("свободное время")).get_by_role(
        "radio").first.check()
    page.get_by_role("button", name="Продолжить").click()
    page.get_by_role("heading", name="Введите ИИН").wait_for()
    return str(page.url)


def test_an_iin_typed_with_spaces_books_on_a_phone(browser: Any, base_url: str) -> None:
    from playwright.sync_api import expect

    with phone_page(browser) as page:
        _to_iin_page(page, base_url)
        field = page.get_by_label(re.compile("ИИН"))
        field.press_sequentially("900101 300017")  # key by key: maxlength must leave room
        expect(field).to_have_value("900101 300017")
        page.get_by_role("button", name="Записаться").click()
        expect(page.get_by_role("heading", name="Вы записаны")).to_be_visible()
        assert IIN not in page.content() and IIN not in page.url
        assert "900101" not in page.url


@pytest.mark.parametrize("lang, reason", [
    ("ru", "первые 6 цифр (ГГММДД) должны быть реальной датой"),
    ("kk", "алғашқы 6 сан (ЖЖААКК) нақты күн болуы керек"),
])
def test_an_impossible_iin_is_refused_and_kept(browser: Any, base_url: str, lang: str,
                                               reason: str) -> None:
    from playwright.sync_api import expect

    with phone_page(browser) as first:
        url = _to_iin_page(first, base_url)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size in ({"width": 390, "height": 844}, {"width": 1366, "height": 900}):
        with phone_page(browser, viewport=size, is_mobile=size["width"] < 800) as page:
            page.goto(url + f"&lang={lang}")
            field = page.locator("#iin")
            field.press_sequentially("901301 300017")
            field.press("Enter")
            expect(page.locator(".error-summary")).to_contain_text(reason)
            expect(page.locator("#iin")).to_have_value("901301 300017")
            assert "901301" not in page.url
            assert fits_the_screen(page)
            page.screenshot(path=str(SHOTS / f"confirm-error-{lang}-{size['width']}.png"),
                            full_page=True)
