"""The waitlist, by IIN: join for a day with no free time, see it, leave it, accept an offer.

A person is their `persons` row, found by the keyed IIN hash, exactly as bookings find
it; only the masked IIN is kept. Joining upserts the person's row first (which locks
it), so the "one live request per service, centre and day" rule is read after the lock,
and a partial unique index backs it. Offers, holds and expiry: `waitlist_offers`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import after_commit, audit, catalog, contacts, rerelease, suspension
from kezek.app.actor import Actor, Channel
from kezek.app.booking import _check_person_quota, valid_iin
from kezek.app.callcentre import valid_email
from kezek.app.identity import notice_phone
from kezek.app.identity.ports import Directory
from kezek.app.privilege_check import audit_details, verify
from kezek.app.seats import lock_person
from kezek.app.slots import free_slots
from kezek.core import iin as iin_rules
from kezek.core.booking import new_code, normalize_code
from kezek.core.errors import KezekError, NotFound, OutsideSchedule, ValidationFailed
from kezek.core.policy import Privilege, eligible_windows
from kezek.core.privacy import iin_digest
from kezek.core.release import Phase, check_open, phase
from kezek.core.slots import bookable_days, day_starts, local_today
from kezek.store.models import BookingRow, PersonRow, utcnow
from kezek.store.models_jobs import WaitlistEntryRow

WAITING, OFFERED, ACCEPTED = "waiting", "offered", "accepted"
EXPIRED, CANCELLED = "expired", "cancelled"
LIVE = (WAITING, OFFERED)
HELD, RELEASED = "held", "released"
LANGS = ("kk", "ru", "en")


class SlotsAvailable(KezekError):
    """The day still has free times: the person should book one, not wait."""

    code = "waitlist_slots_free"
    status = 409


class AlreadyWaiting(KezekError):
    code = "waitlist_already"
    status = 409


class OfferLapsed(KezekError):
    """The held seat is no longer held (expired, or the entry is not offered)."""

    code = "waitlist_no_offer"
    status = 409


@dataclass(frozen=True, slots=True)
class JoinRequest:
    iin: str
    service: str
    center: int
    day: dt.date
    channel: Channel
    privilege: Privilege | None = None
    email: str | None = None
    telegram_chat_id: int | None = None
    lang: str = "ru"
    # The number the person proved by a code (`notice_phone.proven`): kept sealed for the
    # offer's SMS, never in clear.
    phone: str | None = None


async def join(session: AsyncSession, req: JoinRequest, key: bytes, actor: Actor,
               now: dt.datetime | None = None, directory: Directory | None = None
               ) -> WaitlistEntryRow:
    """Puts a person in line for a day on which the service has no free time.

    A privilege claim is checked as a booking's is (`privilege_check.verify`): refused if
    the registry knows better; the status goes with the seat when one is offered."""
    iin = valid_iin(req.iin)
    now = now or utcnow()
    email = valid_email(req.email)
    if req.lang not in LANGS:
        raise ValidationFailed(detail="lang: kk, ru or en")
    service = await catalog.service(session, req.service)
    ctx = await catalog.center(session, req.center)
    eligible_windows(ctx.center, service, ctx.windows, req.privilege)  # refuses if not here
    await suspension.refuse_if_suspended(session, iin_digest(iin, key), ctx.center.timezone,
                                         now)
    verdict = await verify(session, directory, iin, req.privilege)
    today = local_today(ctx.center, now)
    horizon = list(bookable_days(ctx.center, today, ctx.center.horizon_days + 1))
    if req.day not in horizon or not day_starts(ctx.center, req.day, ctx.exceptions,
                                                ctx.holidays):
        raise OutsideSchedule(reason="closed")
    check_open(ctx.center, ctx.policy, req.day, now)  # not before its release or ballot
    if await free_slots(session, ctx.center.id, service.code, req.day, 1, now, req.privilege):
        raise SlotsAvailable()
    person_id, _ = await lock_person(session, iin_digest(iin, key), iin_rules.mask(iin))
    live = await session.scalar(select(WaitlistEntryRow.id).where(
        WaitlistEntryRow.person_id == person_id, WaitlistEntryRow.service_code == service.code,
        WaitlistEntryRow.center_id == ctx.center.id, WaitlistEntryRow.day == req.day,
        WaitlistEntryRow.status.in_(LIVE)))
    if live is not None:
        raise AlreadyWaiting()
    row = WaitlistEntryRow(
        code=new_code(), person_id=person_id, iin_masked=iin_rules.mask(iin),
        service_code=service.code, center_id=ctx.center.id, day=req.day,
        privilege=req.privilege.value if req.privilege else None, channel=req.channel.value,
        privilege_status=verdict.status.value if verdict.status else None,
        status=WAITING, telegram_chat_id=req.telegram_chat_id, email=email, lang=req.lang,
        phone_cipher=notice_phone.seal_for(req.phone, person_id, key) if req.phone else None,
        created_at=now, updated_at=now)
    session.add(row)
    await session.flush()
    await audit.record(session, actor, req.channel, "waitlist.join", "waitlist", row.code,
                       {"center": ctx.center.id, "service": service.code,
                        "day": req.day.isoformat(), **audit_details(verdict)})
    return row


async def open_days(session: AsyncSession, center_id: int, now: dt.datetime) -> list[dt.date]:
    """Days within the booking horizon that still have a bookable start ahead.

    Those of them without a free time for a service are the days a person may wait for
    (the pages offer the waitlist there): the same horizon and lead time as `free_slots`.
    """
    ctx = await catalog.center(session, center_id)
    today = local_today(ctx.center, now)
    lead = now + dt.timedelta(minutes=ctx.policy.min_lead_minutes)
    return [day for day in bookable_days(ctx.center, today, ctx.center.horizon_days + 1)
            if phase(ctx.center, ctx.policy, day, now) is Phase.OPEN
            and any(start > lead for start in day_starts(ctx.center, day, ctx.exceptions,
                                                         ctx.holidays))]


async def get_owned(session: AsyncSession, code: str, raw_iin: str, key: bytes,
                    for_update: bool = False) -> WaitlistEntryRow:
    """The entry with this code if it belongs to this IIN; NotFound otherwise (no probing)."""
    iin = valid_iin(raw_iin)
    stmt = (select(WaitlistEntryRow).join(PersonRow, PersonRow.id == WaitlistEntryRow.person_id)
            .where(WaitlistEntryRow.code == normalize_code(code),
                   PersonRow.iin_hash == iin_digest(iin, key)))
    if for_update:
        stmt = stmt.with_for_update(of=WaitlistEntryRow)
    row = await session.scalar(stmt)
    if row is None:
        raise NotFound(entity="waitlist")
    return row


async def position(session: AsyncSession, entry: WaitlistEntryRow) -> int | None:
    """1 for the first in line; None once the entry is no longer waiting."""
    if entry.status != WAITING:
        return None
    ahead = await session.scalar(select(func.count()).select_from(WaitlistEntryRow).where(
        WaitlistEntryRow.center_id == entry.center_id, WaitlistEntryRow.day == entry.day,
        WaitlistEntryRow.status == WAITING,
        (WaitlistEntryRow.created_at < entry.created_at)
        | ((WaitlistEntryRow.created_at == entry.created_at)
           & (WaitlistEntryRow.id < entry.id))))
    return int(ahead or 0) + 1


async def held_booking(session: AsyncSession, entry: WaitlistEntryRow) -> BookingRow | None:
    return await session.get(BookingRow, entry.booking_id) if entry.booking_id else None


async def leave(session: AsyncSession, code: str, raw_iin: str, key: bytes, actor: Actor,
                channel: Channel, now: dt.datetime | None = None) -> WaitlistEntryRow:
    """Leaves the line; a seat held for the person is released to the next in line."""
    now = now or utcnow()
    entry = await get_owned(session, code, raw_iin, key, for_update=True)
    held = entry.booking_id if entry.status == OFFERED else None
    result = await session.execute(
        update(WaitlistEntryRow).where(WaitlistEntryRow.id == entry.id,
                                       WaitlistEntryRow.status.in_(LIVE))
        .values(status=CANCELLED, updated_at=now))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise OfferLapsed()
    if held is not None:
        await release_holds(session, [held], now)
        after_commit.seat_freed(session, entry.center_id, entry.day)
    entry.status, entry.updated_at = CANCELLED, now
    await audit.record(session, actor, channel, "waitlist.leave", "waitlist", entry.code)
    return entry


async def release_holds(session: AsyncSession, booking_ids: list[int], now: dt.datetime
                        ) -> None:
    """Gives up seats held for offers: held back from the public for a random while
    (kezek.app.rerelease), or released at once where the policy says so; the next
    offer run can still give them to the next in line."""
    await rerelease.hold_lapsed(session, booking_ids, now)


async def accept(session: AsyncSession, code: str, raw_iin: str, key: bytes, actor: Actor,
                 channel: Channel, now: dt.datetime | None = None) -> BookingRow:
    """Turns the held seat into the person's booking, under the same quotas as any booking.

    Both updates are conditional: an offer that expired (or was accepted) in a
    concurrent transaction changes no row, and the person is told the offer lapsed.
    """
    now = now or utcnow()
    entry = await get_owned(session, code, raw_iin, key, for_update=True)
    if entry.status != OFFERED or entry.booking_id is None:
        raise OfferLapsed()
    held = await session.get(BookingRow, entry.booking_id)
    if held is None:
        raise OfferLapsed()
    person_id, _ = await lock_person(session, None, None, person_id=entry.person_id)
    ctx = await catalog.center(session, held.center_id)
    # A person suspended after the offer was made is refused as a booking would be;
    # the sweep passes their offer on (waitlist_offers.expire).
    digest = await session.scalar(select(PersonRow.iin_hash).where(PersonRow.id == person_id))
    if digest is not None:
        await suspension.refuse_if_suspended(session, digest, ctx.center.timezone, now)
    service = await catalog.service(session, held.service_code)
    await _check_person_quota(session, person_id, ctx, service, held.start_utc, now,
                              exclude=held.id)
    taken = await session.execute(
        update(WaitlistEntryRow).where(WaitlistEntryRow.id == entry.id,
                                       WaitlistEntryRow.status == OFFERED,
                                       WaitlistEntryRow.offer_expires_at > now)
        .values(status=ACCEPTED, updated_at=now))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise OfferLapsed()
    booked = await session.execute(
        update(BookingRow).where(BookingRow.id == held.id, BookingRow.status == HELD)
        .values(status="active", channel=channel.value, created_at=now, updated_at=now))
    if booked.rowcount != 1:  # type: ignore[attr-defined]
        raise OfferLapsed()
    held.status, held.channel, held.created_at, held.updated_at = "active", channel.value, \
        now, now
    entry.status = ACCEPTED
    if entry.email or entry.telegram_chat_id or entry.phone_cipher:
        contacts.add(session, held.id, email=entry.email, lang=entry.lang,
                     telegram_chat_id=entry.telegram_chat_id,
                     phone_cipher=entry.phone_cipher)
        await session.flush()
    await audit.record(session, actor, channel, "booking.create", "booking", held.code,
                       {"center": held.center_id, "service": held.service_code,
                        "start": held.start_utc.isoformat(), "waitlist": entry.code})
    return held
