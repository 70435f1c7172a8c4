"""Booking through the bot: the whole conversation, the IIN message, refusals."""

from __future__ import annotations

import io
import json
import logging

import pytest
import segno
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.conftest import PHONE, Chat, tomorrow, tomorrow_label

from kezek.store.models import BookingRow, PersonRow
from kezek.store.models_channels import BookingContactRow, BotChatRow

IIN = "900101300017"
MASKED = "90********17"
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def reach_iin_step(chat: Chat, lang_button: str = "English", centre: str = "PSC 2",
                         time: str = "10:00") -> None:
    """Language, menu, search, service, city, centre, tomorrow, a time: up to the IIN."""
    await chat.send("/start")
    assert "Choose a language" in chat.said()
    await chat.press(lang_button)
    await chat.press("Book a visit")
    assert "Type a few words" in chat.said()
    await chat.send("identity card")
    assert "Services found: 1" in chat.said()
    await chat.press("Issue of an identity card")
    assert "Choose a city" in chat.said()
    await chat.press("Test", exact=True)
    assert "PSC 2" in chat.said()
    await chat.press(centre, exact=True)
    assert "Choose a day" in chat.said()
    await chat.press(tomorrow_label("en"), exact=True)
    assert "choose a time" in chat.said()
    await chat.press(time, exact=True)
    assert "Send your IIN" in chat.said()


def qr_matrix(png: bytes, size: int) -> list[list[bool]]:
    """Reads a QR symbol's modules back from the PNG (10 px a module, 4 modules border)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    scale, border = 10, 4
    assert image.size == ((size + 2 * border) * scale,) * 2
    return [[image.getpixel(((x + border) * scale + 5, (y + border) * scale + 5)) < 128
             for x in range(size)] for y in range(size)]


async def test_full_booking(chat: Chat, sm: async_sessionmaker[AsyncSession],
                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="aiogram")
    caplog.set_level(logging.DEBUG, logger="kezek")
    await reach_iin_step(chat)
    sent_id = await chat.send(IIN)
    deleted = chat.since("deleteMessage")
    assert [(int(c.params["chat_id"]), int(c.params["message_id"])) for c in deleted] == [
        (chat.chat_id, sent_id)]
    assert f"IIN received: {MASKED}" in chat.said()
    # the IIN alone proves nothing: the bot asks for the chat's own, Telegram-verified number
    asked = chat.since("sendMessage")[-1].params
    assert "Confirm it is you" in asked["text"]
    assert asked["reply_markup"]["keyboard"][0][0]["request_contact"] is True
    assert "Please check and confirm" not in chat.said()
    await chat.share_contact(PHONE, own=False)  # someone else's contact card
    assert "Only your own number can be shared" in chat.said()
    contact_id = await chat.share_contact(PHONE)
    assert contact_id in [int(c.params["message_id"]) for c in chat.since("deleteMessage")]
    assert "Confirmed: +7 701 *** ** 67" in chat.said()
    assert "Please check and confirm" in chat.said()
    assert "PSC 2" in chat.said() and "10:00–10:15" in chat.said()  # a 15-minute visit
    await chat.press("Confirm")
    said = chat.said()
    assert "You are booked! Booking code:" in said and "10:00–10:15" in said

    async with sm() as s:
        rows = (await s.scalars(select(BookingRow))).all()
        assert len(rows) == 1
        row = rows[0]
        contact = await s.get(BookingContactRow, row.id)
        link = await s.get(BotChatRow, chat.chat_id)
        person = await s.get(PersonRow, row.person_id)
    assert row.channel == "bot" and row.status == "active"
    assert row.service_code == "01010001" and row.iin_masked == MASKED
    local = row.start_utc.astimezone(tomorrow_tz())
    assert (local.date(), local.strftime("%H:%M")) == (tomorrow(), "10:00")
    assert f"{row.code[:4]}-{row.code[4:]}" in said
    assert contact is not None and contact.telegram_chat_id == chat.chat_id
    assert contact.lang == "en"
    assert link is not None and link.person_id == row.person_id and link.lang == "en"
    assert person is not None and person.iin_hash != IIN

    photos = chat.since("sendPhoto")
    assert len(photos) == 1 and row.code[:4] in photos[0].params["caption"]
    png = photos[0].files["photo"]
    assert png.startswith(b"\x89PNG")
    symbol = segno.make(row.code, error="m", micro=False)
    expected = [[bool(v) for v in line] for line in symbol.matrix]
    assert qr_matrix(png, len(expected)) == expected

    everything = json.dumps([c.params for c in chat.api.calls], ensure_ascii=False)
    assert IIN not in everything
    assert all(IIN not in r.getMessage() for r in caplog.records)
    assert all(PHONE[1:] not in r.getMessage() for r in caplog.records)


@SQLITE_ONLY
async def test_invalid_iin_books_nothing(chat: Chat, sm: async_sessionmaker[AsyncSession]
                                         ) -> None:
    await reach_iin_step(chat)
    sent_id = await chat.send("900101300019")
    assert [int(c.params["message_id"]) for c in chat.since("deleteMessage")] == [sent_id]
    said = chat.said()
    assert "Invalid IIN: the check digit does not match" in said
    assert "Please send the IIN again" in said
    assert "900101300019" not in json.dumps([c.params for c in chat.api.calls])
    assert "Confirm" not in chat.buttons()
    await chat.send("12345")
    assert "it must have 12 digits" in chat.said()
    async with sm() as s:
        assert (await s.scalars(select(BookingRow))).all() == []
        assert (await s.scalars(select(PersonRow))).all() == []
    # the person can still go on with a valid one
    assert f"IIN received: {MASKED}" in await chat.send_iin(IIN)


def tomorrow_tz():  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Almaty")


async def test_the_booking_message_says_what_to_bring(chat: Chat, sm: async_sessionmaker[
        AsyncSession]) -> None:
    import dataclasses

    from kezek.app import registry
    from kezek.app.actor import SYSTEM, Channel
    from kezek.core.registry import Phrases

    async with sm() as s, s.begin():
        service = await registry.get(s, "01010001")
        await registry.replace(s, dataclasses.replace(service, documents=Phrases(
            ru=("удостоверение личности",), en=("your old identity card", "a photo"))),
            SYSTEM, Channel.CLI)
    await reach_iin_step(chat)
    await chat.send(IIN)
    await chat.share_contact(PHONE)
    await chat.press("Confirm")
    said = chat.said()
    assert "You are booked!" in said
    assert "What to bring:\n• your old identity card\n• a photo" in said
