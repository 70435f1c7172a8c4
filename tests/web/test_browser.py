"""The booking pages in a real browser: Debian's chromium, a phone-sized window, uvicorn.

Never downloads a browser. Without /usr/bin/chromium these tests skip, except under
CI, where a missing browser is a failure (the `browser` and `base_url` fixtures are in
tests/web/conftest.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import IIN, phone_page

pytestmark = pytest.mark.browser



@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with phone_page(browser) as pg:
        yield pg


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"))


def open_time_page(page: Any, base_url: str) -> None:
    """Start page -> search -> service -> centre."""
    page.goto(base_url + "/")
    assert fits_the_screen(page)
    page.get_by_label("Найти услугу").fill("жеке куалик")
    page.get_by_role("button", name="Найти", exact=True).click()
    page.get_by_role("link", name="Выдача удостоверения личности").click()
    page.get_by_role("link", name="ЦОН 2").click()
    page.get_by_role("heading", name="Выберите день и время").wait_for()


def test_book_on_a_phone_then_find_and_cancel(page: Any, base_url: str) -> None:
    from playwright.sync_api import expect

    open_time_page(page, base_url)
    assert fits_the_screen(page)
    days = page.get_by_role("list", name="Выберите день").get_by_role("link")
    assert days.count() >= 2
    days.nth(1).click()
    expect(days.nth(1)).to_have_attribute("aria-current", "date")
    times = page.get_by_role("group", name=re.compile("свободное время"))
    first = times.get_by_role("radio").first
    chosen = first.get_attribute("value")
    first.check()
    expect(page.get_by_role("radio", name="Нет")).to_be_checked()
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_role("heading", name="Введите ИИН")).to_be_visible()
    assert fits_the_screen(page)
    page.get_by_label(re.compile("ИИН")).fill(IIN)
    page.get_by_role("button", name="Записаться").click()
    expect(page.get_by_role("heading", name="Вы записаны")).to_be_visible()
    code = page.locator(".code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    assert chosen and chosen[11:16] in page.content()
    assert IIN not in page.content() and IIN not in page.url
    assert fits_the_screen(page)

    page.get_by_role("link", name="Найти запись").first.click()
    page.get_by_label("Код записи").fill(code.lower())
    page.get_by_label(re.compile("ИИН")).fill(IIN)
    page.get_by_role("button", name="Найти", exact=True).click()
    expect(page.get_by_text("Активна", exact=True)).to_be_visible()
    page.get_by_role("button", name=re.compile("Отменить запись")).click()
    expect(page.get_by_role("heading", name="Запись отменена")).to_be_visible()
    expect(page.get_by_text("Отменена", exact=True)).to_be_visible()
    assert code in page.content() and IIN not in page.content()


def test_keyboard_reaches_the_labelled_iin_field(page: Any, base_url: str) -> None:
    open_time_page(page, base_url)
    page.get_by_role("group", name=re.compile("свободное время")).get_by_role(
        "radio").first.check()
    page.get_by_role("button", name="Продолжить").click()
    page.get_by_role("heading", name="Введите ИИН").wait_for()
    page.locator("body").focus()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти к основному содержанию")
    assert skip.evaluate("el => el === document.activeElement") and skip.is_visible()
    for _ in range(40):
        if page.evaluate("document.activeElement && document.activeElement.id") == "iin":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the IIN field")
    field = page.get_by_label(re.compile("ИИН"))
    assert field.evaluate("el => el === document.activeElement")
    label = page.locator('label[for="iin"]')
    assert label.is_visible() and "ИИН" in label.inner_text()
    outline = field.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("none", ""), "the focused IIN field shows no focus outline"
    page.keyboard.type(IIN)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Вы записаны").wait_for()
