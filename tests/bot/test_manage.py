"""My bookings in the chat: the list, cancelling and rebooking with buttons."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.conftest import Chat, tomorrow_label
from tests.bot.test_booking import IIN, MASKED, reach_iin_step
from tests.bot.test_refusals import at, book_on_web

from kezek.store.models import BookingRow
from kezek.store.models_channels import BookingContactRow, BotChatRow

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def booked_by_bot(chat: Chat, sm: async_sessionmaker[AsyncSession]) -> BookingRow:
    await reach_iin_step(chat, time="10:00")
    await chat.send_iin(IIN)
    await chat.press("Confirm")
    assert "You are booked!" in chat.said()
    async with sm() as s:
        return (await s.scalars(select(BookingRow))).one()


def shown(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


async def test_cancelling(chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    row = await booked_by_bot(chat, sm)
    await chat.press("My bookings")  # the chat is linked: no IIN needed to see the list
    said = chat.said()
    assert "Your active bookings" in said and shown(row.code) in said
    assert "Send your IIN" not in said
    await chat.press(f"Cancel {row.code}")
    assert f"To cancel booking {shown(row.code)}, send your IIN." in chat.said()
    sent = await chat.send(IIN)
    assert [int(c.params["message_id"]) for c in chat.since("deleteMessage")] == [sent]
    assert f"IIN received: {MASKED}" in chat.said()
    assert f"Booking {shown(row.code)} is cancelled." in chat.said()
    async with sm() as s:
        assert (await s.get(BookingRow, row.id)).status == "cancelled"  # type: ignore[union-attr]
    await chat.press("My bookings")
    assert "You have no active bookings." in chat.said()


async def test_cancelling_needs_the_right_iin(chat: Chat, sm: async_sessionmaker[AsyncSession]
                                              ) -> None:
    row = await booked_by_bot(chat, sm)
    await chat.press("My bookings")
    await chat.press(f"Cancel {row.code}")
    # a valid IIN, but someone else's (the chat's own number binds to it on first use)
    assert "Not found" in await chat.send_iin("850715400129")
    async with sm() as s:
        assert (await s.get(BookingRow, row.id)).status == "active"  # type: ignore[union-attr]


async def test_rebooking(chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    old = await booked_by_bot(chat, sm)
    await chat.press("My bookings")
    await chat.press(f"Rebook {old.code}")
    assert "Choose a day" in chat.said()
    await chat.press(tomorrow_label("en"), exact=True)
    assert "11:30" in chat.buttons()
    await chat.press("11:30", exact=True)
    assert f"To move booking {shown(old.code)} to" in chat.said() and "11:30" in chat.said()
    await chat.send(IIN)
    said = chat.said()
    assert "Booking moved. New code:" in said
    async with sm() as s:
        rows = {r.code: r for r in (await s.scalars(select(BookingRow))).all()}
        new = next(r for r in rows.values() if r.code != old.code)
        contact = await s.get(BookingContactRow, new.id)
    assert rows[old.code].status == "moved"
    assert new.status == "active" and new.channel == "bot" and new.start_utc == at(11, 30)
    assert new.center_id == old.center_id and new.service_code == old.service_code
    assert shown(new.code) in said and len(chat.since("sendPhoto")) == 1
    assert contact is not None and contact.telegram_chat_id == chat.chat_id


async def test_my_bookings_on_a_new_chat_asks_the_iin_and_links_it(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    web = await book_on_web(sm, IIN, "05010001", centres["booking-only"], at(12, 0))
    await chat.send("/menu")
    await chat.press("Мои записи")  # the network's default language until one is chosen
    assert "Чтобы увидеть свои записи, отправьте ИИН" in chat.said()
    said = await chat.send_iin(IIN)
    assert f"ИИН принят: {MASKED}" in said
    assert "Ваши активные записи" in said and shown(web.code) in said
    assert "Регистрация недвижимости" in said and "12:00" in said
    async with sm() as s:
        link = await s.get(BotChatRow, chat.chat_id)
    assert link is not None and link.person_id == web.person_id
