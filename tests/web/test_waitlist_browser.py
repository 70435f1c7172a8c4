"""The waitlist in a real browser with JavaScript switched off, on a phone-sized window:
a fully booked day -> join with IIN and e-mail -> the code and place in line; a seat
frees up and is held (by the real offer code, as the job does) -> the offer message's
link -> the IIN -> "Accept this time" -> the booking code page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from kezek.store.models import utcnow
from tests.conftest import next_weekday
from tests.web.conftest import phone_page, run_async
from tests.web.test_waitlist_pages import IIN, VEHICLE, FullDay, _fill, _free_and_offer

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def full_day(seeded_url: tuple[str, dict[str, int]]) -> FullDay:
    url, centres = seeded_url
    cid = centres["vehicle"]
    day = next_weekday(days_ahead=2)
    return FullDay(url, cid, day, run_async(_fill, url, cid, day))


@pytest.fixture
def site_url(full_day: FullDay, base_url: str) -> str:
    """The server, started after the day was filled (its catalog is read afresh)."""
    return base_url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with phone_page(browser, viewport=PHONE, java_script_enabled=False) as pg:
        yield pg


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_join_then_accept_the_held_time_without_javascript(
        site_url: str, full_day: FullDay, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{site_url}/services/{VEHICLE}")
    page.get_by_role("link", name="Спец ЦОН").click()
    page.get_by_role("heading", name="Выберите день и время").wait_for()
    days = page.get_by_role("list", name="Выберите день")
    full = days.get_by_role("link", name=re.compile("нет свободного времени"))
    expect(full).to_have_count(1)
    full.click()
    expect(page.get_by_role("heading", name=re.compile("свободного времени нет"))).to_be_visible()
    assert fits_the_screen(page)
    page.get_by_role("link", name="Встать в лист ожидания на этот день").click()

    expect(page.get_by_role("heading", name="Лист ожидания")).to_be_visible()
    assert fits_the_screen(page)
    page.get_by_label(re.compile("ИИН")).fill(IIN)
    page.get_by_label("Электронная почта (необязательно)").fill("me@example")
    page.get_by_role("button", name="Встать в лист ожидания").click()
    summary = page.get_by_role("alert")  # the error summary, linking to the field
    expect(summary).to_contain_text("name@example.kz")
    summary.get_by_role("link").click()
    assert page.evaluate("location.hash") == "#email"
    page.get_by_label(re.compile("ИИН")).fill(IIN)  # never kept in the form
    page.get_by_label("Электронная почта (необязательно)").fill("me@example.kz")
    page.get_by_role("button", name="Встать в лист ожидания").click()

    expect(page.get_by_role("heading", name="Вы в листе ожидания")).to_be_visible()
    code = page.locator(".code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    expect(page.locator("#place")).to_have_text("1")
    expect(page.get_by_text("me@example.kz", exact=False)).to_be_visible()
    assert fits_the_screen(page)

    iin, booked = full_day.booked[0]
    assert run_async(_free_and_offer, full_day.url, full_day.center, full_day.day, iin,
                     booked, utcnow())
    page.goto(f"{site_url}/waitlist/{code.replace('-', '')}")  # the link in the message
    expect(page.get_by_text("Введите ИИН, чтобы увидеть эту запись")).to_be_visible()
    assert "Спец ЦОН" not in page.content()
    page.get_by_label(re.compile("ИИН")).fill(IIN)
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_role("heading", name="Для вас придержано время")).to_be_visible()
    expect(page.locator("#held-until")).to_have_text(re.compile(r"^\d\d:\d\d \(.+\)$"))
    assert fits_the_screen(page)
    page.get_by_role("button", name="Принять это время").click()

    expect(page.get_by_role("heading", name="Вы записаны")).to_be_visible()
    booking = page.locator(".code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", booking) and booking != code
    assert "09:00" in page.content()
    assert IIN not in page.content() and IIN not in page.url
