"""Proof of work in Debian's chromium: with JavaScript the hidden widget solves each
form's challenge on load (its SHA-256 worker served from our origin, under the pages'
CSP) and the code step goes through on the solved path; with JavaScript off the same
forms work, counted against the plain rule. Screenshots of the pages it touches (phone
and desk, kk and ru) go to $KEZEK_SHOTS when set."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from kezek.api.app import create_app
from kezek.app.challenge import Challenges
from kezek.app.throttle import Throttle, make_throttle
from kezek.core.pow import PowRule
from tests.pow_client import decode
from tests.web.conftest import IIN, PHONE, phone_page, run_async, web_settings
from tests.web.test_identity_browser import TEXT, _otp, shot

pytestmark = pytest.mark.browser
DESK = {"width": 1280, "height": 800}


@pytest.fixture
def served(seeded_url: tuple[str, dict[str, int]]) -> Iterator[tuple[str, FastAPI]]:
    """A real uvicorn on loopback over the seeded database (identity: otp), and its app,
    so that the test can read what the server counted."""
    run_async(_otp, seeded_url[0])
    app = create_app(web_settings(seeded_url[0]))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def plain_sends(app: FastAPI) -> int:
    """Code requests the server counted against the plain rule (no valid solution)."""
    throttle: Throttle = app.state.throttle
    item = throttle.items["identity.send.plain:addr"][0]
    stats = run_async(throttle.limiter.get_window_stats, item, "identity.send.plain:addr",
                      "127.0.0.1")
    return item.amount - int(stats.remaining)


def solved(page: Any, limit: float = 20.0) -> str:
    """Waits for the form's widget to fill its hidden field; returns the payload."""
    field = page.locator("form:has(altcha-widget) input[name=altcha]").first
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if field.count() and field.input_value():
            return str(field.input_value())
        time.sleep(0.05)
    raise AssertionError("the widget did not solve its challenge")


def to_number_page(page: Any, base: str, lang: str, js: bool) -> None:
    words = TEXT[lang]
    page.goto(f"{base}/services/01010001?lang={lang}")
    page.locator("a[href^='/book/01010001/']").first.click()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name=words["continue"]).click()
    page.get_by_label(re.compile(words["iin"])).fill(IIN)
    if js:
        solved(page)
    page.get_by_role("button", name=words["book"]).click()
    page.get_by_label(words["phone"]).wait_for()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_with_javascript_the_widget_solves_and_the_code_step_goes_through(
        browser: Any, served: tuple[str, FastAPI], lang: str) -> None:
    from playwright.sync_api import expect

    base, app = served
    words = TEXT[lang]
    with phone_page(browser, locale="kk-KZ" if lang == "kk" else "ru-RU") as page:
        errors: list[str] = []
        foreign: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text
                else None)
        page.on("request", lambda r: foreign.append(r.url)
                if not r.url.startswith(base) else None)
        to_number_page(page, base, lang, js=True)
        started = time.monotonic()
        solved(page)
        took = time.monotonic() - started
        shot(page, f"altcha-phone-js-{lang}")
        page.get_by_label(words["phone"]).fill("8 701 555 12 34")
        page.get_by_role("button", name=words["send"]).click()
        dev = page.locator("#dev-code")
        expect(dev).to_be_visible()
        solved(page)  # the resend form's widget, ready if the code does not come
        shot(page, f"altcha-code-js-{lang}")
        code = re.search(r"\d{6}", page.locator("#dev-code").inner_text())
        assert code
        page.get_by_label(words["code"], exact=True).fill(code.group(0))
        page.get_by_role("button", name=words["confirm"]).click()
        expect(page.get_by_role("heading", name=words["done"])).to_be_visible()
        assert errors == [] and foreign == []
        assert plain_sends(app) == 0  # the booking form and the number form came solved
        steps = run_async(app.state.challenges.steps, "127.0.0.1")
        assert steps.address == 2
        assert took < 10


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_without_javascript_the_same_forms_work_under_the_plain_rule(
        browser: Any, served: tuple[str, FastAPI], lang: str) -> None:
    from playwright.sync_api import expect

    base, app = served
    words = TEXT[lang]
    with phone_page(browser, java_script_enabled=False,
                    locale="kk-KZ" if lang == "kk" else "ru-RU") as page:
        to_number_page(page, base, lang, js=False)
        page.get_by_label(words["phone"]).fill("8 701 555 12 34")
        page.get_by_role("button", name=words["send"]).click()
        code = re.search(r"\d{6}", page.locator("#dev-code").inner_text())
        assert code
        page.get_by_label(words["code"], exact=True).fill(code.group(0))
        page.get_by_role("button", name=words["confirm"]).click()
        expect(page.get_by_role("heading", name=words["done"])).to_be_visible()
    assert plain_sends(app) == 2  # the booking form and the number form


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("size", ["phone", "desk"])
def test_screenshots_of_the_pages_with_the_widget(
        browser: Any, served: tuple[str, FastAPI], lang: str, size: str) -> None:
    base, _ = served
    viewport = PHONE if size == "phone" else DESK
    locale = "kk-KZ" if lang == "kk" else "ru-RU"
    context = browser.new_context(viewport=viewport, locale=locale, device_scale_factor=1,
                                  is_mobile=size == "phone", has_touch=size == "phone")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        for name, path in (("find", "/bookings/find"), ("mine", "/bookings/mine")):
            page.goto(f"{base}{path}?lang={lang}")
            solved(page)
            box = page.locator("altcha-widget").first.bounding_box()
            assert box is None or box["height"] == 0  # nothing of it shows
            shot(page, f"altcha-{name}-{size}-{lang}")
        to_number_page(page, base, lang, js=True)
        solved(page)
        shot(page, f"altcha-number-{size}-{lang}")
        page.get_by_label(TEXT[lang]["phone"]).fill("+7 701 555 12 34")
        page.get_by_role("button", name=TEXT[lang]["send"]).click()
        page.locator("#dev-code").wait_for()
        solved(page)
        shot(page, f"altcha-code-{size}-{lang}")
    finally:
        context.close()


def test_an_expired_challenge_is_replaced_by_a_fresh_one_solved(
        browser: Any, served: tuple[str, FastAPI]) -> None:
    base, app = served
    throttle = make_throttle(None)
    app.state.throttle = throttle
    app.state.challenges = Challenges(throttle, app.state.settings.secret_key,
                                      PowRule(ttl_seconds=3))
    with phone_page(browser) as page:
        page.goto(f"{base}/bookings/find")
        first = solved(page)
        deadline = time.monotonic() + 15
        while solved(page) == first:
            assert time.monotonic() < deadline, "the expired challenge was not replaced"
            time.sleep(0.2)
        fresh = solved(page)
    assert decode(fresh)["challenge"]["signature"] != decode(first)["challenge"]["signature"]
    assert run_async(app.state.challenges.redeem, fresh, 0) == 1000
