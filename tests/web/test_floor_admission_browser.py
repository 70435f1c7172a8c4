"""Small groups at the door, in a real browser: at a full centre the door's walk-in gets
a place in the line outside; "Admit" (F2) lets nobody in while the centre is full; a
window finishes a ticket, the door sees the free place live, F2 lets the next one in,
the door shows the label in large type and the lobby board asks that ticket in."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from kezek.app import network
from kezek.app.actor import Actor, Channel, Role
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from tests.conftest import random_iin
from tests.web.conftest import add_staff, run_async, signed_in, window_ids

pytestmark = pytest.mark.browser

DESK = {"width": 1366, "height": 900}
BOARD = {"width": 1920, "height": 1080}
HEAD = {"X-Requested-With": "kezek"}


async def _limit(url: str, center_id: int, limit: int) -> None:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await network.update_center(s, center_id, {"occupancy_limit": limit},
                                        Actor("admin", 1, Role.ADMIN), Channel.API)
    finally:
        await engine.dispose()


def _walk_in(door: Any, before: str | None = None) -> str:
    """Issues a walk-in ticket at the door; `before` is the label on screen until then."""
    from playwright.sync_api import expect

    form = door.locator("#walkin-form")
    form.get_by_label("ИИН (12 цифр)").fill(random_iin())
    form.get_by_label("Услуга").select_option("01010001")
    form.get_by_role("button", name="Выдать талон").click()
    door.locator("#result[data-kind='ticket'], #result[data-kind='outside']").wait_for()
    if before is not None:
        expect(door.locator("#ticket-label")).not_to_have_text(before)
    label = door.locator("#ticket-label").inner_text().strip()
    assert re.fullmatch(r"[A-Z]+-\d{3}", label), label
    return label


def test_full_centre_line_outside_and_admit_by_keyboard(
        base_url: str, seeded_url: tuple[str, dict[str, int]],
        new_context: Callable[[dict[str, int]], Any]) -> None:
    from playwright.sync_api import expect

    url, centres = seeded_url
    cid = centres["mixed"]
    run_async(_limit, url, cid, 2)
    add_staff(url, "doorman", "door", [cid])
    add_staff(url, "oper", "operator", [cid])

    board = new_context(BOARD).new_page()
    board.set_default_timeout(10_000)
    board.goto(f"{base_url}/board/{cid}")
    board.locator('#live-status[data-state="on"]').wait_for()
    expect(board.locator("#admitted-line")).to_be_hidden()

    door = signed_in(new_context(DESK), base_url, "doorman", f"/staff/door/{cid}")
    result = door.locator("#result")
    expect(door.locator("#outside-count")).to_have_text("Снаружи никто не ждёт.")
    expect(door.locator("#free-places")).to_have_text("Свободных мест: 2")
    first = _walk_in(door)
    expect(result).to_have_attribute("data-kind", "ticket")
    second = _walk_in(door, first)
    expect(result).to_have_attribute("data-kind", "ticket")
    third = _walk_in(door, second)  # the centre is full: not refused, the line outside
    expect(result).to_have_attribute("data-kind", "outside")
    expect(result).to_contain_text("Центр заполнен: подождите снаружи")
    expect(door.locator("#outside-place")).to_have_text("Место в очереди на вход: 1")
    expect(door.locator("#occupancy")).to_contain_text("В центре: 2 из 2")
    expect(door.locator("#outside-count")).to_have_text(
        "Ждут снаружи: 1 · дольше всех ждёт: 0 мин")
    expect(door.locator("#free-places")).to_have_text("Свободных мест: 0")
    expect(door.locator("#outside-body tr")).to_have_count(1)
    expect(door.locator(f'#outside-body tr[data-ticket="{third}"]')).to_contain_text(
        "Без записи")
    expect(door.locator("#admit-button")).to_have_attribute("aria-disabled", "true")

    # F2 while nobody can come in: nobody is admitted, and the door is told why
    door.locator("body").click(position={"x": 5, "y": 860})
    door.keyboard.press("F2")
    expect(door.locator("#notice")).to_have_text("Свободных мест нет: никто не впущен.")
    expect(door.locator("#outside-body tr")).to_have_count(1)

    # a window serves the first ticket; the door sees the free place without reloading
    console = signed_in(new_context(DESK), base_url, "oper",
                         f"/staff/window/{window_ids(url, cid)[1]}")
    called = console.request.post(
        f"{base_url}/api/v1/windows/{window_ids(url, cid)[1]}/call-next", headers=HEAD)
    ticket = called.json()["ticket"]
    assert ticket["label"] == first
    for step in ("start", "finish"):
        done = console.request.post(f"{base_url}/api/v1/tickets/{ticket['id']}/{step}",
                                    headers=HEAD)
        assert done.status == 200, done.text()
    door.evaluate("window.kezekNoReload = 'still here'")
    expect(door.locator("#free-places")).to_have_text("Свободных мест: 1")
    expect(door.locator("#admit-button")).to_have_attribute("aria-disabled", "false")

    door.keyboard.press("F2")
    expect(result).to_have_attribute("data-kind", "admitted")
    expect(result).to_contain_text("Проходите")
    expect(door.locator("#admitted")).to_have_text(third)
    expect(door.locator("#notice")).to_have_text(f"Впущены: {third}")
    expect(door.locator("#outside-count")).to_have_text("Снаружи никто не ждёт.")
    expect(door.locator("#outside-table")).to_be_hidden()
    expect(door.locator("#occupancy")).to_contain_text("В центре: 2 из 2")
    assert door.evaluate("window.kezekNoReload") == "still here"

    # the lobby board asks the admitted ticket in (labels only)
    expect(board.locator("#admitted-line")).to_be_visible()
    expect(board.locator("#admitted-tickets")).to_have_text(third)
    expect(board.locator("#admitted-line")).to_contain_text("Проходите в центр")
    assert door.script_errors == [] and console.script_errors == []
