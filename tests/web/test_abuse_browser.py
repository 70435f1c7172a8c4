"""The staff abuse page in Debian's chromium without JavaScript, on a phone and at a desk,
in Kazakh and Russian: the groups, a drill-down, the confirmed bulk cancel, and the
suspensions; axe-core finds nothing on the overview. Screenshots go to $KEZEK_SHOTS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kezek.app.actor import SYSTEM, Channel
from kezek.app.identity import policy_store
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from tests.abuse_support import miss_visits, set_rule
from tests.conftest import random_iin
from tests.web.conftest import STAFF_PASSWORD, WEB_IIN_KEY, add_staff, run_async
from tests.web.test_abuse_pages import _book
from tests.web.test_accessibility_browser import axe, violations
from tests.web.test_identity_browser import shot

__all__ = ["axe"]  # the fixture, used by name

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 800}}
TEXT = {
    "ru": {"login": "Логин", "password": "Пароль", "sign_in": "Войти",
           "cancel": "Отменить активные записи этой группы…", "reason": "Записи предлагались",
           "done": "Записи отменены", "confirm": "Отменить 3 записей"},
    "kk": {"login": "Логин", "password": "Құпиясөз", "sign_in": "Кіру",
           "cancel": "Осы топтың белсенді жазылуларын жою…", "reason": "сатылымға шығарылды",
           "done": "Жазылулардың күші жойылды", "confirm": "3 жазылуды жою"},
}


async def _identity_none(url: str) -> None:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await policy_store.change(s, {"mode": "none"}, SYSTEM, Channel.CLI)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_abuse_page_without_javascript(browser: Any, base_url: str, lang: str, size: str,
                                           seeded_url: tuple[str, dict[str, int]],
                                           axe: Path) -> None:
    from playwright.sync_api import expect

    url, centres = seeded_url
    run_async(set_rule, url)
    run_async(_identity_none, url)
    phone = "0123456789abcdef"
    run_async(_book, url, centres["mixed"], [
        {"addr": "10.1.1.5", "phone": phone}, {"addr": "10.1.1.6", "phone": phone},
        {"addr": "10.1.1.7", "phone": phone}, {"addr": "192.0.2.4"}])
    run_async(miss_visits, url, random_iin(), centres["mixed"], WEB_IIN_KEY.encode(),
              [45, 30, 15])
    add_staff(url, "aida.admin", "admin", [])
    words = TEXT[lang]
    context = browser.new_context(
        viewport=SIZES[size], java_script_enabled=False, bypass_csp=True,
        locale="kk-KZ" if lang == "kk" else "ru-RU", device_scale_factor=1,
        is_mobile=size == "phone", has_touch=size == "phone")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{base_url}/staff/login?lang={lang}&next=/staff/abuse")
        page.get_by_label(words["login"]).fill("aida.admin")
        page.get_by_label(words["password"]).fill(STAFF_PASSWORD)
        page.get_by_role("button", name=words["sign_in"]).click()
        page.wait_for_url(f"{base_url}/staff/abuse")
        expect(page.locator(".abuse-groups").first).to_contain_text(phone[:8])
        page.locator("details.abuse-detail summary").first.click()
        expect(page.get_by_role("link", name=words["cancel"])).to_be_visible()
        shot(page, f"abuse-{size}-{lang}")
        page.get_by_role("link", name=words["cancel"]).click()
        page.get_by_role("button", name=words["confirm"]).click()  # no reason chosen
        expect(page.locator(".error-summary")).to_be_visible()
        shot(page, f"abuse-confirm-error-{size}-{lang}")
        page.get_by_label(words["reason"]).check()
        page.get_by_role("button", name=words["confirm"]).click()
        expect(page.locator(".panel-title")).to_have_text(words["done"])
        shot(page, f"abuse-done-{size}-{lang}")
        page.goto(f"{base_url}/staff/abuse?by=prefix")
        shot(page, f"abuse-prefix-{size}-{lang}")
        page.locator("#suspensions").scroll_into_view_if_needed()
        expect(page.locator("#suspensions")).to_contain_text("****")
    finally:
        context.close()
    # axe-core needs script: a context of its own, signed in again.
    checked = browser.new_context(viewport=SIZES[size], bypass_csp=True, device_scale_factor=1)
    try:
        page = checked.new_page()
        page.goto(f"{base_url}/staff/login?lang={lang}&next=/staff/abuse")
        page.get_by_label(words["login"]).fill("aida.admin")
        page.get_by_label(words["password"]).fill(STAFF_PASSWORD)
        page.get_by_role("button", name=words["sign_in"]).click()
        page.wait_for_url(f"{base_url}/staff/abuse")
        assert violations(page) == []
        page.goto(f"{base_url}/staff/abuse?by=address")
        assert violations(page) == []
    finally:
        checked.close()
