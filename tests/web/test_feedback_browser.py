"""The feedback page in Debian's chromium: answered with the keyboard's radios and the
comment, without JavaScript, axe-clean (the form, its refusal, the thanks) in Kazakh
and Russian, with screenshots at phone and desk size."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from kezek.web.i18n_ui import ui
from tests.web.conftest import IN_CI, window_ids
from tests.web.feedback_support import served_link
from tests.web.test_accessibility_browser import AXE, violations

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("KEZEK_SHOTS", "/tmp/shots-notify"))
SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1366, "height": 768}}


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_feedback_page_works_without_script_and_is_axe_clean(
        browser: Any, base_url: str, seeded_url: tuple[str, dict[str, int]], lang: str,
        size: str) -> None:
    if not AXE.exists():
        reason = f"{AXE} is missing: run `make axe`"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    url, centres = seeded_url
    cid = centres["mixed"]
    _, link = served_link(url, cid, window_ids(url, cid)[1])
    SHOTS.mkdir(parents=True, exist_ok=True)
    found: list[str] = []
    # The form is answered with script off; axe runs in a second context that allows
    # the test's own script (bypass_csp) over the same pages.
    plain = browser.new_context(viewport=SIZES[size], java_script_enabled=False,
                                locale="ru-RU", device_scale_factor=1)
    checked = browser.new_context(viewport=SIZES[size], bypass_csp=True, locale="ru-RU",
                                  device_scale_factor=1)
    try:
        page = plain.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{base_url}{link}?lang={lang}")
        page.get_by_role("heading", name=ui("fb_title", lang)).wait_for()
        page.screenshot(path=str(SHOTS / f"feedback-{lang}-{size}.png"), full_page=True)
        page.get_by_role("button", name=ui("fb_submit", lang)).click()  # nothing chosen
        page.get_by_text(ui("fb_pick", lang)).first.wait_for()
        page.screenshot(path=str(SHOTS / f"feedback-refused-{lang}-{size}.png"),
                        full_page=True)
        page.get_by_label(ui("fb_4", lang)).check()
        page.get_by_label(ui("fb_comment", lang)).fill("Жақсы / хорошо")
        page.get_by_role("button", name=ui("fb_submit", lang)).click()
        page.get_by_role("heading", name=ui("fb_thanks_title", lang)).wait_for()
        page.screenshot(path=str(SHOTS / f"feedback-thanks-{lang}-{size}.png"),
                        full_page=True)

        audit = checked.new_page()
        audit.set_default_timeout(10_000)
        _, fresh = served_link(url, cid, window_ids(url, cid)[1])
        audit.goto(f"{base_url}{fresh}?lang={lang}")
        found += violations(audit)
        audit.get_by_role("button", name=ui("fb_submit", lang)).click()
        audit.get_by_text(ui("fb_pick", lang)).first.wait_for()
        found += violations(audit)
        audit.get_by_label(ui("fb_5", lang)).check()
        audit.get_by_role("button", name=ui("fb_submit", lang)).click()
        audit.get_by_role("heading", name=ui("fb_thanks_title", lang)).wait_for()
        found += violations(audit)
        audit.goto(f"{base_url}{fresh}?lang={lang}")  # rated: says so
        audit.get_by_role("heading", name=ui("fb_already_title", lang)).wait_for()
        found += violations(audit)
    finally:
        plain.close()
        checked.close()
    assert found == []
