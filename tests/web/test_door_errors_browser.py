"""The door console's refusals in a real browser, in kk and ru (issue 13): each says
what happened and what to do, in the page's language (never pydantic's English), the
last result stays on screen, and what was typed stays in the fields; an IIN typed with
spaces or dashes is accepted. Screenshots at phone and desk size."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import random_iin
from tests.web.conftest import add_staff, pin_browser_clock, run_async, signed_in
from tests.web.kiosk_support import book_tonight

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-kiosk")
SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1366, "height": 768}}
IIN = "850715400129"
WORDS = {"ru": {"check_digit": "контрольная цифра", "twice": "Вы уже зарегистрировались "
                "по этой записи в 10:00, ваш талон", "empty": "ИИН"},
         "kk": {"check_digit": "бақылау", "twice": "10:00 тіркелгенсіз, талоныңыз",
                "empty": "ЖСН"}}


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_door_errors_say_what_to_do_and_keep_the_screen(
        base_url: str, seeded_url: tuple[str, dict[str, int]], browser: Any,
        pinned_clock: dt.datetime, lang: str, size: str) -> None:
    from playwright.sync_api import expect

    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "door.err", "door", [cid])
    code = run_async(book_tonight, url, cid, IIN)
    context = browser.new_context(viewport=SIZES[size], locale="ru-RU",
                                  is_mobile=size == "phone", has_touch=size == "phone")
    pin_browser_clock(context, pinned_clock)
    try:
        door = signed_in(context, base_url, "door.err", f"/staff/door/{cid}")
        door.goto(f"{base_url}/staff/door/{cid}?lang={lang}")
        door.locator('#live-status[data-state="on"]').wait_for()
        error = door.locator("#error")

        # a walk-in's ticket: the last result on screen
        door.locator("#walkin-iin").fill(random_iin())
        door.locator("#walkin-service").select_option("01010001")
        door.locator("#walkin-form button[type=submit]").click()
        first = door.locator("#ticket-label")
        expect(first).to_have_text(re.compile(r"[A-Z]+-\d{3}"))
        walk_label = first.inner_text().strip()

        # an empty IIN: the page's language, not "iin: String should have ..."
        door.locator("#walkin-form button[type=submit]").click()
        expect(error).to_be_visible()
        expect(error).to_contain_text(WORDS[lang]["empty"])
        assert "String should" not in error.inner_text()
        expect(door.locator("#ticket-label")).to_have_text(walk_label)  # still there

        # one digit wrong: said so; code, IIN and the last result all stay
        door.locator("#checkin-code").fill(code)
        door.locator("#checkin-iin").fill("8507 1540 0128")
        door.locator("#checkin-form button[type=submit]").click()
        expect(error).to_contain_text(WORDS[lang]["check_digit"])
        assert door.locator("#checkin-iin").input_value() == "8507 1540 0128"
        assert door.locator("#checkin-code").input_value() == code
        expect(door.locator("#checkin-iin")).to_be_focused()
        expect(door.locator("#ticket-label")).to_have_text(walk_label)
        _shot(door, f"door-error-{lang}-{size}")

        # corrected, with dashes: the ticket
        door.locator("#checkin-iin").fill("8507-1540-0129")
        door.locator("#checkin-form button[type=submit]").click()
        expect(door.locator("#ticket-label")).not_to_have_text(walk_label)
        label = door.locator("#ticket-label").inner_text().strip()
        assert re.fullmatch(r"[A-Z]+-\d{3}", label)
        assert door.locator("#checkin-iin").input_value() == ""

        # the same booking again: when and which ticket, and the ticket stays on screen
        door.locator("#checkin-code").fill(code)
        door.locator("#checkin-iin").fill(IIN)
        door.locator("#checkin-form button[type=submit]").click()
        expect(error).to_contain_text(WORDS[lang]["twice"])
        expect(error).to_contain_text(label)
        expect(door.locator("#ticket-label")).to_have_text(label)
        assert door.locator("#checkin-iin").input_value() == IIN
        _shot(door, f"door-twice-{lang}-{size}")
        assert IIN not in door.url
        assert door.script_errors == []
    finally:
        context.close()
