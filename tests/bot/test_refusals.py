"""The bot refuses by the same rules as every channel: a taken time, the shared quota."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.conftest import IIN_KEY, Chat, tomorrow
from tests.bot.test_booking import IIN, reach_iin_step
from tests.conftest import random_iin

from kezek.app import booking
from kezek.app.actor import CITIZEN, Channel
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
    web = await book_on_web(sm, IIN, "05010001", centres["booking-only"], at(11, 0))
    await reach_iin_step(chat)
    await chat.send_iin(IIN)
    await chat.press("Confirm")
    said = chat.said()
    assert "Booking limit reached: at most 1 booking(s) per 10 days" in said
    assert "You are booked" not in said and chat.since("sendPhoto") == []
    assert "Book a visit" in chat.buttons()
    async with sm() as s:
        rows = (await s.scalars(select(BookingRow))).all()
    assert [(r.code, r.channel) for r in rows] == [(web.code, "web")]
