"""A bulk cancel by staff tells each person, once, on the channels they gave (e-mail and
Telegram, on loopback servers), in their language; a person without a contact is not."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from kezek.app.abuse import bulk
from kezek.app.actor import Actor, Channel, Role
from kezek.store.models_jobs import NotificationClaimRow
from tests.conftest import next_weekday, random_iin
from tests.jobs.conftest import World, local

ADMIN = Actor("root.admin", user_id=1, role=Role.ADMIN)
GENERAL = "01010001"


async def test_each_person_is_told_once_in_their_language(world: World) -> None:
    mixed = await world.center("mixed")
    day = next_weekday(days_ahead=3)
    kk = await world.book(random_iin(), mixed, local(day, 10), service=GENERAL,
                          email="aigerim@example.kz", chat=7001, lang="kk")
    ru = await world.book(random_iin(), mixed, local(day, 10, 15), service=GENERAL,
                          email="ivan@example.kz", lang="ru")
    silent = await world.book(random_iin(), mixed, local(day, 10, 30), service=GENERAL)
    await world.run_due()  # the reminders' planning of the two with a contact
    target = bulk.Target(codes=(kk.code, ru.code, silent.code))

    async def cancel() -> bulk.Outcome:
        async with world.tx() as s:
            return await bulk.cancel(s, target, bulk.Reason.RESALE, "", ADMIN, Channel.API)

    done = await cancel()
    assert len(done.cancelled) == 3
    await world.run_due()
    subjects = sorted(m["Subject"] for m in world.inbox.messages)
    assert subjects == ["Ваша запись в ЦОН отменена", "ХҚО-ға жазылуыңыз күшін жойды"]
    kk_mail = next(m for m in world.inbox.messages if m["To"] == "aigerim@example.kz")
    body = kk_mail.get_content()
    assert f"{kk.code[:4]}-{kk.code[4:]}" in body and "сатылымға" in body
    assert f"{day:%d.%m.%Y} 10:00" in body
    sent = world.sent_telegram()
    assert len(sent) == 1 and int(sent[0]["chat_id"]) == 7001
    assert "ХҚО қызметкері" in sent[0]["text"]
    # Again: nothing is cancelled twice and nobody is told twice.
    again = await cancel()
    assert again.cancelled == [] and len(again.unchanged) == 3
    await world.run_due(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5))
    assert len(world.inbox.messages) == 2 and len(world.sent_telegram()) == 1
    async with world.sm() as s:
        kinds = (await s.execute(select(NotificationClaimRow.booking_id,
                                        NotificationClaimRow.channel).where(
            NotificationClaimRow.kind == "staff_cancel"))).all()
    assert sorted(kinds) == sorted([(kk.id, "email"), (kk.id, "telegram"), (ru.id, "email")])
