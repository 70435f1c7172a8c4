"""The feedback request in the chat the visit was booked in: one tap on 1-5 records the
rating and the message says so (its buttons gone); a second tap is refused with the
rating kept, and a chat the visit is not theirs is refused too."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.conftest import IIN_KEY, Chat, bot_settings
from tests.conftest import random_iin

from kezek.app import arrivals, calls, contacts
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.app.booking import BookingRequest, book
from kezek.jobs import flows
from kezek.store.db import unit_of_work
from kezek.store.models import TicketRow, VisitFeedbackRow, WindowRow

GENERAL = "01010001"


async def _served(sm: async_sessionmaker[AsyncSession], cid: int, at: dt.datetime,
                  chat_id: int) -> TicketRow:
    """A booking made in the chat, checked in, called, served and finished."""
    op = Actor("op", 7, Role.OPERATOR, frozenset({cid}))
    iin, key = random_iin(), IIN_KEY.encode()
    async with unit_of_work(sm) as s:
        made = await book(s, BookingRequest(iin, GENERAL, cid, at + dt.timedelta(minutes=30),
                                            Channel.BOT), key, CITIZEN)
        contacts.add(s, made.id, lang="ru", telegram_chat_id=chat_id)
    async with unit_of_work(sm) as s:
        ticket = await arrivals.check_in(s, cid, made.code, iin, key, op, now=at)
        assert isinstance(ticket, TicketRow)
        window = await s.scalar(select(WindowRow.id).where(WindowRow.center_id == cid)
                                .order_by(WindowRow.number))
        assert window is not None
    async with unit_of_work(sm) as s:
        called = await calls.call_next(s, window, op, now=at)
        assert called is not None
        await calls.start(s, called.id, op)
    async with unit_of_work(sm) as s:
        await calls.finish(s, called.id, op)
    return called


async def test_one_tap_records_the_rating_once(chat: Chat, sm, db_url: str,
                                               centres: dict[str, int], pinned_clock
                                               ) -> None:
    ticket = await _served(sm, centres["mixed"], pinned_clock, chat.chat_id)
    settings = bot_settings(db_url, chat.api.url)
    assert await flows.send_feedback_request(sm, settings, ticket.id, pinned_clock) == 1
    assert chat.buttons() == ["1", "2", "3", "4", "5"]
    found = chat.find("4", exact=True)
    await chat.tap(found)
    assert "Спасибо! Ваша оценка сохранена: 4." in chat.said()
    edited = chat.since("editMessageText")
    assert edited and "Оцените обслуживание" in edited[-1].params["text"]
    assert chat.buttons() == []  # the question stays, without its buttons
    async with sm() as s:
        rows = (await s.execute(select(VisitFeedbackRow.ticket_id, VisitFeedbackRow.rating,
                                       VisitFeedbackRow.channel,
                                       VisitFeedbackRow.center_id))).all()
    assert rows == [(ticket.id, 4, "telegram", centres["mixed"])]

    await chat.tap((found[0], found[1], found[2].replace(":4", ":1")))  # a second tap
    answered = chat.since("answerCallbackQuery")
    assert answered and "уже оценён: 4" in answered[-1].params["text"]
    async with sm() as s:
        assert (await s.scalars(select(VisitFeedbackRow.rating))).all() == [4]
    # Sent again, the job asks nobody twice.
    assert await flows.send_feedback_request(sm, settings, ticket.id, pinned_clock) == 0


async def test_another_chat_cannot_rate(chat: Chat, sm, db_url: str, centres: dict[str, int],
                                        pinned_clock) -> None:
    ticket = await _served(sm, centres["mixed"], pinned_clock, chat.chat_id + 1)
    data = f"fb:{ticket.id}:1"
    await chat.tap((1, "Оцените обслуживание", data))
    answered = chat.since("answerCallbackQuery")
    assert answered and answered[-1].params.get("show_alert") in (True, "true")
    assert "не этому чату" in answered[-1].params["text"]
    async with sm() as s:
        assert (await s.scalars(select(VisitFeedbackRow.id))).all() == []
