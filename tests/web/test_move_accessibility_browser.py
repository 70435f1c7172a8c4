"""The Move pages, the QR code and the calendar link against axe-core (as
test_accessibility_browser.py runs the booking): the confirmation with its QR code, the
booking page, the new-time page, its refusal (a time taken meanwhile) and the moved page,
in Kazakh and in Russian, on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kezek.web.i18n_ui import ui
from kezek.web.views import parse_start
from tests.web.conftest import IIN, IN_CI, phone_page, run_async
from tests.web.test_accessibility_browser import AXE, violations
from tests.web.test_move_pages import _fill

pytestmark = pytest.mark.browser


@pytest.fixture
def checked_page(browser: Any) -> Iterator[Any]:
    if not AXE.exists():
        reason = f"{AXE} is missing: run `make axe`"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    with phone_page(browser, bypass_csp=True) as page:  # the test's own script only
        yield page


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_move_pages_have_no_violations(checked_page: Any, base_url: str, lang: str,
                                           seeded_url: tuple[str, dict[str, int]]) -> None:
    page, found = checked_page, []
    url, centres = seeded_url

    def t(key: str) -> str:
        return ui(key, lang)

    page.goto(f"{base_url}/book/01010001/{centres['mixed']}?lang={lang}")
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name=t("continue")).click()
    page.locator("#iin").fill(IIN)
    page.get_by_role("button", name=t("book_button")).click()
    page.get_by_role("heading", name=t("done_title")).wait_for()
    found += violations(page)
    code = page.locator(".code").inner_text().strip()
    page.goto(f"{base_url}/bookings/find")
    page.locator("#code").fill(code)
    page.locator("#iin").fill(IIN)
    page.get_by_role("button", name=t("find_button"), exact=True).click()
    page.locator(".qr-image").wait_for()
    found += violations(page)
    page.get_by_role("button", name=t("move_button") + " " + code).click()
    page.get_by_role("heading", name=t("move_page_title")).wait_for()
    found += violations(page)
    wanted = page.get_by_role("radio").first
    when = parse_start(wanted.get_attribute("value"))
    assert when is not None
    wanted.check()
    run_async(_fill, url, centres["mixed"], when, 3)
    page.get_by_role("button", name=t("move_submit")).click()
    page.locator(".error-summary").wait_for()
    found += violations(page)
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name=t("move_submit")).click()
    page.get_by_role("heading", name=t("moved_title")).wait_for()
    found += violations(page)
    assert found == []
