"""Privilege claims in chromium: the door console lists a claim nobody could verify
("pensioner: check the document"), staff confirm or reject it with the page's buttons,
a walk-in's claim shows on the ticket; the kiosk tells a person with a claim to show the
document at the door. Phone and desk sizes, Kazakh and Russian, with screenshots."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kezek import clock
from kezek.app import arrivals, booking, network
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.app.booking import BookingRequest
from kezek.core.policy import Privilege
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models import AuditRow, TicketRow
from tests.conftest import random_iin
from tests.web.conftest import (
    STAFF_PASSWORD,
    WEB_IIN_KEY,
    add_staff,
    pin_browser_clock,
    run_async,
)
from tests.web.kiosk_support import enrol_in_browser

pytestmark = pytest.mark.browser
TZ = ZoneInfo("Asia/Almaty")
SHOTS = Path("/work/shots/privilege")
SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 800}}
WORDS = {
    "kk": {"claim": "Зейнеткер: құжатты тексеріңіз", "confirm": "Растау",
           "reject": "Қабылдамау", "none": "Тексерілетін жеңілдік жоқ",
           "kiosk": "Жеңілдік құжатыңызды есік жанындағы қызметкерге көрсетіңіз"},
    "ru": {"claim": "Пенсионер: проверьте документ", "confirm": "Подтвердить",
           "reject": "Отклонить", "none": "Льгот для проверки нет",
           "kiosk": "Покажите документ о льготе сотруднику у входа"},
}
DOOR_ACTOR = Actor("door.seed", 1, Role.ADMIN)


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


async def _claim(url: str, cid: int) -> int:
    """A walk-in who claims to be a pensioner (Kezek's own directory: left to the door)."""
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            ticket = await arrivals.walk_in(s, cid, random_iin(), "01010001",
                                            Privilege.PENSIONER, WEB_IIN_KEY.encode(),
                                            DOOR_ACTOR)
        assert isinstance(ticket, TicketRow)
        return ticket.id
    finally:
        await engine.dispose()


async def _ticket(url: str, ticket_id: int) -> tuple[str | None, str | None, str]:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s:
            t = await s.get(TicketRow, ticket_id)
            assert t is not None
            return t.privilege, t.privilege_status, t.status
    finally:
        await engine.dispose()


async def _decisions(url: str) -> list[tuple[str, str]]:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s:
            rows = (await s.execute(select(AuditRow.action, AuditRow.actor).where(
                AuditRow.action.like("privilege.%")).order_by(AuditRow.id))).all()
            return [(a, b) for a, b in rows]
    finally:
        await engine.dispose()


def _sign_in(page: Any, base_url: str, path: str, username: str) -> None:
    page.goto(f"{base_url}{path}")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{base_url}{path}")


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_door_confirms_and_rejects_claims(base_url: str, browser: Any,
                                              seeded_url: tuple[str, dict[str, int]],
                                              lang: str, size: str) -> None:
    from playwright.sync_api import expect

    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "door.claims", "door", [cid])
    waiting = run_async(_claim, url, cid)
    words = WORDS[lang]
    context = browser.new_context(viewport=SIZES[size], locale="ru-RU", device_scale_factor=1,
                                  is_mobile=size == "phone", has_touch=size == "phone")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        _sign_in(page, base_url, f"/staff/door/{cid}", "door.claims")
        page.goto(f"{base_url}/staff/door/{cid}?lang={lang}")
        panel = page.locator("#claims-panel")
        row = panel.locator(f'tr[data-ticket="{waiting}"]')
        expect(row).to_contain_text(words["claim"])
        _shot(page, f"door-claim-{lang}-{size}")

        row.get_by_role("button", name=re.compile(words["confirm"])).click()
        expect(panel.locator("#claims-none")).to_be_visible()
        expect(panel.locator("#claims-none")).to_contain_text(words["none"])
        assert run_async(_ticket, url, waiting) == ("pensioner", "confirmed", "waiting")

        # a walk-in with a claim: the ticket shows it, and the list offers the buttons
        page.locator("#walkin-iin").fill(random_iin())
        page.locator("#walkin-service").select_option("01010001")
        page.locator("#priv-pensioner").check()
        page.locator("#walkin-form button[type=submit]").click()
        expect(page.locator("#ticket-claim")).to_contain_text(words["claim"])
        new_row = panel.locator("tbody tr")
        expect(new_row).to_have_count(1)
        expect(new_row).to_contain_text(words["claim"])
        _shot(page, f"door-walkin-claim-{lang}-{size}")
        label = page.locator("#ticket-label").inner_text().strip()
        new_row.get_by_role("button", name=re.compile(words["reject"])).click()
        expect(panel.locator("#claims-none")).to_be_visible()
        expect(page.locator("#ticket-claim")).to_have_attribute("data-decided", "rejected")
        expect(page.locator("#ticket-claim")).to_contain_text(label)
        _shot(page, f"door-rejected-{lang}-{size}")
    finally:
        context.close()
    audited = run_async(_decisions, url)
    assert [row for row in audited if row[0] != "privilege.claim"] == [
        ("privilege.confirm", "door.claims"), ("privilege.reject", "door.claims")]
    assert ("privilege.claim", "door.claims") in audited  # the walk-in's own claim row


async def _book_tonight(url: str, cid: int, iin: str) -> str:
    """A pensioner's booking for 23:30 today at a centre opened late for the test."""
    start = dt.datetime.combine(clock.now().astimezone(TZ).date(), dt.time(23, 30), TZ)
    admin = Actor("admin", 1, Role.ADMIN)
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        async with unit_of_work(sm) as s:
            await network.set_exception(s, cid, start.date(), "00:00", "23:59", "", admin,
                                        Channel.API)
            await network.update_center(s, cid, {"latest_booking": "23:59"}, admin,
                                        Channel.API)
        async with unit_of_work(sm) as s:
            row = await booking.book(s, BookingRequest(iin, "01010001", cid, start,
                                                       Channel.WEB, Privilege.PENSIONER),
                                     WEB_IIN_KEY.encode(), CITIZEN)
        assert row.privilege_status == "claimed"
        return row.code
    finally:
        await engine.dispose()


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_kiosk_says_to_show_the_document(base_url: str, browser: Any,
                                             seeded_url: tuple[str, dict[str, int]],
                                             lang: str, size: str,
                                             pinned_clock: dt.datetime) -> None:
    """The clock (server and browser) reads a morning: this evening's booking is ahead."""
    from playwright.sync_api import expect

    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "kiosk.claims", "door", [cid])
    iin = random_iin()
    code = run_async(_book_tonight, url, cid, iin)
    context = browser.new_context(viewport=SIZES[size], locale="ru-RU", device_scale_factor=1,
                                  is_mobile=size == "phone", has_touch=size == "phone")
    pin_browser_clock(context, pinned_clock)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        enrol_in_browser(page, base_url, cid, "kiosk.claims")
        page.goto(f"{base_url}/kiosk?lang={lang}")
        page.locator("#kiosk-code").fill(code)
        page.locator("#kiosk-iin").fill(iin)
        page.locator("#kiosk-submit").click()
        expect(page.locator("#result-ticket")).to_be_visible()
        expect(page.locator("#result-text")).to_contain_text(WORDS[lang]["kiosk"])
        _shot(page, f"kiosk-claim-{lang}-{size}")
    finally:
        context.close()
