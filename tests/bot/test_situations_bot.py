"""Browsing by life situation in the chat: section, situation, service, then a city."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.conftest import Chat

from kezek.app import situations
from kezek.app.actor import SYSTEM, Channel
from kezek.core.registry import Names


async def _name_situations(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm() as s, s.begin():
        await situations.replace_all(s, {
            "0101": Names("Жеке куәлік", "Удостоверение личности", "Identity card and passport"),
            "0401": Names("Көлік", "Транспорт", "Registering a vehicle"),
        }, SYSTEM, Channel.CLI)


async def test_a_service_is_reached_by_situation_in_three_taps(
        chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    await _name_situations(sm)
    await chat.send("/start")
    await chat.press("English")
    await chat.press("Book a visit")
    assert "By life situation" in chat.buttons()[0]
    await chat.press("By life situation")
    assert "What happened?" in chat.said()
    sections = chat.buttons()
    assert "Identity documents" in sections and "Vehicles" in sections
    await chat.press("Identity documents", exact=True)
    assert chat.buttons()[0] == "Identity card and passport"
    await chat.press("Identity card and passport", exact=True)
    assert chat.buttons()[0] == "Issue of an identity card"
    await chat.press("Issue of an identity card", exact=True)
    assert "Choose a city" in chat.said()


async def test_nothing_found_offers_the_situations(
        chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    await _name_situations(sm)
    await chat.send("/start")
    await chat.press("Қазақша")
    await chat.press("Қабылдауға жазылу", exact=True)
    await chat.send("qwertyuiop")
    assert "Өмірлік жағдай бойынша" in " ".join(chat.buttons())
    await chat.press("Өмірлік жағдай бойынша")
    assert "Бөлімді таңдаңыз" in chat.said()
