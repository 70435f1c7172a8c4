"""The kiosk in a real browser, enrolled by door staff and then without any staff
session: a booked person checks in with code and IIN and sees their ticket; a mistyped
IIN shows the reason and keeps what was typed; at a full centre the ticket waits outside
and the kiosk says so, with the place in line; a revoked kiosk goes back to enrolment.
Kezek's clock, the server's and the browser's, is pinned to a working-day morning
(tests.conftest.MORNING): this evening's 23:30 booking is ahead whenever the tests run."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kezek import clock
from kezek.app import booking, network
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.app.booking import BookingRequest
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from tests.conftest import random_iin
from tests.web.conftest import (
    WEB_IIN_KEY,
    add_staff,
    pin_browser_clock,
    run_async,
)
from tests.web.kiosk_support import book_tonight, enrol_in_browser

pytestmark = pytest.mark.browser
TZ = ZoneInfo("Asia/Almaty")
IIN = "850715400129"


SHOTS = Path("/tmp/shots-kiosk")
SIZES = {"phone": {"width": 390, "height": 844}, "tablet": {"width": 800, "height": 1280},
         "desk": {"width": 1366, "height": 768}}
WORDS = {"ru": {"check_digit": "контрольная", "ticket": "Ваш талон",
                "twice": "Вы уже зарегистрировались по этой записи в 10:00"},
         "kk": {"check_digit": "бақылау", "ticket": "Сіздің талоныңыз",
                "twice": "10:00 тіркелгенсіз"}}


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", ["phone", "tablet", "desk"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_kiosk_enrolment_and_check_in(base_url: str, seeded_url: tuple[str, dict[str, int]],
                                      browser: Any, pinned_clock: dt.datetime, lang: str,
                                      size: str) -> None:
    """Door staff enrol the screen once; then, with no staff session, a person checks in.
    A wrong digit says what is wrong and keeps what was typed; an IIN typed with spaces
    and dashes is accepted; a second check-in names the time and the ticket."""
    from playwright.sync_api import expect

    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "kiosk1", "door", [cid])
    code = run_async(book_tonight, url, cid, IIN)
    context = browser.new_context(viewport=SIZES[size], locale="ru-RU",
                                  is_mobile=size != "desk", has_touch=size != "desk")
    pin_browser_clock(context, pinned_clock)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        SHOTS.mkdir(parents=True, exist_ok=True)
        enrol_in_browser(page, base_url, cid, "kiosk1", f"enrolment-{lang}-{size}", lang)
        page.goto(f"{base_url}/kiosk?lang={lang}")
        assert page.locator("a[href^='/staff']").count() == 0
        assert "kezek_session" not in {c["name"] for c in context.cookies()}
        browser_now = page.evaluate("Date.now()") / 1000  # the page's clock is pinned too
        assert 0 <= browser_now - pinned_clock.timestamp() < 300

        page.locator("#kiosk-code").fill(code)
        page.locator("#kiosk-iin").fill("8507 1540 0128")  # one digit wrong, spaced
        page.locator("#kiosk-submit").click()
        problem = page.locator("#kiosk-problem")
        expect(problem).to_contain_text(WORDS[lang]["check_digit"])
        assert page.locator("#kiosk-iin").input_value() == "850715400128"  # kept, cleaned
        assert page.locator("#kiosk-code").input_value() == code
        expect(page.locator("#kiosk-iin")).to_be_focused()
        _shot(page, f"kiosk-error-{lang}-{size}")

        page.locator("#kiosk-iin").fill("8507-1540-0129")  # dashes: all twelve digits kept
        assert page.locator("#kiosk-iin").input_value() == "850715400129"
        page.locator("#kiosk-submit").click()
        ticket = page.locator("#result-ticket")
        expect(ticket).to_be_visible()
        expect(page.locator("#result-title")).to_have_text(WORDS[lang]["ticket"])
        label = ticket.inner_text().strip()
        assert re.fullmatch(r"[A-Z]+-\d{3}", label)
        assert IIN not in page.content() and IIN not in page.url
        _shot(page, f"kiosk-ticket-{lang}-{size}")

        page.locator("#kiosk-again").click()
        page.locator("#kiosk-code").fill(code)
        page.locator("#kiosk-iin").fill(IIN)
        page.locator("#kiosk-submit").click()
        expect(problem).to_contain_text(WORDS[lang]["twice"])
        expect(problem).to_contain_text(label)
        _shot(page, f"kiosk-twice-{lang}-{size}")
        assert errors == []
    finally:
        context.close()


def test_a_revoked_kiosk_goes_back_to_enrolment(
        base_url: str, seeded_url: tuple[str, dict[str, int]], browser: Any) -> None:
    from playwright.sync_api import expect

    from kezek.app import kiosk_devices
    from kezek.app.actor import SYSTEM

    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "kiosk3", "door", [cid])
    context = browser.new_context(viewport=SIZES["tablet"], locale="ru-RU")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        enrol_in_browser(page, base_url, cid, "kiosk3")

        async def revoke_all() -> None:
            engine = make_engine(url)
            try:
                async with unit_of_work(make_sessionmaker(engine)) as s:
                    for device in await kiosk_devices.devices_of(s, cid):
                        await kiosk_devices.revoke(s, cid, device.id, SYSTEM, Channel.CLI)
            finally:
                await engine.dispose()

        run_async(revoke_all)
        page.locator("#kiosk-code").fill("ABCD2345")
        page.locator("#kiosk-iin").fill(IIN)
        page.locator("#kiosk-submit").click()
        expect(page.locator("#kiosk-problem")).to_contain_text("не зарегистрирован или отключён")
        page.wait_for_url(f"{base_url}/kiosk/enrol")
    finally:
        context.close()


async def _full_tonight(url: str, cid: int, iins: list[str]) -> list[str]:
    """Bookings for 23:30 today at a centre opened late, with room for one person inside."""
    start = dt.datetime.combine(clock.now().astimezone(TZ).date(), dt.time(23, 30), TZ)
    admin = Actor("admin", 1, Role.ADMIN)
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        async with unit_of_work(sm) as s:
            await network.set_exception(s, cid, start.date(), "00:00", "23:59", "", admin,
                                        Channel.API)
            await network.update_center(s, cid, {"latest_booking": "23:59",
                                                 "occupancy_limit": 1}, admin, Channel.API)
        codes = []
        for iin in iins:
            async with unit_of_work(sm) as s:
                row = await booking.book(s, BookingRequest(iin, "01010001", cid, start,
                                                           Channel.WEB), WEB_IIN_KEY.encode(),
                                         CITIZEN)
            codes.append(row.code)
        return codes
    finally:
        await engine.dispose()


def _check_in(page: Any, code: str, iin: str) -> None:
    if page.locator("#kiosk-again").is_visible():
        page.locator("#kiosk-again").click()
    page.locator("#kiosk-code").fill(code)
    page.locator("#kiosk-iin").fill(iin)
    page.locator("#kiosk-submit").click()


def test_kiosk_at_a_full_centre_says_wait_outside(
        base_url: str, seeded_url: tuple[str, dict[str, int]], browser: Any,
        pinned_clock: dt.datetime) -> None:
    from playwright.sync_api import expect

    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "kiosk2", "door", [cid])
    iins = [random_iin() for _ in range(3)]
    codes = run_async(_full_tonight, url, cid, iins)
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="ru-RU")
    pin_browser_clock(context, pinned_clock)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        enrol_in_browser(page, base_url, cid, "kiosk2")

        _check_in(page, codes[0], iins[0])  # the one place inside
        expect(page.locator("#result[data-kind='ticket']")).to_be_visible()
        expect(page.locator("#result-text")).to_have_text("Пожалуйста, ожидайте и следите "
                                                          "за табло.")
        inside = page.locator("#result-ticket").inner_text().strip()

        _check_in(page, codes[1], iins[1])  # the centre is full now
        result = page.locator("#result[data-kind='outside']")
        expect(result).to_be_visible()
        expect(page.locator("#result-title")).to_have_text("Центр заполнен: подождите снаружи")
        expect(page.locator("#result-text")).to_have_text(
            "Ваш номер в очереди: 1. Экран у входа пригласит вас войти.")
        label = page.locator("#result-ticket").inner_text().strip()
        assert re.fullmatch(r"[A-Z]+-\d{3}", label) and label != inside

        page.goto(f"{base_url}/kiosk?lang=en")
        _check_in(page, codes[2], iins[2])
        expect(page.locator("#result[data-kind='outside']")).to_be_visible()
        expect(page.locator("#result-title")).to_have_text(
            "The centre is full: please wait outside")
        expect(page.locator("#result-text")).to_have_text(
            "You are number 2 in line. The screen by the door will call you in.")
        content = page.content()
        assert all(iin not in content and iin not in page.url for iin in iins)
        assert errors == []
    finally:
        context.close()
