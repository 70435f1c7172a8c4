"""Offers: a freed seat is held for the first person in line, then passed on.

The database decides every race:

- an entry is claimed by one conditional UPDATE whose subquery picks the first waiting
  entry with `FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite serialises writers, and the
  UPDATE is the transaction's first write), so two concurrent offer runs never claim
  the same entry, and an entry is never offered twice for one request;
- the seat is a `bookings` row with status 'held', inserted by `take_seat`, so the
  partial unique indexes keep it from anyone else, exactly as a booked seat.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import after_commit, catalog, notices, notify, rerelease, suspension
from kezek.app.notify import Outgoing
from kezek.app.seats import take_seat
from kezek.app.slots import free_slots, visit_end
from kezek.app.waitlist import EXPIRED, HELD, OFFERED, WAITING, release_holds
from kezek.core.abuse import active_suspension
from kezek.core.booking import new_code
from kezek.core.errors import KezekError
from kezek.core.policy import Privilege, eligible_windows
from kezek.core.quiet import QuietHours, hold_end, is_quiet
from kezek.core.slots import local_today
from kezek.store.models import BookingRow, CenterRow, PersonRow
from kezek.store.models_jobs import WaitlistEntryRow

_W = WaitlistEntryRow


async def offer_freed(session: AsyncSession, center_id: int, day: dt.date, now: dt.datetime,
                      hold_minutes: int, quiet: QuietHours | None = None) -> list[int]:
    """Holds free seats of one centre and day for the people waiting, first come first.

    An entry whose service has no free seat that day stays waiting and keeps its place;
    the next in line may want a service that the freed window serves. Returns the ids of
    the entries offered a seat (their notifications are queued after the commit). Within
    quiet hours the hold counts no minute of the night (core/quiet.py).
    """
    offered: list[int] = []
    skipped: list[int] = []
    await _serialise_day(session, center_id, day)
    lifted = await rerelease.lift(session, center_id, day, now)  # the waitlist comes first
    zone = await _zone(session, center_id)
    while True:
        entry = await _claim_next(session, center_id, day, skipped, now)
        if entry is None:
            await rerelease.restore(session, lifted, now)  # the rest stays held back
            return offered
        held = await _hold_seat(session, entry, now)
        if held is None:
            await session.execute(update(_W).where(_W.id == entry.id).values(
                status=WAITING, offered_at=None, updated_at=entry.updated_at))
            skipped.append(entry.id)
            continue
        until = min(hold_end(now, hold_minutes, zone, quiet), held.start_utc)
        await session.execute(update(_W).where(_W.id == entry.id).values(
            booking_id=held.id, offer_expires_at=until))
        after_commit.offer_made(session, entry.id)
        offered.append(entry.id)


async def _zone(session: AsyncSession, center_id: int) -> str:
    """The centre's time zone; UTC for a centre gone since (no seat is held there)."""
    try:
        return (await catalog.center(session, center_id)).center.timezone
    except KezekError:
        return "UTC"


async def _serialise_day(session: AsyncSession, center_id: int, day: dt.date) -> None:
    """One offer run per centre and day at a time (PostgreSQL advisory lock, released at
    commit), so that concurrent cancellations give their seats strictly in line order:
    without it, a run could take the seat another run had meant for an earlier person.
    SQLite needs none: its writers are serialised already."""
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:c, :d)"),
                           {"c": center_id, "d": day.toordinal()})


async def _claim_next(session: AsyncSession, center_id: int, day: dt.date,
                      skipped: list[int], now: dt.datetime) -> WaitlistEntryRow | None:
    first = (select(_W.id).where(_W.center_id == center_id, _W.day == day,
                                 _W.status == WAITING, _W.id.not_in(skipped))
             .order_by(_W.created_at, _W.id).limit(1)
             .with_for_update(skip_locked=True).scalar_subquery())
    result = await session.execute(
        update(_W).where(_W.id == first, _W.status == WAITING)
        .values(status=OFFERED, offered_at=now)
        .returning(_W.id, _W.person_id, _W.iin_masked, _W.service_code, _W.center_id, _W.day,
                   _W.privilege, _W.privilege_status, _W.channel, _W.updated_at))
    row = result.one_or_none()
    if row is None:
        return None
    return WaitlistEntryRow(**row._asdict())


async def _hold_seat(session: AsyncSession, entry: WaitlistEntryRow, now: dt.datetime
                     ) -> BookingRow | None:
    """The earliest free seat for the entry's service that day, held for the person."""
    privilege = Privilege(entry.privilege) if entry.privilege else None
    try:
        ctx = await catalog.center(session, entry.center_id)
        service = await catalog.service(session, entry.service_code)
        windows = eligible_windows(ctx.center, service, ctx.windows, privilege)
        slots = await free_slots(session, entry.center_id, entry.service_code, entry.day, 1,
                                 now, privilege)
    except KezekError:  # the centre or service changed since the person joined
        return None
    seats = [(w.id, seat) for w in windows for seat in range(w.seats)]
    zone = ZoneInfo(ctx.center.timezone)
    for slot in slots:
        start_utc = slot.start.astimezone(dt.UTC)
        try:
            return await take_seat(session, dict(
                code=new_code(), person_id=entry.person_id, iin_masked=entry.iin_masked,
                service_code=service.code, center_id=ctx.center.id,
                center_kind=ctx.center.kind.value, start_utc=start_utc,
                end_utc=visit_end(ctx, service, start_utc),
                local_date=start_utc.astimezone(zone).date(), status=HELD,
                privilege=entry.privilege, privilege_claim=entry.privilege,
                privilege_status=entry.privilege_status, channel=entry.channel, created_at=now,
                updated_at=now), seats, ctx)
        except KezekError:  # taken meanwhile: try the next time that day
            continue
    return None


async def expire(session: AsyncSession, now: dt.datetime) -> set[tuple[int, dt.date]]:
    """Ends offers whose hold ran out or whose person was suspended since, and entries
    whose day has passed.

    Returns the (centre, day) pairs whose held seats were released, to offer them on.
    """
    lapsed: list[Any] = list((await session.execute(
        update(_W).where(_W.status == OFFERED, _W.offer_expires_at <= now)
        .values(status=EXPIRED, updated_at=now)
        .returning(_W.booking_id, _W.center_id, _W.day))).all())
    lapsed += await _end_suspended_offers(session, now)
    await release_holds(session, [b for b, _, _ in lapsed if b is not None], now)
    await _expire_past_days(session, now)
    return {(c, d) for _, c, d in lapsed}


async def _end_suspended_offers(session: AsyncSession, now: dt.datetime
                                ) -> list[Any]:
    """Open offers of people suspended since the offer was made: they could not accept
    them (waitlist.accept refuses), so the seat goes to the next in line at once rather
    than when the hold runs out. Offers open at a time are few: one check per person."""
    rule = await catalog.no_show_rule(session)
    if rule is None:
        return []
    open_offers = (await session.execute(
        select(_W.id, PersonRow.iin_hash).join(PersonRow, PersonRow.id == _W.person_id)
        .where(_W.status == OFFERED))).all()
    ended: list[Any] = []
    for entry_id, digest in open_offers:
        missed = await suspension.missed_by_digest(session, digest, rule, now)
        if active_suspension(missed, rule, now) is None:
            continue
        ended += (await session.execute(
            update(_W).where(_W.id == entry_id, _W.status == OFFERED)
            .values(status=EXPIRED, updated_at=now)
            .returning(_W.booking_id, _W.center_id, _W.day))).all()
    return ended


async def _expire_past_days(session: AsyncSession, now: dt.datetime) -> None:
    """Waiting entries for a day that is over in the centre's zone."""
    zones = (await session.execute(
        select(CenterRow.id, CenterRow.timezone).where(CenterRow.id.in_(
            select(_W.center_id).where(_W.status == WAITING).distinct())))).all()
    for center_id, zone in zones:
        today = now.astimezone(ZoneInfo(zone)).date()
        await session.execute(update(_W).where(
            _W.center_id == center_id, _W.status == WAITING, _W.day < today)
            .values(status=EXPIRED, updated_at=now))


async def waiting_days(session: AsyncSession) -> list[tuple[int, dt.date]]:
    """Every (centre, day) with someone waiting."""
    rows = await session.execute(select(_W.center_id, _W.day).where(_W.status == WAITING)
                                 .distinct().order_by(_W.day, _W.center_id))
    return [(c, d) for c, d in rows.all()]


async def offer_everywhere(session: AsyncSession, now: dt.datetime, hold_minutes: int,
                           quiet: QuietHours | None = None) -> list[int]:
    """The sweep's pass: any free seat on a day someone waits for is offered."""
    offered: list[int] = []
    for center_id, day in await waiting_days(session):
        try:
            ctx = await catalog.center(session, center_id)
        except KezekError:
            continue
        if day >= local_today(ctx.center, now):
            offered += await offer_freed(session, center_id, day, now, hold_minutes, quiet)
    return offered


async def unnotified_offers(session: AsyncSession) -> list[int]:
    """Entries offered a seat still held: their notification may not have gone out."""
    rows = await session.scalars(select(_W.id).join(
        BookingRow, and_(BookingRow.id == _W.booking_id, BookingRow.status == HELD))
        .where(_W.status == OFFERED))
    return list(rows.all())


async def claim_offer(session: AsyncSession, entry_id: int, channels: set[str],
                      now: dt.datetime, public_url: str, key: bytes | None = None,
                      quiet: QuietHours | None = None) -> list[Outgoing]:
    """Claims the offer's notification on each channel, while the seat is still held
    (SMS too where the entry keeps a proven number and `key` opens it). Nothing within
    the centre's quiet hours: the sweep announces the offer when they end."""
    entry = await session.get(WaitlistEntryRow, entry_id)
    if entry is None or entry.status != OFFERED or entry.booking_id is None \
            or entry.offer_expires_at is None or entry.offer_expires_at <= now:
        return []
    held = await session.get(BookingRow, entry.booking_id)
    if held is not None and is_quiet(quiet, now, await _zone(session, held.center_id)):
        return []
    targets = notify.addresses(entry.telegram_chat_id, entry.email, channels,
                               notify.phone_of(entry.phone_cipher, entry.person_id, key))
    if held is None or held.status != HELD or not targets:
        return []
    place = await notify.place_of(session, held, entry.lang)
    until = entry.offer_expires_at.astimezone(place.start.tzinfo)
    link = f"{public_url.rstrip('/')}/waitlist/{entry.code}"
    notice = notices.offer(place, entry.code, until, link, entry.lang)
    return await notify.claim_all(session, held.id, "offer", targets, notice, now)
