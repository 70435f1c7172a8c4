"""What the tasks do, against the database: each step in its own short transaction.

A notification is claimed in one committed transaction, sent outside any transaction,
and its outcome recorded in a third: a crash between the claim and the send loses at
most that one message, and never sends it twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kezek.app import (
    ballot_draw,
    ballot_notices,
    change_notice,
    feedback_notice,
    notify,
    reminders,
    rerelease,
    turn_notice,
    waitlist_offers,
)
from kezek.app.abuse import notice as abuse_notice
from kezek.app.notify import Outgoing
from kezek.app.outbox import take_messages
from kezek.app.slots import free_slots
from kezek.core.errors import KezekError
from kezek.core.policy import Privilege
from kezek.jobs import senders
from kezek.settings import Settings
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models_jobs import WaitlistEntryRow

log = logging.getLogger("kezek.jobs")
JOB_POOL = 4  # connections a job's engine may open at most (2 kept, 2 more in a burst)
T = TypeVar("T")
Maker = async_sessionmaker[AsyncSession]


async def with_db(settings: Settings, work: Callable[[Maker], Awaitable[T]]) -> T:
    """Runs `work` with a session maker on a fresh engine (a task runs in its own loop)."""
    engine = make_engine(settings.database_url, pool_size=JOB_POOL // 2,
                         max_overflow=JOB_POOL // 2)
    try:
        return await work(make_sessionmaker(engine))
    finally:
        await engine.dispose()


async def deliver(sm: Maker, settings: Settings, messages: list[Outgoing],
                  now: dt.datetime) -> int:
    """Sends claimed messages; records each outcome. Returns how many went out."""
    sent = 0
    for m in messages:
        error: str | None = None
        undelivered = False
        try:
            await senders.send(settings, m, now)
        except senders.Undelivered as exc:
            undelivered = True
            log.warning("%s %s for booking %s not sent (%s); will retry", m.kind, m.channel,
                        m.booking_id, exc)
        except Exception as exc:  # the claim stays: at most once, never twice
            error = f"{type(exc).__name__}: {exc}"
            log.warning("%s %s for booking %s failed: %s", m.kind, m.channel, m.booking_id,
                        type(exc).__name__)
        async with unit_of_work(sm) as s:
            if undelivered:
                await notify.release(s, m.claim_id)
            else:
                await notify.record(s, m.claim_id, error, now)
        sent += int(error is None and not undelivered)
    return sent


async def send_reminder(sm: Maker, settings: Settings, booking_id: int, kind: str,
                        start: dt.datetime, now: dt.datetime) -> int:
    channels = senders.reminder_channels(settings)
    if not channels:
        return 0
    async with unit_of_work(sm) as s:
        out = await reminders.claim_reminder(s, booking_id, kind, start, channels, now,
                                             _key(settings), settings.public_url)
    return await deliver(sm, settings, out, now)


async def send_offer(sm: Maker, settings: Settings, entry_id: int, now: dt.datetime) -> int:
    channels = senders.channels(settings)
    if not channels:
        return 0
    async with unit_of_work(sm) as s:
        out = await waitlist_offers.claim_offer(s, entry_id, channels, now,
                                                settings.public_url, _key(settings),
                                                settings.quiet)
    return await deliver(sm, settings, out, now)


async def send_cancel_notice(sm: Maker, settings: Settings, booking_id: int, reason: str,
                             now: dt.datetime) -> int:
    """Tells the person that staff cancelled their booking (app/abuse/notice.py)."""
    channels = senders.channels(settings)
    if not channels:
        return 0
    async with unit_of_work(sm) as s:
        out = await abuse_notice.claim(s, booking_id, reason, channels, now, _key(settings))
    return await deliver(sm, settings, out, now)


async def send_change_notice(sm: Maker, settings: Settings, booking_id: int, kind: str,
                             now: dt.datetime) -> int:
    """Tells the person that the call centre moved or cancelled their booking."""
    channels = senders.channels(settings)
    if not channels:
        return 0
    async with unit_of_work(sm) as s:
        out = await change_notice.claim(s, booking_id, kind, channels, now, _key(settings))
    return await deliver(sm, settings, out, now)


async def send_turn_near(sm: Maker, settings: Settings, center_id: int, now: dt.datetime
                         ) -> int:
    """Tells the booked people near their turn at a centre (app/turn_notice.py)."""
    channels = senders.channels(settings)
    if not channels:
        return 0
    async with unit_of_work(sm) as s:
        out = await turn_notice.claim(s, center_id, settings.turn_near_ahead, channels, now,
                                      _key(settings))
    return await deliver(sm, settings, out, now)


async def send_feedback_request(sm: Maker, settings: Settings, ticket_id: int,
                                now: dt.datetime) -> int:
    """Asks for a rating of a served visit (app/feedback_notice.py)."""
    channels = senders.channels(settings)
    if not channels:
        return 0
    async with unit_of_work(sm) as s:
        out = await feedback_notice.claim(s, ticket_id, channels, now, settings.public_url,
                                          settings.secret_key, _key(settings))
    return await deliver(sm, settings, out, now)


def _key(settings: Settings) -> bytes:
    """The data key that opens a kept number (app/identity/notice_phone.py)."""
    return settings.iin_key.encode()


async def plan_booking(sm: Maker, booking_id: int
                       ) -> tuple[dt.datetime, list[tuple[str, dt.datetime]]] | None:
    async with sm() as s:
        return await reminders.booking_plan(s, booking_id)


async def offer_seats(sm: Maker, settings: Settings, center_id: int, day: dt.date,
                      now: dt.datetime) -> int:
    """Offers the seats freed at a centre on a day, then tells the people offered."""
    async with unit_of_work(sm) as s:
        offered = await waitlist_offers.offer_freed(s, center_id, day, now,
                                                    settings.waitlist_hold_minutes,
                                                    settings.quiet)
    take_messages(s)  # the offers are announced right here, after the commit
    for entry_id in offered:
        await send_offer(sm, settings, entry_id, now)
    return len(offered)


async def return_held(sm: Maker, settings: Settings, center_id: int, day: dt.date,
                      now: dt.datetime) -> int:
    """A hold's end, on time: the centre's seats of the day whose hold has ended return,
    offered to the waitlist first (in the same transaction, so the public never sees
    them in between); returns how many seats returned."""
    async with unit_of_work(sm) as s:
        returned = await rerelease.release_due(s, now, center_id, day)
        offered = (await waitlist_offers.offer_freed(s, center_id, day, now,
                                                     settings.waitlist_hold_minutes,
                                                    settings.quiet)
                   if returned else [])
    take_messages(s)
    for entry_id in offered:
        await send_offer(sm, settings, entry_id, now)
    return len(returned)


async def sweep(sm: Maker, settings: Settings, now: dt.datetime) -> dict[str, int]:
    """Catches up with everything due, whatever was or was not queued (after a crash, a
    lost enqueue, a bot booking): expired holds passed on, free seats offered, offers
    announced, reminders sent. The claims keep it from repeating anything."""
    async with unit_of_work(sm) as s:
        freed = await waitlist_offers.expire(s, now)
        freed |= await rerelease.release_due(s, now)  # held-back seats: the waitlist first
        drawn = await ballot_draw.draw_due(s, now)
        offered = 0
        for center_id, day in await waitlist_offers.waiting_days(s):
            if (center_id, day) in freed or await _has_room(s, center_id, day, now):
                offered += len(await waitlist_offers.offer_freed(
                    s, center_id, day, now, settings.waitlist_hold_minutes, settings.quiet))
    take_messages(s)
    async with sm() as s:
        to_announce = await waitlist_offers.unnotified_offers(s)
        due = await reminders.due(s, now, sms=notify.SMS in senders.reminder_channels(
            settings))
    announced = sum([await send_offer(sm, settings, e, now) for e in to_announce])
    reminded = sum([await send_reminder(sm, settings, b, k, start, now)
                    for b, k, start in due])
    told = await send_ballot_results(sm, settings, None, None, now)
    return {"offered": offered, "offer_messages": announced, "reminders": reminded,
            "ballots_drawn": drawn, "ballot_results": told, "seats_returned": len(freed)}


async def send_ballot_results(sm: Maker, settings: Settings, center_id: int | None,
                              day: dt.date | None, now: dt.datetime) -> int:
    """Tells each ballot entry its result on its channel; each claim is its own committed
    transaction before the send (at most once, like every notification)."""
    channels = senders.channels(settings)
    if not channels:
        return 0
    async with sm() as s:
        entries = await ballot_draw.untold(s, center_id, day, sms=notify.SMS in channels)
    sent = 0
    for entry_id in entries:
        async with unit_of_work(sm) as s:
            out = await ballot_notices.claim(s, entry_id, channels, now, settings.public_url,
                                             _key(settings))
        for m in out:
            try:
                await senders.send(settings, m, now)
                sent += 1
            except Exception as exc:  # claimed: never twice
                log.warning("ballot result %s for entry %s failed: %s", m.channel,
                            entry_id, type(exc).__name__)
    return sent


async def _has_room(s: AsyncSession, center_id: int, day: dt.date, now: dt.datetime) -> bool:
    """Whether any service someone waits for has a free time that day: most minutes none
    has, and this read spares the entries a claim-and-put-back each."""
    wanted = (await s.execute(select(WaitlistEntryRow.service_code, WaitlistEntryRow.privilege)
                              .where(WaitlistEntryRow.center_id == center_id,
                                     WaitlistEntryRow.day == day,
                                     WaitlistEntryRow.status == "waiting").distinct())).all()
    for service, privilege in wanted:
        try:
            if await free_slots(s, center_id, service, day, 1, now,
                                Privilege(privilege) if privilege else None):
                return True
        except KezekError:
            continue
    return False
