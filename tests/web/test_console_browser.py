"""The operator console's safety steps in chromium (issue 13), in Kazakh and Russian, at
phone and desk size: X asks first in a modal dialog (Escape keeps the person called),
after a no-show an Undo bar calls them back; the transfer target is typed, filtered as
one types and picked by keyboard, then confirmed; the end of the shift asks and closes
the window; a booked person shows their booked time. Screenshots in /tmp/shots-console/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kezek.app import arrivals, booking
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.app.booking import BookingRequest
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models import TicketRow
from tests.conftest import random_iin
from tests.web.conftest import (
    STAFF_PASSWORD,
    WEB_IIN_KEY,
    add_staff,
    pin_browser_clock,
    run_async,
    window_ids,
)
from tests.web.test_accessibility_browser import AXE, violations

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-console")
SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1366, "height": 768}}
DOOR_ACTOR = Actor("door.seed", 1, Role.ADMIN)
WORDS = {
    "kk": {"booked": "Жазылу уақыты: 11:30", "row": "Жазылу бойынша, 11:30",
           "called": "Шақырылды, келуін күтуде", "no_show_title": "Келмеді деп белгілеу керек пе?",
           "yes": "Иә, келмеді", "undo": "Қайтару", "undone": "қайта шақырылды",
           "filter": "тіркеу", "narrow": "мүлік", "service": "Жылжымайтын мүлікті тіркеу",
           "transfer_title": "Басқа қызметке жіберу керек пе?", "transferred": "жіберілді",
           "end": "Ауысымды аяқтау", "end_title": "Ауысымды аяқтау керек пе?",
           "closed": "Жабық", "ended": "Ауысым аяқталды", "cancel": "Болдырмау",
           "over": "терезені ашыңыз (P)", "reopen": "Терезені ашу", "open": "Ашық",
           "pause": "Үзіліс"},
    "ru": {"booked": "Запись на 11:30", "row": "По записи, 11:30",
           "called": "Вызван, ожидаем подхода", "no_show_title": "Отметить неявку?",
           "yes": "Да, неявка", "undo": "Отменить", "undone": "Неявка отменена",
           "filter": "регистрац", "narrow": "недвиж", "service": "Регистрация недвижимости",
           "transfer_title": "Перевести на другую услугу?", "transferred": "переведён",
           "end": "Завершить смену", "end_title": "Завершить смену?",
           "closed": "Закрыто", "ended": "Смена завершена", "cancel": "Отмена",
           "over": "откройте окно (P)", "reopen": "Открыть окно", "open": "Открыто",
           "pause": "Пауза"},
}


def _shot(page: Any, name: str, found: list[str] | None = None) -> None:
    """A screenshot; with `found`, also what axe-core finds on the page in this state
    (when `make axe` installed it)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    if found is not None and AXE.exists():
        found += [f"{name}: {v}" for v in violations(page)]


async def _booked_arrival(url: str, cid: int, at: dt.datetime) -> str:
    """A person booked for 11:30 today and checked in at the door: their ticket's label."""
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        iin = random_iin()
        start = at.replace(hour=11, minute=30)
        async with unit_of_work(sm) as s:
            row = await booking.book(s, BookingRequest(iin, "01010001", cid, start, Channel.WEB),
                                     WEB_IIN_KEY.encode(), CITIZEN)
        async with unit_of_work(sm) as s:
            ticket = await arrivals.check_in(s, cid, row.code, iin, WEB_IIN_KEY.encode(),
                                             DOOR_ACTOR)
            assert isinstance(ticket, TicketRow)
            return ticket.label
    finally:
        await engine.dispose()


async def _status(url: str, label: str) -> str:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s:
            return str(await s.scalar(select(TicketRow.status).where(TicketRow.label == label)))
    finally:
        await engine.dispose()


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_show_asks_and_can_be_undone_and_transfer_is_typed_and_confirmed(
        base_url: str, browser: Any, seeded_url: tuple[str, dict[str, int]],
        pinned_clock: dt.datetime, lang: str, size: str) -> None:
    from playwright.sync_api import expect

    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "console.op", "operator", [cid])
    window = window_ids(url, cid)[1]
    label = run_async(_booked_arrival, url, cid, pinned_clock)
    words = WORDS[lang]
    # bypass_csp: the pages allow no injected script, and axe-core is injected
    context = browser.new_context(viewport=SIZES[size], locale="ru-RU", device_scale_factor=1,
                                  is_mobile=size == "phone", has_touch=size == "phone",
                                  bypass_csp=True)
    a11y: list[str] = []
    pin_browser_clock(context, pinned_clock)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        path = f"/staff/window/{window}"
        page.goto(f"{base_url}{path}")
        page.get_by_label("Логин").fill("console.op")
        page.get_by_label("Пароль").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Войти").click()
        page.wait_for_url(f"{base_url}{path}")
        page.goto(f"{base_url}{path}?lang={lang}")
        row = page.locator(f'#waiting-body tr[data-ticket="{label}"]')
        expect(row).to_contain_text(words["row"])

        # N calls the booked person; their booked time shows at the window
        page.locator("body").click(position={"x": 5, "y": 5})
        page.keyboard.press("n")
        expect(page.locator("#ticket-label")).to_have_text(label)
        expect(page.locator("#ticket-booked")).to_have_text(words["booked"])

        # X asks first; Escape answers no and the person stays called
        page.keyboard.press("x")
        dialog = page.get_by_role("dialog", name=words["no_show_title"])
        expect(dialog).to_be_visible()
        expect(dialog.get_by_role("button", name=words["yes"])).to_be_focused()
        page.keyboard.press("n")  # the console's shortcuts sleep while the dialog is open
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(page.locator("#ticket-status")).to_have_text(words["called"])
        assert run_async(_status, url, label) == "called"

        # X, then yes: a no-show, and the Undo bar for the undo minutes
        page.keyboard.press("x")
        expect(dialog).to_be_visible()
        _shot(page, f"console-confirm-{lang}-{size}", a11y)
        dialog.get_by_role("button", name=words["yes"]).click()
        bar = page.locator("#undo-bar")
        expect(bar).to_be_visible()
        expect(bar).to_contain_text(label)
        expect(page.locator("#undo-left")).to_contain_text("4:5")
        expect(page.locator("#ticket-label")).to_have_text("—")
        assert run_async(_status, url, label) == "no_show"
        _shot(page, f"console-undo-{lang}-{size}", a11y)
        bar.get_by_role("button", name=words["undo"]).click()
        expect(bar).to_be_hidden()
        expect(page.locator("#notice")).to_contain_text(words["undone"])
        expect(page.locator("#ticket-label")).to_have_text(label)
        expect(page.locator("#ticket-status")).to_have_text(words["called"])
        assert run_async(_status, url, label) == "called"

        # T, type: the list narrows as one types; Enter picks, then the transfer is confirmed
        page.locator("body").click(position={"x": 5, "y": 5})
        page.keyboard.press("t")
        box = page.get_by_role("combobox")
        expect(box).to_be_focused()
        box.press_sequentially(words["filter"])
        options = page.get_by_role("listbox").get_by_role("option")
        expect(options).to_have_count(2)
        box.press_sequentially(" " + words["narrow"])
        expect(options).to_have_count(1)
        expect(options.first).to_have_text(words["service"])
        expect(options.first).to_have_attribute("aria-selected", "true")
        expect(box).to_have_attribute("aria-activedescendant", "transfer-opt-05010001")
        _shot(page, f"console-filter-{lang}-{size}", a11y)
        box.press("Enter")
        confirm = page.get_by_role("dialog", name=words["transfer_title"])
        expect(confirm).to_contain_text(words["service"])
        expect(confirm).to_contain_text(label)
        _shot(page, f"console-transfer-{lang}-{size}", a11y)
        page.keyboard.press("Enter")
        expect(confirm).to_be_hidden()
        expect(page.locator("#notice")).to_contain_text(words["transferred"])
        expect(page.locator("#ticket-label")).to_have_text("—")
        assert run_async(_status, url, label) == "waiting"

        # the end of the shift asks (Cancel first: there is no undo for it), then closes
        end = page.get_by_role("button", name=words["end"], exact=True)
        end.click()
        ask = page.get_by_role("dialog", name=words["end_title"])
        expect(ask.get_by_role("button", name=words["cancel"])).to_be_focused()
        _shot(page, f"console-end-{lang}-{size}", a11y)
        ask.get_by_role("button", name=words["end"]).click()
        expect(page.locator("#notice")).to_contain_text(words["ended"])
        expect(page.locator("#window-state")).to_have_text(words["closed"])
        # closed for the day: N says so instead of opening it; P opens it on purpose
        page.locator("body").click(position={"x": 5, "y": 5})
        page.keyboard.press("n")
        expect(page.locator("#notice")).to_contain_text(words["over"])
        expect(page.locator("#pause-text")).to_have_text(words["reopen"])
        _shot(page, f"console-ended-{lang}-{size}")
        page.keyboard.press("p")
        expect(page.locator("#window-state")).to_have_text(words["open"])
        expect(page.locator("#pause-text")).to_have_text(words["pause"])
        assert errors == []
        assert a11y == []
    finally:
        context.close()
