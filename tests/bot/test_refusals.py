"""The bot refuses by the same rules as every channel: a taken time, the shared quota."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.conftest import IIN_KEY, Chat, tomorrow, tomorrow_label
from tests.bot.test_booking import IIN, reach_iin_step
from tests.conftest import random_iin

from kezek.app import booking
from kezek.app.actor import CITIZEN, Channel
from kezek.i18n import error_message
from kezek.store.db import unit_of_work
from kezek.store.models import BookingRow

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def at(hh: int, mm: int) -> dt.datetime:
    return dt.datetime.combine(tomorrow(), dt.time(hh, mm), ZoneInfo("Asia/Almaty"))


async def book_on_web(sm: async_sessionmaker[AsyncSession], iin: str, service: str,
                      centre: int, start: dt.datetime) -> BookingRow:
    async with unit_of_work(sm) as s:
        return await booking.book(s, booking.BookingRequest(
            iin=iin, service=service, center=centre, start=start, channel=Channel.WEB),
            IIN_KEY.encode(), CITIZEN)


async def test_a_time_taken_before_confirming_offers_other_times(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    await reach_iin_step(chat, time="10:00")
    await chat.send_iin(IIN)
    assert "Please check and confirm" in chat.said()
    # Meanwhile the three seats of 10:00 at PSC 2 go to other people on the web.
    for _ in range(3):
        await book_on_web(sm, random_iin(), "01010001", centres["mixed"], at(10, 0))
    await chat.press("Confirm")
    said = chat.said()
    assert "This time is fully booked. Please choose another time." in said
    assert "Other free times" in said
    labels = chat.buttons()
    assert "10:00" not in labels and "10:15" in labels
    async with sm() as s:
        mine = (await s.scalars(select(BookingRow).where(BookingRow.channel == "bot"))).all()
    assert mine == []
    await chat.press("10:15", exact=True)  # the IIN is still held: straight to confirming
    assert "Please check and confirm" in chat.said() and "10:15" in chat.said()
    await chat.press("Confirm")
    assert "You are booked!" in chat.said()
    async with sm() as s:
        row = (await s.scalars(select(BookingRow).where(BookingRow.channel == "bot"))).one()
    assert row.start_utc == at(10, 15)


async def test_the_quota_is_shared_with_the_web(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    """Refused right after the IIN and its proof, not after the confirmation (issue 13:
    the refusal came after seven steps), in the person's language."""
    web = await book_on_web(sm, IIN, "05010001", centres["booking-only"], at(11, 0))
    await reach_iin_step(chat)
    said = await chat.send_iin(IIN)
    assert "Booking limit reached: at most 1 booking(s) per 10 days" in said
    assert "Please check and confirm" not in said and "Confirm" not in chat.buttons()
    assert "You are booked" not in said and chat.since("sendPhoto") == []
    assert "Book a visit" in chat.buttons()
    async with sm() as s:
        rows = (await s.scalars(select(BookingRow))).all()
    assert [(r.code, r.channel) for r in rows] == [(web.code, "web")]


async def test_the_quota_refusal_comes_in_the_persons_language(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    await book_on_web(sm, IIN, "05010001", centres["booking-only"], at(11, 0))
    await chat.send("/start")
    await chat.press("Қазақша")
    await chat.press("Қабылдауға жазылу")
    await chat.send("жеке куәлік")
    await chat.press("Жеке куәлік беру")
    await chat.press("Тест", exact=True)
    await chat.press("ХҚО 2", exact=True)
    await chat.press(tomorrow_label("kk"), exact=True)
    await chat.press("10:00", exact=True)
    said = await chat.send_iin(IIN)
    assert error_message("quota_exceeded", "kk", {"rule": "per_period", "limit": 1,
                                                  "days": 10}) in said
    assert "Тексеріңіз және растаңыз" not in said
    async with sm() as s:
        assert len((await s.scalars(select(BookingRow))).all()) == 1
