"""A full day is shown as full, not hidden, and leads to its waitlist (issue 13)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.conftest import Chat, tomorrow, tomorrow_label
from tests.bot.test_booking import IIN
from tests.bot.test_refusals import book_on_web
from tests.conftest import random_iin

from kezek.app.slots import free_slots
from kezek.core.errors import SlotFull
from kezek.store.models import BookingRow, utcnow
from kezek.store.models_jobs import WaitlistEntryRow

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
CARD = "01010001"


async def fill_tomorrow(sm: async_sessionmaker[AsyncSession], centre: int) -> None:
    """Every seat of tomorrow at the centre for identity cards, booked on the web."""
    async with sm() as s:
        found = await free_slots(s, centre, CARD, tomorrow(), 1, utcnow())
    for slot in found:
        for _ in range(slot.free):
            try:
                await book_on_web(sm, random_iin(), CARD, centre, slot.start)
            except SlotFull:
                break
    async with sm() as s:
        assert await free_slots(s, centre, CARD, tomorrow(), 1, utcnow()) == []


async def to_days(chat: Chat, lang: str = "English", book: str = "Book a visit",
                  words: str = "identity card", service: str = "Issue of an identity card",
                  city: str = "Test", centre: str = "PSC 2") -> None:
    await chat.send("/start")
    await chat.press(lang)
    await chat.press(book)
    await chat.send(words)
    await chat.press(service)
    await chat.press(city, exact=True)
    await chat.press(centre, exact=True)


async def test_a_full_day_is_shown_and_offers_the_waitlist(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    await fill_tomorrow(sm, centres["mixed"])
    await to_days(chat)
    said = chat.said()
    assert "Days marked “full” have no free time left" in said
    full = f"{tomorrow_label('en')} · full"
    assert full in chat.buttons()
    await chat.press(full, exact=True)
    assert "no free time is left. Join the waitlist" in chat.said()
    assert "⏳ Join the waitlist" in chat.buttons() and "Another day" in chat.buttons()
    await chat.press("Join the waitlist")
    assert "To join the waitlist, send your IIN" in chat.said()
    said = await chat.send_iin(IIN)
    assert "You are on the waitlist" in said and "Your place in line: 1" in said
    assert "Centre: PSC 2" in said
    async with sm() as s:
        entry = (await s.scalars(select(WaitlistEntryRow))).one()
        mine = (await s.scalars(select(BookingRow).where(BookingRow.channel == "bot"))).all()
    assert (entry.center_id, entry.service_code, entry.day) == (centres["mixed"], CARD,
                                                                tomorrow())
    assert entry.channel == "bot" and entry.telegram_chat_id == chat.chat_id
    assert entry.lang == "en" and mine == []


async def test_a_full_day_in_kazakh_and_another_day(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    await fill_tomorrow(sm, centres["mixed"])
    await to_days(chat, "Қазақша", "Қабылдауға жазылу", "жеке куәлік", "Жеке куәлік беру",
                  "Тест", "ХҚО 2")
    full = f"{tomorrow_label('kk')} · бос емес"
    await chat.press(full, exact=True)
    assert "бос уақыт қалмады. Күту парағына тұрыңыз" in chat.said()
    await chat.press("Басқа күн")
    assert full in chat.buttons()
