"""The floor in a real browser: a door console issues a ticket, an operator presses N,
and the lobby board, open in another page, shows the call within 2 seconds without
reloading. Debian's chromium and a real uvicorn on loopback (fixtures in conftest)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import random_iin
from tests.web.conftest import add_staff, signed_in, window_ids

pytestmark = pytest.mark.browser

DESK = {"width": 1366, "height": 768}
BOARD = {"width": 1920, "height": 1080}
CALL_SECONDS = 2.0


def test_walk_in_called_by_keyboard_appears_on_the_board(
        base_url: str, seeded_url: tuple[str, dict[str, int]],
        new_context: Callable[[dict[str, int]], Any]) -> None:
    # base_url comes first, so the pages (and their event streams) close before uvicorn
    from playwright.sync_api import expect

    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "oper", "operator", [cid])
    add_staff(url, "doorman", "door", [cid])
    window = window_ids(url, cid)[1]
    make = new_context

    board = make(BOARD).new_page()
    board.set_default_timeout(10_000)
    board.goto(f"{base_url}/board/{cid}")
    board.locator('#live-status[data-state="on"]').wait_for()
    expect(board.locator("#board-body tr")).to_have_count(0)
    board.evaluate("window.kezekNoReload = 'still here'")

    console = signed_in(make(DESK), base_url, "oper", f"/staff/window/{window}")
    expect(console.locator("#ticket-label")).to_have_text("—")

    door = signed_in(make(DESK), base_url, "doorman", f"/staff/door/{cid}")
    iin = random_iin()
    walk_in = door.locator("#walkin-form")
    walk_in.get_by_label("ИИН (12 цифр)").fill(iin)
    walk_in.get_by_label("Услуга").select_option("01010001")
    walk_in.get_by_role("button", name="Выдать талон").click()
    label = door.locator("#ticket-label").inner_text().strip()
    assert re.fullmatch(r"[A-Z]+-\d{3}", label), label
    assert walk_in.get_by_label("ИИН (12 цифр)").input_value() == ""
    assert iin not in door.url and iin not in door.content()

    # the console learns of the arrival from the event stream, without a reload
    expect(console.locator("#waiting-body")).to_contain_text(label)
    console.locator("body").click(position={"x": 5, "y": 300})
    started = time.monotonic()
    console.keyboard.press("n")
    row = board.locator(f'#board-body tr[data-ticket="{label}"]')
    expect(row).to_have_attribute("data-window", "1", timeout=CALL_SECONDS * 1000)
    elapsed = time.monotonic() - started
    assert elapsed < CALL_SECONDS, elapsed
    expect(board.locator("#now-ticket")).to_have_text(label)
    expect(board.locator("#now-window")).to_have_text("1")
    assert board.evaluate("window.kezekNoReload") == "still here"
    expect(console.locator("#ticket-label")).to_have_text(label)
    expect(console.locator("#ticket-status")).to_have_text("Вызван, ожидаем подхода")

    # S then F: served, then gone from the board; the board never reloads
    console.keyboard.press("s")
    expect(row).to_have_attribute("data-status", "serving")
    console.keyboard.press("f")
    expect(row).to_have_count(0)
    expect(console.locator("#ticket-label")).to_have_text("—")
    assert board.evaluate("window.kezekNoReload") == "still here"
    for page in (board, console, door):
        assert iin not in page.content()


def test_door_books_an_offered_slot_and_the_manager_sees_the_floor_live(
        base_url: str, seeded_url: tuple[str, dict[str, int]],
        new_context: Callable[[dict[str, int]], Any]) -> None:
    from playwright.sync_api import expect

    url, centres = seeded_url
    strict, mixed = centres["booking-only"], centres["mixed"]
    add_staff(url, "doorman", "door", [strict])
    add_staff(url, "dana", "manager", [mixed])

    # a booking-only centre offers free times; one press books it for the person
    door = signed_in(new_context(DESK), base_url, "doorman", f"/staff/door/{strict}")
    expect(door.locator("#occupancy")).to_have_text("В центре: 0 из 20")
    walk_in = door.locator("#walkin-form")
    iin = random_iin()
    walk_in.get_by_label("ИИН (12 цифр)").fill(iin)
    walk_in.get_by_label("Услуга").select_option("01010001")
    walk_in.get_by_role("button", name="Выдать талон").click()
    slots = door.locator(".door-slots button")
    expect(slots.first).to_be_focused()
    slots.first.click()
    result = door.locator("#result")
    expect(result).to_have_attribute("data-kind", re.compile("^(ticket|booked)$"))
    assert iin not in door.content() and iin not in door.url
    # an online service without a privilege: the portal and self-service points instead
    walk_in.get_by_label("ИИН (12 цифр)").fill(random_iin())
    walk_in.get_by_label("Услуга").select_option("03010001")
    walk_in.get_by_role("button", name="Выдать талон").click()
    expect(result).to_have_attribute("data-kind", "online")
    expect(result.get_by_role("link", name=re.compile("egov.kz"))).to_be_visible()
    expect(door.locator("#points")).to_contain_text("Отдел занятости")
    # a wrong IIN: the API's message, in the page language, in the alert region
    walk_in.get_by_label("ИИН (12 цифр)").fill("900101300019")
    walk_in.get_by_label("Услуга").select_option("01010001")
    walk_in.get_by_role("button", name="Выдать талон").click()
    expect(door.get_by_role("alert")).to_contain_text("Неверный ИИН")
    # the last answer stays on screen and the IIN stays to correct (issue 13: it went blank)
    expect(result).to_have_attribute("data-kind", "online")
    assert walk_in.get_by_label("ИИН (12 цифр)").input_value() == "900101300019"

    # the manager's view follows the floor without reloading
    view = signed_in(new_context(DESK), base_url, "dana", f"/staff/center/{mixed}")
    expect(view.locator("#stat-no-shows")).to_have_text("0")
    expect(view.locator("#load-empty")).to_be_visible()
    head = {"X-Requested-With": "kezek"}
    made = view.request.post(f"{base_url}/api/v1/centers/{mixed}/arrivals", headers=head,
                             data={"iin": random_iin(), "service": "01010001"})
    assert made.status == 201, made.text()
    row = view.locator('#load-body tr[data-service="01010001"]')
    expect(row).to_contain_text("В нормативе")
    expect(view.locator("#stat-queue")).to_have_text("1")
    window = window_ids(url, mixed)[2]
    called = view.request.post(f"{base_url}/api/v1/windows/{window}/call-next", headers=head)
    ticket = called.json()["ticket"]
    expect(view.locator("#windows-body")).to_contain_text(ticket["label"])
    expect(view.locator("#stat-windows")).to_have_text("1 / 3")
    view.request.post(f"{base_url}/api/v1/tickets/{ticket['id']}/no-show", headers=head)
    expect(view.locator("#stat-no-shows")).to_have_text("1")
    expect(view.locator("#load-empty")).to_be_visible()
