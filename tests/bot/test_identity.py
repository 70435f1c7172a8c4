"""Proof of identity in the bot: the shared contact, checked against the directory.

Telegram fills the contact from the account (the test's `share_contact` plays that);
Kezek's own directory holds the numbers registered to IINs. A number that is not the
IIN's proves nothing, and a network with `identity: none` takes the IIN alone.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.conftest import IIN_KEY, PHONE, Chat
from tests.bot.test_booking import IIN, MASKED, reach_iin_step

from kezek.app.actor import SYSTEM, Channel
from kezek.app.audit import recent
from kezek.app.identity import chats, directory, policy_store
from kezek.core.identity import phone_digest
from kezek.core.privacy import iin_digest
from kezek.store.db import unit_of_work
from kezek.store.models import BookingRow
from kezek.store.models_identity import IdentityPhoneRow

pytestmark = pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


async def _bookings(sm: async_sessionmaker[AsyncSession]) -> int:
    async with sm() as s:
        return int(await s.scalar(select(func.count()).select_from(BookingRow)) or 0)


async def test_a_number_not_registered_to_the_iin_proves_nothing(
        chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    async with unit_of_work(sm) as s:  # the IIN's owner registered another number
        await directory.register(s, IIN, "+7 702 555 44 33", "door",
                                 IIN_KEY.encode(), SYSTEM, Channel.CLI)
    await reach_iin_step(chat)
    await chat.send(IIN)
    assert f"IIN received: {MASKED}" in chat.said()
    await chat.share_contact(PHONE)
    said = chat.said()
    assert "This number is not registered to this IIN" in said
    assert "Please check and confirm" not in said and chat.buttons() != ["Confirm"]
    assert await _bookings(sm) == 0
    async with sm() as s:  # and it was not bound either
        phones = (await s.scalars(select(IdentityPhoneRow.phone_masked))).all()
    assert phones == ["+7 702 *** ** 33"]


async def test_the_registered_number_proves_the_iin_and_the_audit_says_how(
        chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    async with unit_of_work(sm) as s:
        await directory.register(s, IIN, "+7 701 123 45 67", "door",
                                 IIN_KEY.encode(), SYSTEM, Channel.CLI)
    await reach_iin_step(chat)
    said = await chat.send_iin(IIN, "+77011234567")
    assert "Confirmed: +7 701 *** ** 67" in said and "Please check and confirm" in said
    await chat.press("Confirm")
    assert "You are booked!" in chat.said()
    async with sm() as s:
        rows = await recent(s, entity="booking")
    made = next(r for r in rows if r.action == "booking.create")
    assert made.channel == "bot" and made.details["proof"] == "telegram"
    assert len(made.details["phone"]) == 16 and PHONE not in str(made.details)
    async with sm() as s:  # later codes for this IIN and number come to this chat
        key = IIN_KEY.encode()
        assert await chats.linked(s, iin_digest(IIN, key),
                                  phone_digest("+77011234567", key)) == chat.chat_id


async def test_first_use_binds_the_chat_number_within_the_cap(
        chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    await reach_iin_step(chat)
    await chat.send_iin(IIN)
    await chat.press("Confirm")
    assert "You are booked!" in chat.said()
    async with sm() as s:
        bound = (await s.scalars(select(IdentityPhoneRow))).all()
    assert [(b.source, b.phone_masked) for b in bound] == [("first_use", "+7 701 *** ** 67")]


async def test_identity_none_takes_the_iin_alone(
        chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    async with unit_of_work(sm) as s:
        await policy_store.change(s, {"mode": "none"}, SYSTEM, Channel.CLI)
    await reach_iin_step(chat)
    await chat.send(IIN)
    said = chat.said()
    assert "Confirm it is you" not in said and "Please check and confirm" in said


async def test_a_chat_linked_without_proof_does_not_open_the_list(
        chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    """A link from before proof of identity (an IIN typed alone) shows nothing; after
    the contact is shared, the list opens without asking again."""
    from tests.bot.test_refusals import at, book_on_web

    from kezek.bot.common import save_chat
    from kezek.store.models import PersonRow

    centres = {r.slug: r.id for r in (await _centres(sm))}
    web = await book_on_web(sm, IIN, "05010001", centres["booking-only"], at(12, 0))
    async with unit_of_work(sm) as s:
        person = await s.scalar(select(PersonRow.id).where(
            PersonRow.iin_hash == iin_digest(IIN, IIN_KEY.encode())))
        await save_chat(s, chat.chat_id, person_id=person)  # the old, unproven link
    await chat.send("/menu")
    await chat.press("Мои записи")
    said = chat.said()
    assert "Чтобы увидеть свои записи, отправьте ИИН" in said and web.code[:4] not in said
    said = await chat.send_iin(IIN)
    assert "Ваши активные записи" in said and web.code[:4] in said
    await chat.send("/menu")
    await chat.press("Мои записи")  # proven now: no IIN asked
    assert "Ваши активные записи" in chat.said()


async def _centres(sm: async_sessionmaker[AsyncSession]) -> list[Any]:
    from kezek.store.models import CenterRow

    async with sm() as s:
        return list((await s.execute(select(CenterRow.slug, CenterRow.id))).all())
