"""After a served visit the booking's contact is asked once how it went: in Telegram
with five buttons, by e-mail with a link to /feedback/{token}; a walk-in (no contact),
a visit already rated, and a second run ask nothing."""

from __future__ import annotations

import re

from sqlalchemy import select

from kezek.app import arrivals, calls, feedback
from kezek.store.models import TicketRow, WindowRow
from kezek.store.models_jobs import NotificationClaimRow
from tests.conftest import IIN_KEY, random_iin
from tests.jobs.conftest import World
from tests.jobs.test_turn_near import GENERAL, operator


async def _served(world: World, at, chat: int | None, email: str | None, lang: str
                  ) -> TicketRow:
    cid = await world.center("mixed")
    iin = random_iin()
    made = await world.book(iin, cid, at.replace(minute=30), service=GENERAL, chat=chat,
                            email=email, lang=lang)
    async with world.tx() as s:
        ticket = await arrivals.check_in(s, cid, made.code, iin, IIN_KEY, operator(cid),
                                         now=at)
    assert isinstance(ticket, TicketRow)
    async with world.sm() as s:
        window = await s.scalar(select(WindowRow.id).where(WindowRow.center_id == cid)
                                .order_by(WindowRow.number))
    assert window is not None
    async with world.tx() as s:
        called = await calls.call_next(s, window, operator(cid), now=at)
        assert called is not None and called.id == ticket.id
        await calls.start(s, called.id, operator(cid))
    await world.run_due(at)
    assert not [m for m in world.sent_telegram() if "Оцените" in m["text"]]  # not yet
    async with world.tx() as s:
        await calls.finish(s, ticket.id, operator(cid))
    return ticket


async def test_a_served_visit_is_asked_once_per_channel(world: World, pinned_clock) -> None:
    at = pinned_clock
    ticket = await _served(world, at, 931, "dana@example.kz", "ru")
    await world.run_due(at)
    await world.run_due(at)
    asked = [m for m in world.sent_telegram() if "Оцените обслуживание" in m["text"]]
    assert len(asked) == 1 and int(asked[0]["chat_id"]) == 931
    assert f"талон {ticket.label}" in asked[0]["text"]
    buttons = [b for row in asked[0]["reply_markup"]["inline_keyboard"] for b in row]
    assert [(b["text"], b["callback_data"]) for b in buttons] == [
        (str(n), f"fb:{ticket.id}:{n}") for n in range(1, 6)]
    mails = [m for m in world.inbox.messages if m["Subject"] == "Оцените обслуживание в ЦОН"]
    assert len(mails) == 1
    body = mails[0].get_content()
    found = re.search(r"https://kezek\.test/feedback/(\S+)", body)
    assert found and feedback.ticket_of(found.group(1), world.settings.secret_key) == ticket.id
    async with world.sm() as s:
        claims = (await s.execute(select(NotificationClaimRow.channel).where(
            NotificationClaimRow.kind == "feedback"))).scalars().all()
    assert sorted(claims) == ["email", "telegram"]


async def test_kazakh_and_no_contact(world: World, pinned_clock) -> None:
    at = pinned_clock
    await _served(world, at, 932, None, "kk")
    await world.run_due(at)
    asked = [m for m in world.sent_telegram() if int(m["chat_id"]) == 932
             and "бағалаңыз" in m["text"]]
    assert len(asked) == 1 and "ХҚО-дағы қызмет көрсетуді бағалаңыз" in asked[0]["text"]

    before = len(world.sent_telegram()), len(world.inbox.messages)
    await _served(world, at.replace(hour=at.hour + 1), None, None, "ru")  # no contact
    await world.run_due(at)
    assert (len(world.sent_telegram()), len(world.inbox.messages)) == before


async def test_a_visit_rated_before_the_job_runs_is_not_asked(world: World, pinned_clock
                                                              ) -> None:
    at = pinned_clock
    ticket = await _served(world, at, 933, None, "ru")
    async with world.tx() as s:
        await feedback.record(s, ticket.id, 5, None, feedback.WEB)
    await world.run_due(at)
    assert not [m for m in world.sent_telegram() if int(m["chat_id"]) == 933
                and "Оцените" in m["text"]]
