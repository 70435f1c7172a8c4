"""The bot refuses a suspended person like every channel, with the end date."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.abuse_support import RULE, miss_visits, until_text
from tests.bot.conftest import IIN_KEY, Chat
from tests.bot.test_booking import IIN, reach_iin_step

from kezek.app.abuse import rule_store
from kezek.store.db import unit_of_work
from kezek.store.models import BookingRow

pytestmark = pytest.mark.parametrize("db_url", ["sqlite", "pg"], indirect=True)


async def test_a_suspended_person_is_told_until_when(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int],
        db_url: str) -> None:
    starts = await miss_visits(db_url, IIN, centres["mixed"], IIN_KEY.encode(),
                               [45, 30, 15])
    async with unit_of_work(sm) as s:
        await rule_store.store(s, RULE)
    await reach_iin_step(chat)
    await chat.send_iin(IIN)
    await chat.press("Confirm")
    said = chat.said()
    assert f"Booking is suspended until {until_text(max(starts))}" in said
    assert "You are booked" not in said
    async with sm() as s:
        bot = (await s.scalars(select(BookingRow).where(BookingRow.channel == "bot"))).all()
    assert bot == []
