"""The code step in Debian's chromium, on a phone, in Kazakh, Russian and English, with
JavaScript off: the number page, the code page (the development sender shows the code),
then the booking; and at a desk with JavaScript on. Screenshots go to $KEZEK_SHOTS when
set, for a person to look at."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from kezek.app.actor import SYSTEM, Channel
from kezek.app.identity import policy_store
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from tests.web.conftest import IIN, phone_page, run_async
from tests.web.test_accessibility_browser import axe, violations

__all__ = ["axe"]  # the fixture, used by name

pytestmark = pytest.mark.browser

TEXT = {
    "ru": {"continue": "Продолжить", "book": "Записаться", "phone": "Номер телефона",
           "send": "Отправить код", "code": "Код", "confirm": "Подтвердить",
           "done": "Вы записаны", "iin": "ИИН", "wrong": "Неверный код"},
    "kk": {"continue": "Жалғастыру", "book": "Жазылу", "phone": "Телефон нөмірі",
           "send": "Код жіберу", "code": "Код", "confirm": "Растау",
           "done": "Сіз жазылдыңыз", "iin": "ЖСН", "wrong": "Код қате"},
    "en": {"continue": "Continue", "book": "Book", "phone": "Phone number",
           "send": "Send the code", "code": "Code", "confirm": "Confirm",
           "done": "You are booked", "iin": "IIN", "wrong": "Wrong code"},
}
LOCALES = {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-GB"}
DESK = {"width": 1280, "height": 800}


async def _otp(url: str) -> None:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await policy_store.change(s, {"mode": "otp"}, SYSTEM, Channel.CLI)
    finally:
        await engine.dispose()


def shot(page: Any, name: str) -> None:
    folder = os.environ.get("KEZEK_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("lang", "where"), [("kk", "phone"), ("ru", "phone"), ("en", "phone"),
                                             ("kk", "desk"), ("ru", "desk")])
def test_the_code_step(browser: Any, base_url: str, lang: str, where: str,
                       seeded_url: tuple[str, dict[str, int]]) -> None:
    """On a phone without JavaScript (the floor of what must work), and at a desk with
    it, the same plain forms."""
    from playwright.sync_api import expect

    run_async(_otp, seeded_url[0])
    words = TEXT[lang]
    options: dict[str, Any] = ({"java_script_enabled": False} if where == "phone" else
                               {"viewport": DESK, "is_mobile": False, "has_touch": False})
    with phone_page(browser, locale=LOCALES[lang], **options) as page:
        page.goto(f"{base_url}/services/01010001?lang={lang}")
        page.locator("a[href^='/book/01010001/']").first.click()
        page.get_by_role("radio").first.check()
        page.get_by_role("button", name=words["continue"]).click()
        page.get_by_label(re.compile(words["iin"])).fill(IIN)
        page.get_by_role("button", name=words["book"]).click()
        page.get_by_label(words["phone"]).wait_for()
        shot(page, f"identity-phone-{lang}-{where}")
        page.get_by_label(words["phone"]).fill("8 701 555 12 34")
        page.get_by_role("button", name=words["send"]).click()
        dev = page.locator("#dev-code")
        expect(dev).to_be_visible()
        assert "+7 701 *** ** 34" in page.locator("body").inner_text().replace("\xa0", " ")
        shot(page, f"identity-code-{lang}-{where}")
        code = re.search(r"\d{6}", dev.inner_text())
        assert code
        page.get_by_label(words["code"], exact=True).fill("000000" if code.group(0) != "000000"
                                                           else "111111")
        page.get_by_role("button", name=words["confirm"]).click()
        expect(page.locator(".error-summary")).to_contain_text(words["wrong"])
        shot(page, f"identity-code-wrong-{lang}-{where}")
        page.get_by_label(words["code"], exact=True).fill(code.group(0))
        page.get_by_role("button", name=words["confirm"]).click()
        expect(page.get_by_role("heading", name=words["done"])).to_be_visible()
        assert IIN not in page.content() and "555 12 34" not in page.content()
        shot(page, f"identity-done-{lang}-{where}")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_number_and_code_pages_have_no_accessibility_violations(
        browser: Any, axe: Path, base_url: str, lang: str,
        seeded_url: tuple[str, dict[str, int]]) -> None:
    run_async(_otp, seeded_url[0])
    words = TEXT[lang]
    with phone_page(browser, bypass_csp=True, locale=LOCALES[lang]) as page:
        page.goto(f"{base_url}/services/01010001?lang={lang}")
        page.locator("a[href^='/book/01010001/']").first.click()
        page.get_by_role("radio").first.check()
        page.get_by_role("button", name=words["continue"]).click()
        page.get_by_label(re.compile(words["iin"])).fill(IIN)
        page.get_by_role("button", name=words["book"]).click()
        page.get_by_label(words["phone"]).wait_for()
        found = violations(page)
        page.get_by_label(words["phone"]).fill("+7 701 555 12 34")
        page.get_by_role("button", name=words["send"]).click()
        page.locator("#dev-code").wait_for()
        found += violations(page)
        page.get_by_label(words["code"], exact=True).fill("12")
        page.get_by_role("button", name=words["confirm"]).click()
        page.locator(".error-summary").wait_for()
        found += violations(page)
        assert found == []
