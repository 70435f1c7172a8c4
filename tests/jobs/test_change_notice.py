"""When the 1414 call centre moves or cancels a booking, the booking's contact hears of it
(the bot chat it was made in, the e-mail), once, in its language, with the new time and
"if you did not ask for this, call 1414"; the person's own changes tell nobody."""

from __future__ import annotations

from sqlalchemy import select

from kezek.app import booking, callcentre
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.store.models_jobs import NotificationClaimRow
from tests.conftest import IIN_KEY, next_weekday, random_iin
from tests.jobs.conftest import World, local

OPERATOR = Actor("cc.operator", user_id=2, role=Role.CALL_CENTRE)
GENERAL = "01010001"
CHAT = 7301


async def test_the_call_centre_moving_and_cancelling_is_told_to_the_chat(
        world: World) -> None:
    mixed = await world.center("mixed")
    day, iin = next_weekday(days_ahead=3), random_iin()
    made = await world.book(iin, mixed, local(day, 10), service=GENERAL, chat=CHAT,
                            email="aruzhan@example.kz", lang="ru")
    await world.run_due()  # the reminders' planning
    async with world.tx() as s:
        moved = await callcentre.reschedule_for_caller(s, made.code, iin, local(day, 15),
                                                       IIN_KEY, OPERATOR)
    await world.run_due()
    sent = world.sent_telegram()
    assert len(sent) == 1 and int(sent[0]["chat_id"]) == CHAT
    text = sent[0]["text"]
    assert "Оператор контакт-центра 1414 перенёс вашу запись" in text
    assert f"{moved.code[:4]}-{moved.code[4:]}" in text and f"{day:%d.%m.%Y} 15:00" in text
    assert "Если вы об этом не просили, позвоните по номеру 1414." in text
    assert [m["Subject"] for m in world.inbox.messages] == ["Ваша запись в ЦОН перенесена"]

    async with world.tx() as s:
        await callcentre.cancel_for_caller(s, moved.code, iin, IIN_KEY, OPERATOR)
    await world.run_due()
    await world.run_due()  # a second run tells nobody twice
    sent = world.sent_telegram()
    assert len(sent) == 2 and "Оператор контакт-центра 1414 отменил" in sent[1]["text"]
    assert len(world.inbox.messages) == 2
    async with world.sm() as s:
        claims = (await s.execute(select(NotificationClaimRow.booking_id,
                                         NotificationClaimRow.kind,
                                         NotificationClaimRow.channel))).all()
    assert sorted(claims) == sorted([(moved.id, "cc_move", "telegram"),
                                     (moved.id, "cc_move", "email"),
                                     (moved.id, "cc_cancel", "telegram"),
                                     (moved.id, "cc_cancel", "email")])


async def test_the_persons_own_changes_tell_nobody(world: World) -> None:
    mixed = await world.center("mixed")
    day, iin = next_weekday(days_ahead=3), random_iin()
    made = await world.book(iin, mixed, local(day, 10), service=GENERAL, chat=CHAT, lang="kk")
    await world.run_due()
    async with world.tx() as s:
        moved = await booking.reschedule(s, made.code, iin, local(day, 15), IIN_KEY, CITIZEN,
                                         Channel.BOT)
    async with world.tx() as s:
        await booking.cancel(s, moved.code, iin, IIN_KEY, CITIZEN, Channel.BOT)
    await world.run_due()
    assert world.sent_telegram() == []


async def test_a_kazakh_contact_is_told_in_kazakh(world: World) -> None:
    mixed = await world.center("mixed")
    day, iin = next_weekday(days_ahead=3), random_iin()
    made = await world.book(iin, mixed, local(day, 10), service=GENERAL, chat=CHAT, lang="kk")
    await world.run_due()
    async with world.tx() as s:
        await callcentre.cancel_for_caller(s, made.code, iin, IIN_KEY, OPERATOR)
    await world.run_due()
    sent = world.sent_telegram()
    assert len(sent) == 1 and "1414 байланыс орталығының операторы" in sent[0]["text"]
    assert "Мұны сіз сұрамасаңыз" in sent[0]["text"]
