"""Reminders: planned after the commit, sent once per channel at their time, by Telegram
(fake Bot API on loopback) and e-mail (aiosmtpd on loopback), never for a booking that
was rolled back, cancelled or moved."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import func, select, update

from kezek.app import booking, callcentre
from kezek.app.actor import CITIZEN, Channel
from kezek.app.reminders import due_at, plan
from kezek.jobs.run import run_due
from kezek.store.models import BookingRow
from kezek.store.models_jobs import NotificationClaimRow
from tests.conftest import IIN_KEY, next_weekday, random_iin
from tests.jobs.conftest import TZ, World, local

GENERAL = "01010001"
CHAT = 5550001


def visit_day() -> dt.date:
    """A weekday at least two days ahead: its evening-before reminder is in the future."""
    return next_weekday(days_ahead=2)


def evening_before(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day - dt.timedelta(days=1), dt.time(18, 1), TZ)


def test_plan_evening_before_and_hour_before() -> None:
    start = dt.datetime(2026, 3, 10, 10, 0, tzinfo=TZ).astimezone(dt.UTC)
    made = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    assert plan(start, made, "Asia/Almaty") == [
        ("day_before", dt.datetime(2026, 3, 9, 13, 0, tzinfo=dt.UTC)),  # 18:00 at UTC+5
        ("hour_before", dt.datetime(2026, 3, 10, 4, 0, tzinfo=dt.UTC))]
    late = dt.datetime(2026, 3, 9, 20, 0, tzinfo=TZ)  # booked after the evening reminder
    assert [k for k, _ in plan(start, late, "Asia/Almaty")] == ["hour_before"]
    assert plan(start, start - dt.timedelta(minutes=30), "Asia/Almaty") == []
    assert due_at("day_before", start, "Asia/Almaty").astimezone(TZ).hour == 18


async def test_due_reminders_sent_once_by_telegram_and_email(world: World) -> None:
    mixed = await world.center("mixed")
    day = visit_day()
    row = await world.book(random_iin(), mixed, local(day, 10), service=GENERAL,
                           email="aigerim@example.kz", chat=CHAT, lang="kk")
    assert world.jobs.huey.pending_count() == 1  # booking_made, queued after the commit

    first = await world.run_due()  # now: plans the two reminders, sends nothing
    assert first["queued"] == 1 and world.jobs.huey.scheduled_count() == 2
    assert world.inbox.messages == [] and world.sent_telegram() == []

    evening = evening_before(day)
    await world.run_due(evening)
    await world.run_due(evening)  # a second run at the same time sends nothing more
    assert len(world.inbox.messages) == 1
    mail = world.inbox.messages[0]
    assert mail["To"] == "aigerim@example.kz" and mail["From"] == "kezek@test.kz"
    assert mail["Subject"] == "Ертең ХҚО-ға жазылуыңыз бар"
    # The headers mail systems judge a sender by: the Date of the send, a unique
    # Message-ID in the sender's domain naming the claim, and Auto-Submitted.
    assert parsedate_to_datetime(mail["Date"]) == evening
    assert re.fullmatch(r"<\d+\.\d+\.\d+\.day_before\.\d+@test\.kz>", mail["Message-ID"])
    assert mail["Auto-Submitted"] == "auto-generated"
    body = mail.get_content()
    code = f"{row.code[:4]}-{row.code[4:]}"
    assert code in body and "Жеке куәлік беру" in body and "ХҚО 2" in body
    assert f"{day:%d.%m.%Y} 10:00" in body
    sent = world.sent_telegram()
    assert len(sent) == 1 and int(sent[0]["chat_id"]) == CHAT and code in sent[0]["text"]

    hour = local(day, 9, 1)
    await world.run_due(hour)
    await world.run_due(hour + dt.timedelta(minutes=5))
    assert len(world.inbox.messages) == 2 and len(world.sent_telegram()) == 2
    assert world.inbox.messages[1]["Subject"] == "Бір сағаттан кейін ХҚО-ға жазылуыңыз бар"
    async with world.sm() as s:
        claims = (await s.execute(select(NotificationClaimRow.kind, NotificationClaimRow.channel,
                                         NotificationClaimRow.sent_at))).all()
    assert sorted((k, c) for k, c, _ in claims) == [
        ("day_before", "email"), ("day_before", "telegram"),
        ("hour_before", "email"), ("hour_before", "telegram")]
    assert all(sent_at is not None for _, _, sent_at in claims)


async def test_two_workers_at_once_send_once(world: World) -> None:
    mixed = await world.center("mixed")
    day = visit_day()
    for _ in range(3):
        await world.book(random_iin(), mixed, local(day, 11), service=GENERAL,
                         email="x@example.kz")
    evening = evening_before(day)
    await asyncio.gather(*[asyncio.to_thread(run_due, world.jobs, evening) for _ in range(3)])
    assert len(world.inbox.messages) == 3


async def test_rolled_back_booking_is_never_reminded(world: World) -> None:
    mixed = await world.center("mixed")
    day = visit_day()
    with pytest.raises(RuntimeError):
        async with world.tx() as s:
            row = await booking.book(s, booking.BookingRequest(
                random_iin(), GENERAL, mixed, local(day, 12), Channel.WEB), IIN_KEY, CITIZEN)
            assert row.id is not None
            raise RuntimeError("the request failed after the booking")
    assert world.jobs.huey.pending_count() == 0  # nothing was queued for it
    for moment in (None, evening_before(day), local(day, 11, 1)):
        await world.run_due(moment)
    assert world.inbox.messages == [] and world.sent_telegram() == []
    async with world.sm() as s:
        assert await s.scalar(select(func.count()).select_from(BookingRow)) == 0


async def test_cancelled_booking_gets_no_reminder(world: World) -> None:
    mixed = await world.center("mixed")
    day = visit_day()
    iin = random_iin()
    row = await world.book(iin, mixed, local(day, 10), service=GENERAL,
                           email="c@example.kz", chat=CHAT)
    await world.run_due()  # the reminders are scheduled
    assert world.jobs.huey.scheduled_count() == 2
    async with world.tx() as s:
        await booking.cancel(s, row.code, iin, IIN_KEY, CITIZEN, Channel.WEB)
    await world.run_due(evening_before(day))
    await world.run_due(local(day, 9, 1))
    assert world.inbox.messages == [] and world.sent_telegram() == []


async def test_moved_booking_reminded_at_its_new_time_only(world: World) -> None:
    mixed = await world.center("mixed")
    day = visit_day()
    iin = random_iin()
    old = await world.book(iin, mixed, local(day, 10), service=GENERAL, email="m@example.kz")
    await world.run_due()
    async with world.tx() as s:
        new = await callcentre.reschedule_for_caller(s, old.code, iin, local(day, 14),
                                                     IIN_KEY, CITIZEN)
    await world.run_due()  # plans the new booking's reminders, tells of the move
    moved_notice = world.inbox.messages.pop(0)  # the call centre's move (test_change_notice)
    assert moved_notice["Subject"] == "Ваша запись в ЦОН перенесена"
    await world.run_due(evening_before(day))  # one evening reminder: the new booking's
    assert len(world.inbox.messages) == 1
    text = world.inbox.messages[0].get_content()
    assert f"{new.code[:4]}-{new.code[4:]}" in text and "14:00" in text
    assert f"{old.code[:4]}-{old.code[4:]}" not in text
    await world.run_due(local(day, 9, 1))  # the old hour-before time: nothing
    assert len(world.inbox.messages) == 1
    await world.run_due(local(day, 13, 1))
    assert len(world.inbox.messages) == 2
    assert "14:00" in world.inbox.messages[1].get_content()


async def test_time_changed_in_place_is_not_reminded_at_the_old_time(world: World) -> None:
    """A scheduled reminder checks the start it was planned for; the sweep plans anew."""
    mixed = await world.center("mixed")
    day = visit_day()
    row = await world.book(random_iin(), mixed, local(day, 10), service=GENERAL,
                           email="t@example.kz")
    await world.run_due()
    async with world.sm() as s, s.begin():
        await s.execute(update(BookingRow).where(BookingRow.id == row.id)
                        .values(start_utc=local(day, 15).astimezone(dt.UTC),
                                end_utc=local(day, 15, 15).astimezone(dt.UTC)))
    await world.run_due(evening_before(day))
    assert len(world.inbox.messages) == 1 and "15:00" in world.inbox.messages[0].get_content()
    await world.run_due(local(day, 9, 1))  # the hour-before of the old time: nothing
    assert len(world.inbox.messages) == 1
    await world.run_due(local(day, 14, 1))  # due at the new time: the sweep sends it
    assert len(world.inbox.messages) == 2 and "15:00" in world.inbox.messages[1].get_content()


async def test_sweep_catches_a_booking_that_was_never_queued(world: World) -> None:
    """A bot booking (or a lost enqueue) is still reminded: the sweep reads the database."""
    mixed = await world.center("mixed")
    day = visit_day()
    await world.book(random_iin(), mixed, local(day, 10), service=GENERAL, chat=CHAT,
                     lang="en")
    world.jobs.huey.flush()  # the queued job is lost
    result = await world.run_due(evening_before(day))
    assert result["reminders"] == 1
    sent = world.sent_telegram()
    assert len(sent) == 1 and sent[0]["text"].startswith(
        "Your public service centre visit is tomorrow")


async def test_refused_smtp_connection_is_retried_later(world: World) -> None:
    """Nothing left the host, so the claim is given back and a later run delivers."""
    mixed = await world.center("mixed")
    day = visit_day()
    await world.book(random_iin(), mixed, local(day, 10), service=GENERAL, email="r@example.kz")
    good_port = world.settings.smtp_port
    world.settings.smtp_port = 1  # nothing listens there
    await world.run_due(evening_before(day))
    assert world.inbox.messages == []
    world.settings.smtp_port = good_port
    await world.run_due(evening_before(day) + dt.timedelta(minutes=1))
    assert len(world.inbox.messages) == 1


async def test_a_reminder_says_what_to_bring_and_where_to_cancel_or_move(
        world: World) -> None:
    import dataclasses

    from kezek.app import registry
    from kezek.app.actor import SYSTEM
    from kezek.core.registry import Phrases

    async with world.sm() as s, s.begin():
        service = await registry.get(s, GENERAL)
        await registry.replace(s, dataclasses.replace(service, documents=Phrases(
            kk=("жеке куәлік", "төлем түбіртегі"), ru=("удостоверение личности",
                                                     "квитанция об оплате"),
            en=("identity card", "payment receipt"))), SYSTEM, Channel.CLI)
    mixed = await world.center("mixed")
    day = visit_day()
    row = await world.book(random_iin(), mixed, local(day, 10), service=GENERAL,
                           email="aliya@example.kz", chat=CHAT, lang="ru")
    await world.run_due()
    await world.run_due(evening_before(day))
    body = world.inbox.messages[0].get_content()
    assert "Что взять с собой:\n- удостоверение личности\n- квитанция об оплате" in body
    assert f"Отменить или перенести: https://kezek.test/bookings/find?code={row.code}" in body
    assert "квитанция об оплате" in world.sent_telegram()[0]["text"]
