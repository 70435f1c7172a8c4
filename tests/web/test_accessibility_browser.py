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

from tests.web.conftest import IIN, IN_CI, phone_page

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture
def axe() -> Path:
    """axe-core's script; a failure under CI, a skip elsewhere, if `make axe` did not run."""
    if not AXE.exists():
        reason = f"{AXE} is missing: run `make axe`"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE


@pytest.fixture
def axe_page(browser: Any, axe: Path) -> Iterator[Any]:
    # The pages' CSP allows no inline script; the test's own injection is let through.
    with phone_page(browser, bypass_csp=True) as page:
        yield page


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


def test_the_floor_pages_have_no_violations(base_url: str, seeded_url: tuple[str, dict[str, int]],
                                            browser: Any, axe: Path) -> None:
    """The door, an operator's console, the manager's view, the kiosk and the lobby
    board, live (signed in, event streams on), on desk and TV-sized screens.

    The kiosk alone turns pinch-zoom off (`user-scalable=no`): a public touchscreen must
    not be left zoomed for the next person, and its type is large; axe's meta-viewport
    finding is accepted there and nowhere else."""
    from tests.web.conftest import add_staff, signed_in, window_ids

    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "a11y.manager", "manager", [cid])
    window = window_ids(url, cid)[1]
    found: list[str] = []
    contexts = []
    try:
        for path in (f"/staff/door/{cid}", f"/staff/window/{window}", f"/staff/center/{cid}"):
            contexts.append(browser.new_context(viewport={"width": 1366, "height": 768},
                                                bypass_csp=True, locale="ru-RU"))
            page = signed_in(contexts[-1], base_url, "a11y.manager", path)
            found += violations(page)
            assert page.script_errors == []
        # The kiosk: its staff page (with a fresh code), the device's enrolment screen and
        # the kiosk page itself, on a tablet in both languages.
        for lang in ("kk", "ru"):
            contexts.append(browser.new_context(viewport={"width": 800, "height": 1280},
                                                bypass_csp=True, locale="ru-RU"))
            page = signed_in(contexts[-1], base_url, "a11y.manager", f"/staff/kiosk/{cid}",
                             "#kiosk-enrol")
            page.goto(f"{base_url}/staff/kiosk/{cid}?lang={lang}")
            page.locator("#kiosk-enrol").click()
            code = page.locator("#kiosk-code-given").inner_text().strip()
            found += violations(page)
            contexts[-1].clear_cookies()
            page.goto(f"{base_url}/kiosk/enrol?lang={lang}")
            found += violations(page)
            page.locator("#enrol-code").fill(code)
            page.locator("form[action='/kiosk/enrol'] button").click()
            page.wait_for_url(f"{base_url}/kiosk")
            page.goto(f"{base_url}/kiosk?lang={lang}")
            page.locator("#kiosk-code").wait_for()
            found += [v for v in violations(page) if ": meta-viewport (" not in v]
            assert page.script_errors == []
        contexts.append(browser.new_context(viewport={"width": 1920, "height": 1080},
                                            bypass_csp=True))
        board = contexts[-1].new_page()
        board.goto(f"{base_url}/board/{cid}")
        board.locator('#live-status[data-state="on"]').wait_for()
        found += violations(board)
    finally:
        for context in contexts:
            context.close()
    assert found == []



def test_the_office_pages_have_no_violations(base_url: str,
                                             seeded_url: tuple[str, dict[str, int]],
                                             browser: Any, axe: Path) -> None:
    """The staff home, the 1414 call-centre console and the statistics page."""
    from tests.web.conftest import add_staff, signed_in

    url, _ = seeded_url
    add_staff(url, "a11y.admin", "admin", [])
    found: list[str] = []
    for path in ("/staff", "/staff/callcentre", "/staff/analytics"):
        context = browser.new_context(viewport={"width": 1366, "height": 768},
                                      bypass_csp=True, locale="ru-RU")
        try:
            page = signed_in(context, base_url, "a11y.admin", path, "main h1")
            found += violations(page)
            assert page.script_errors == []
        finally:
            context.close()
    assert found == []
