"""The 1414 console in a real browser: a call-centre operator finds a caller by IIN,
books a paper service for them, answers "can I do this online?", publishes video hours
and gives the caller a video consultation with its room link, all without a reload.
Debian's chromium and a real uvicorn on loopback (fixtures in tests/web/conftest.py)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kezek.settings import Settings
from kezek.store.db import make_engine, make_sessionmaker
from kezek.store.models import BookingRow
from kezek.store.models_channels import BookingContactRow, ConsultationRow
from tests.conftest import random_iin
from tests.web.conftest import STAFF_PASSWORD, add_staff, run_async

pytestmark = pytest.mark.browser

DESK = {"width": 1366, "height": 900}


async def _stored(url: str) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s:
            bookings = [(b.channel, b.status) for b in (await s.scalars(select(BookingRow)))]
            rooms = list((await s.scalars(select(ConsultationRow.room))).all())
            mails = [c.email or "" for c in (await s.scalars(select(BookingContactRow)))]
            return bookings, rooms, mails
    finally:
        await engine.dispose()


def test_console_books_for_a_caller_and_schedules_a_video_consultation(
        base_url: str, seeded_url: tuple[str, dict[str, int]], browser: Any) -> None:
    from playwright.sync_api import expect

    url, centres = seeded_url
    add_staff(url, "cc.ann", "call_centre", [])
    context = browser.new_context(viewport=DESK, locale="ru-RU", device_scale_factor=1)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        script_errors: list[str] = []
        page.on("pageerror", lambda error: script_errors.append(str(error)))
        page.goto(base_url + "/staff/callcentre")
        page.get_by_label("Логин").fill("cc.ann")
        page.get_by_label("Пароль").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Войти").click()
        page.wait_for_url(base_url + "/staff/callcentre")
        page.locator('#live-status[data-state="on"]').wait_for()
        page.evaluate("window.kezekNoReload = 'still here'")

        # a mistyped IIN: the reason, in Russian, beside the field
        iin_field = page.get_by_label("ИИН звонящего")
        iin_field.fill("900101300019")
        page.get_by_role("button", name="Найти").click()
        # not before the operator records the identity check
        expect(page.locator("#caller-iin-error")).to_contain_text("проверьте личность")
        expect(page.get_by_label("Личность проверена: вопросы заданы")).to_be_focused()
        page.get_by_label("Личность проверена: вопросы заданы").check()
        page.get_by_role("button", name="Найти").click()
        expect(page.locator("#caller-iin-error")).to_contain_text("контрольная цифра")
        expect(page.locator("#caller")).to_be_hidden()

        iin = random_iin()
        iin_field.fill(iin)
        page.get_by_role("button", name="Найти").click()
        expect(page.locator("#caller-masked")).to_have_text(
            f"Звонящий: {iin[:2]}********{iin[-2:]}")
        expect(page.locator("#bookings-none")).to_be_visible()
        assert iin_field.input_value() == ""
        expect(page.get_by_label("Поиск услуги по словам (на казахском, русском, английском)")
               ).to_be_focused()

        # an online service: the portal, self-service points and a video consultation
        page.keyboard.type("адресная")
        page.keyboard.press("Enter")
        page.locator('#service-results button[data-code="02010001"]').click()
        advice = page.locator("#advice")
        expect(advice).to_have_attribute("data-kind", "online")
        expect(advice.get_by_role("link", name="egov.kz")).to_be_visible()
        expect(page.locator("#points")).to_contain_text("ул. Абая, 1")
        expect(page.locator("#points")).to_contain_text("09:00–18:00")

        # a paper service, booked at a centre from its real free times
        search = page.get_by_label("Поиск услуги по словам (на казахском, русском, английском)")
        search.fill("удостоверение")
        search.press("Enter")
        page.locator('#service-results button[data-code="01010001"]').click()
        expect(advice).to_have_attribute("data-kind", "paper")
        page.get_by_label("Центр", exact=True).select_option(str(centres["mixed"]))
        page.get_by_label("E-mail для напоминания (необязательно)").fill("caller@example.kz")
        page.locator("#book-show").click()
        first = page.locator("#book-times .cc-slots button").first
        expect(first).to_be_visible()
        first.click()
        code = page.locator("#booked-code")
        expect(code).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
        shown = code.inner_text()
        row = page.locator("#bookings-body tr")
        expect(row).to_have_count(1)
        expect(row.first).to_contain_text(shown)
        expect(row.first).to_contain_text("ЦОН 2")
        # moved to the last free time of that day, by keyboard-reachable buttons
        row.first.get_by_role("button", name="Перенести").click()
        later = page.locator("#move-times .cc-slots button").last
        expect(later).to_be_visible()
        later.click()
        expect(page.locator("#notice")).to_contain_text("Перенесено. Новый код:")
        expect(row).to_have_count(2)
        expect(page.locator('#bookings-body tr[data-status="active"]')).to_have_count(1)
        # the old one is shown as moved, not as cancelled (issue 13)
        moved = page.locator('#bookings-body tr[data-status="moved"]')
        expect(moved).to_contain_text(shown)
        expect(moved).to_contain_text("Перенесена на другое время")

        # video hours for tomorrow, then a consultation for the caller in one of them
        tomorrow = (dt.datetime.now(ZoneInfo("Asia/Almaty")) + dt.timedelta(days=1)).date()
        hours = page.locator("#hours-form")
        hours.get_by_label("Дата").select_option(tomorrow.isoformat())
        hours.get_by_label("С", exact=True).select_option("10:00")
        hours.get_by_label("До", exact=True).select_option("11:00")
        hours.get_by_label("Одна консультация, минут").select_option("30")
        hours.get_by_role("button", name="Опубликовать часы").click()
        expect(page.locator("#notice")).to_have_text("Опубликовано окон: 2")
        expect(page.locator("#hours-list li")).to_have_count(1)

        page.locator("#video-form").get_by_label("День").select_option(tomorrow.isoformat())
        page.locator("#video-form").get_by_role("button").click()
        slots = page.locator("#video-slots button")
        expect(slots).to_have_count(2)
        expect(slots.first).to_contain_text("10:00")
        slots.first.click()
        link = page.locator("#room-link")
        expect(link).to_be_visible()
        room = link.inner_text()
        base = Settings().video_room_base
        # a room code the operator can read out: three groups of five (issue 13)
        assert re.fullmatch(re.escape(base) + r"/[2-9a-z]{5}-[2-9a-z]{5}-[2-9a-z]{5}", room)
        expect(page.locator("#mine-body")).to_contain_text(room)
        expect(page.locator("#caller-consultations")).to_contain_text(room)
        expect(slots).to_have_count(1)

        assert page.evaluate("window.kezekNoReload") == "still here"
        assert iin not in page.content() and iin not in page.url

        # Esc (outside a field) ends the call: nothing of the caller stays on screen
        page.locator("#video-title").click()
        page.keyboard.press("Escape")
        expect(page.locator("#caller")).to_be_hidden()
        expect(iin_field).to_be_focused()
        assert script_errors == []
    finally:
        context.close()

    bookings, rooms, mails = run_async(_stored, url)
    # the moved booking's old seat is held back from the public for a few minutes (ADR 13)
    assert sorted(bookings) == [("call_centre", "active"), ("call_centre", "held"),
                                ("call_centre", "moved")]
    assert rooms == [room] and room.startswith(Settings().video_room_base + "/")
    assert mails == ["caller@example.kz"] * 2  # the reminder contact followed the move
