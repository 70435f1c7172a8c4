"""The kiosk in a real browser: a booked person checks in with code and IIN and sees
their ticket; a mistyped IIN shows the reason and leaves nothing in the field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kezek.app import booking, network
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.app.booking import BookingRequest
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from tests.web.conftest import STAFF_PASSWORD, WEB_IIN_KEY, add_staff, run_async

pytestmark = pytest.mark.browser
TZ = ZoneInfo("Asia/Almaty")
IIN = "850715400129"


async def _book_tonight(url: str, cid: int) -> str:
    """A booking for 23:30 today at a centre opened late for the test."""
    start = dt.datetime.combine(dt.datetime.now(TZ).date(), dt.time(23, 30), TZ)
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
            row = await booking.book(s, BookingRequest(IIN, "01010001", cid, start,
                                                       Channel.WEB), WEB_IIN_KEY.encode(),
                                     CITIZEN)
        return row.code
    finally:
        await engine.dispose()


def test_kiosk_check_in(base_url: str, seeded_url: tuple[str, dict[str, int]],
                        browser: Any) -> None:
    from playwright.sync_api import expect

    if dt.datetime.now(TZ).time() >= dt.time(23, 10):
        pytest.skip("no bookable slot left today in Almaty")
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "kiosk1", "door", [cid])
    code = run_async(_book_tonight, url, cid)
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="ru-RU")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{base_url}/staff/kiosk/{cid}")
        page.get_by_label("Логин").fill("kiosk1")
        page.get_by_label("Пароль").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Войти").click()
        page.wait_for_url(f"{base_url}/staff/kiosk/{cid}")

        page.locator("#kiosk-code").fill(code)
        page.locator("#kiosk-iin").fill("850715400128")  # one digit wrong
        page.locator("#kiosk-submit").click()
        expect(page.locator("#result-text")).to_contain_text("контрольная цифра")
        assert page.locator("#kiosk-iin").input_value() == ""

        if page.locator("#kiosk-again").is_visible():
            page.locator("#kiosk-again").click()
        page.locator("#kiosk-code").fill(code)
        page.locator("#kiosk-iin").fill(IIN)
        page.locator("#kiosk-submit").click()
        ticket = page.locator("#result-ticket")
        expect(ticket).to_be_visible()
        assert re.fullmatch(r"[A-Z]+-\d{3}", ticket.inner_text().strip())
        assert IIN not in page.content() and IIN not in page.url
    finally:
        context.close()
