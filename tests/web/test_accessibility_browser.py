"""The citizen pages against axe-core's WCAG 2.1 A/AA rules and its best practices.

axe-core (pinned in tests/a11y/package-lock.json, installed by `make axe`) is injected
into each page in Debian's chromium, on a phone-sized screen, and must find nothing:
missing labels, contrast, landmarks, heading order, ARIA misuse. It is run through a
whole booking (start page to booking code), its refusal states (an error summary), the
look-up pages, an unknown address and the staff sign-in, in Kazakh and in Russian.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import IIN, IN_CI

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture
def axe_page(browser: Any) -> Iterator[Any]:
    if not AXE.exists():
        reason = f"{AXE} is missing: run `make axe`"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    # The pages' CSP allows no inline script; the test's own injection is let through.
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  bypass_csp=True, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


def violations(page: Any) -> list[str]:
    """What axe-core finds on the page as it is now: rule, impact and the first targets."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (rules) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: rules}});
            return r.violations.map(v => `${v.id} (${v.impact}): ` +
                v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
        }""", RULES)
    return [f"{page.url}: {v}" for v in found]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_booking_from_start_to_code_has_no_violations(axe_page: Any, base_url: str,
                                                        lang: str) -> None:
    page, found = axe_page, []
    page.goto(f"{base_url}/?lang={lang}")
    found += violations(page)
    page.goto(f"{base_url}/services?q=01010001")
    found += violations(page)
    page.goto(f"{base_url}/services/01010001")
    found += violations(page)
    page.locator("a.place-link").last.click()  # a centre: the days and times
    page.locator("input[name=start]").first.wait_for()
    found += violations(page)
    page.locator("input[name=start]").first.check()
    page.locator("form button[type=submit]").last.click()  # to the IIN page
    page.locator("input[name=iin]").wait_for()
    found += violations(page)
    page.locator("input[name=iin]").fill("123")  # refused: the error summary
    page.locator("form button[type=submit]").last.click()
    page.locator(".error-summary").wait_for()
    found += violations(page)
    page.locator("input[name=iin]").fill(IIN)
    page.locator("form button[type=submit]").last.click()
    page.locator(".code").wait_for()  # the booking code
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", page.locator(".code").inner_text().strip())
    found += violations(page)
    assert found == []


def test_the_other_citizen_and_staff_pages_have_no_violations(axe_page: Any,
                                                              base_url: str) -> None:
    found = []
    for path in ("/bookings/find?lang=kk", "/bookings/mine?lang=ru", "/services/02010001",
                 "/no-such-page?lang=kk", "/staff/login?lang=ru"):
        axe_page.goto(base_url + path)
        found += violations(axe_page)
    assert found == []
