"""Buttons on old messages (issue 13): each acts on what its own message showed.

A chat keeps every message, and a person may scroll up and press a button on one the
conversation has moved on from. A day or a time books the centre that message showed;
a confirmation of something else than the conversation holds is answered as out of
date and books nothing; a second tap of Confirm leaves the success message alone.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.conftest import Chat, tomorrow_label
from tests.bot.test_booking import IIN

from kezek.store.models import BookingRow

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
TOMORROW = tomorrow_label("en")


async def to_days(chat: Chat, centre: str, first: bool = True) -> None:
    """From a new menu message to the days of `centre` for an identity card."""
    if first:
        await chat.send("/start")
        await chat.press("English")
    else:
        await chat.send("/menu")  # a new message: the old ones keep their buttons
    await chat.press("Book a visit")
    await chat.send("identity card")
    await chat.press("Issue of an identity card")
    await chat.press("Test", exact=True)
    await chat.press(centre, exact=True)
    assert "Choose a day" in chat.said()


async def _bookings(sm: async_sessionmaker[AsyncSession]) -> list[BookingRow]:
    async with sm() as s:
        return list((await s.scalars(select(BookingRow))).all())


async def test_an_old_days_message_books_its_own_centre(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    await to_days(chat, "PSC 2")
    old = chat.newest_with(TOMORROW)
    await to_days(chat, "PSC 1", first=False)  # the conversation is at PSC 1 now
    await chat.press(TOMORROW, exact=True, on=old)
    await chat.press("10:00", exact=True)
    said = await chat.send_iin(IIN)
    assert "Please check and confirm" in said and "Centre: PSC 2" in said
    await chat.press("Confirm")
    assert "You are booked!" in chat.said()
    assert [r.center_id for r in await _bookings(sm)] == [centres["mixed"]]


async def test_an_old_times_message_books_its_own_centre(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    await to_days(chat, "PSC 2")
    await chat.press(TOMORROW, exact=True)
    old = chat.newest_with("10:00")
    await to_days(chat, "PSC 1", first=False)
    await chat.press(TOMORROW, exact=True)
    assert "choose a time" in chat.said()
    await chat.press("10:00", exact=True, on=old)
    said = await chat.send_iin(IIN)
    assert "Centre: PSC 2" in said and "PSC 1" not in said
    await chat.press("Confirm")
    assert [r.center_id for r in await _bookings(sm)] == [centres["mixed"]]


async def test_an_old_confirmation_is_out_of_date_and_books_nothing(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    await to_days(chat, "PSC 2")
    await chat.press(TOMORROW, exact=True)
    await chat.press("10:00", exact=True)
    await chat.send_iin(IIN)
    old = chat.find("Confirm")
    await to_days(chat, "PSC 1", first=False)
    await chat.press(TOMORROW, exact=True)
    await chat.press("10:15", exact=True)
    assert "Centre: PSC 1" in await chat.send_iin(IIN)
    await chat.tap(old)
    answered = chat.since("answerCallbackQuery")
    assert [c.params.get("text") for c in answered] == [
        "This message is out of date: please use the latest one."]
    assert chat.since("editMessageText") == [] and chat.since("sendMessage") == []
    assert await _bookings(sm) == []
    await chat.press("Confirm")  # the newest one books what it shows
    assert [r.center_id for r in await _bookings(sm)] == [centres["booking-only"]]


async def test_a_second_tap_of_confirm_leaves_the_success_message(
        chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    await to_days(chat, "PSC 2")
    await chat.press(TOMORROW, exact=True)
    await chat.press("10:00", exact=True)
    await chat.send_iin(IIN)
    confirm = chat.find("Confirm")
    await chat.tap(confirm)
    success = chat.messages()[confirm[0]][0]
    assert "You are booked!" in success
    await chat.tap(confirm)
    assert [c.method for c in chat.since()] == ["answerCallbackQuery"]
    assert chat.since()[0].params.get("text") in (None, "")
    assert chat.messages()[confirm[0]][0] == success
    assert len(await _bookings(sm)) == 1


async def test_a_double_tap_at_once_books_once_and_keeps_the_success_message(
        chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    await to_days(chat, "PSC 2")
    await chat.press(TOMORROW, exact=True)
    await chat.press("10:00", exact=True)
    await chat.send_iin(IIN)
    confirm = chat.find("Confirm")
    await asyncio.gather(chat.tap(confirm), chat.tap(confirm))
    assert len(await _bookings(sm)) == 1
    assert "You are booked!" in chat.messages()[confirm[0]][0]
    said = "\n".join(str(c.params.get("text") or "") for c in chat.api.calls)
    assert "already" not in said


async def test_an_old_rebooking_day_is_out_of_date_once_the_chat_books_anew(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    """A day offered for moving a booking cannot be taken up by another conversation:
    it says it is out of date and the new conversation stays where it was."""
    from tests.bot.test_manage import booked_by_bot

    row = await booked_by_bot(chat, sm)
    await chat.press("My bookings")
    await chat.press(f"Rebook {row.code}")
    assert "Choose a day" in chat.said()
    old = chat.newest_with(TOMORROW)
    await to_days(chat, "PSC 1", first=False)
    current = chat.newest_with(TOMORROW)
    await chat.press(TOMORROW, exact=True, on=old)
    assert [c.params.get("text") for c in chat.since("answerCallbackQuery")] == [
        "This message is out of date: please use the latest one."]
    assert chat.since("editMessageText") == []
    await chat.press(TOMORROW, exact=True, on=current)  # the newest one goes on at PSC 1
    assert "choose a time" in chat.said()
    async with sm() as s:
        assert (await s.get(BookingRow, row.id)).status == "active"  # type: ignore[union-attr]
