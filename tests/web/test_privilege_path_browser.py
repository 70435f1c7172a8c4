"""The privilege path of an online-only service in Debian's chromium, in Kazakh and
Russian, on a phone and at a desk: on the web, the service page's link leads to the
centres with a privilege window and into the booking flow, which asks for the privilege
and offers that window's times; on the 1414 console, one press claims the privilege and
lists the centres. axe-core finds nothing; screenshots go to $KEZEK_SHOTS when set."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kezek.web.i18n_callcentre import cc
from kezek.web.i18n_ui import ui
from tests.web.conftest import IN_CI, STAFF_PASSWORD, add_staff
from tests.web.test_accessibility_browser import AXE, violations
from tests.web.test_identity_browser import shot

pytestmark = pytest.mark.browser
SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1366, "height": 768}}
ONLINE = "02010001"
SEARCH = {"ru": "адресная", "kk": "Мекенжай"}


@pytest.fixture
def context_for(browser: Any) -> Any:
    if not AXE.exists():
        if IN_CI:
            pytest.fail(f"{AXE} is missing: run `make axe`")
        pytest.skip(f"{AXE} is missing: run `make axe`")
    made: list[Any] = []

    def make(lang: str, size: str) -> Any:
        context = browser.new_context(
            viewport=SIZES[size], locale="kk-KZ" if lang == "kk" else "ru-RU",
            is_mobile=size == "phone", has_touch=size == "phone", device_scale_factor=1,
            bypass_csp=True)  # for axe-core's script only
        made.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in made:
        context.close()


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_web_leads_a_pensioner_to_a_privilege_window(
        base_url: str, seeded_url: tuple[str, dict[str, int]], context_for: Any,
        lang: str, size: str) -> None:
    from playwright.sync_api import expect

    _, centres = seeded_url
    page = context_for(lang, size)
    page.goto(f"{base_url}/services/{ONLINE}?lang={lang}")
    link = page.get_by_role("link", name=ui("priv_path_link", lang))
    expect(link).to_be_visible()
    assert fits(page)
    found = violations(page)
    link.click()
    heading = page.get_by_role("heading", name=ui("priv_path_title", lang))
    expect(heading).to_be_in_viewport()
    shot(page, f"privilege-path-{lang}-{size}")
    page.locator(f'a[href="/book/{ONLINE}/{centres["booking-only"]}"]').click()
    expect(page.get_by_role("heading", name=ui("privilege_required_title", lang))).to_be_visible()
    found += violations(page)
    page.get_by_label(ui("priv_pensioner", lang), exact=True).check()
    page.get_by_role("button", name=ui("continue", lang)).click()
    expect(page.locator('input[name="start"]').first).to_be_attached()
    assert "privilege=pensioner" in page.url
    assert fits(page)
    shot(page, f"privilege-path-times-{lang}-{size}")
    found += violations(page)
    assert found == []


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_console_claims_the_privilege_for_an_online_only_service(
        base_url: str, seeded_url: tuple[str, dict[str, int]], context_for: Any,
        lang: str, size: str) -> None:
    from playwright.sync_api import expect

    url, centres = seeded_url
    add_staff(url, "cc.priv", "call_centre", [])
    page = context_for(lang, size)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base_url}/staff/callcentre?lang={lang}")
    page.locator("#username").fill("cc.priv")
    page.locator("#password").fill(STAFF_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/staff/callcentre"))
    page.locator('#live-status[data-state="on"]').wait_for()
    page.locator("#service-q").fill(SEARCH[lang])
    page.locator("#service-q").press("Enter")
    page.locator(f'#service-results button[data-code="{ONLINE}"]').click()
    path = page.locator("#priv-path")
    expect(path).to_contain_text(cc("cc_priv_title", lang))
    # Without a privilege no centre would take the caller.
    expect(page.locator("#book-centre option")).to_have_count(0)
    path.locator('button[data-privilege="disability"]').click()
    expect(page.locator("#bp-disability")).to_be_checked()
    expect(page.locator(f'#book-centre option[value="{centres["booking-only"]}"]')
           ).to_have_count(1)
    expect(page.locator("#book-city")).to_be_focused()
    page.locator("#book-show").click()
    expect(page.locator("#book-times .cc-slots button").first).to_be_visible()
    assert fits(page)
    shot(page, f"cc-privilege-{lang}-{size}")
    assert violations(page) == []
    assert errors == []
