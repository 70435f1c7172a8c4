"""Booking reminders: one the evening before, one an hour before.

The evening one goes out at 18:00 in the centre's zone on the day before the visit,
not 24 hours before: it arrives when people plan the next day, never at night, and early
enough that a person who cannot come cancels while the waitlist and other bookers can
still use the seat. A booking made after that moment gets no evening reminder (the
person has just booked); one made less than an hour ahead gets no hour reminder.

Whether a reminder goes out is decided at send time, from committed data: the booking
must still be active, at the time the job was planned for, with a contact. A
rescheduled booking is a new booking with its own reminders; the old one is cancelled.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import notices, notify
from kezek.app.notify import Outgoing
from kezek.store.models import BookingRow, CenterRow
from kezek.store.models_channels import BookingContactRow
from kezek.store.models_jobs import NotificationClaimRow

DAY_BEFORE, HOUR_BEFORE = "day_before", "hour_before"
KINDS = (DAY_BEFORE, HOUR_BEFORE)
EVENING = dt.time(18, 0)
HOUR = dt.timedelta(hours=1)
# How far ahead the sweep looks: the evening reminder is due at most ~39 h ahead.
LOOKAHEAD = dt.timedelta(days=2)


def due_at(kind: str, start_utc: dt.datetime, zone: str) -> dt.datetime:
    """When a reminder becomes due, in UTC."""
    if kind == HOUR_BEFORE:
        return start_utc - HOUR
    local_day = start_utc.astimezone(ZoneInfo(zone)).date()
    evening = dt.datetime.combine(local_day - dt.timedelta(days=1), EVENING, ZoneInfo(zone))
    return evening.astimezone(dt.UTC)


def last_moment(kind: str, start_utc: dt.datetime) -> dt.datetime:
    """After this a reminder is pointless: the hour one has taken over, or the visit began."""
    return start_utc - HOUR if kind == DAY_BEFORE else start_utc


def is_due(kind: str, start_utc: dt.datetime, created_at: dt.datetime, zone: str,
           now: dt.datetime) -> bool:
    due = due_at(kind, start_utc, zone)
    return created_at < due <= now < last_moment(kind, start_utc)


def plan(start_utc: dt.datetime, created_at: dt.datetime, zone: str
         ) -> list[tuple[str, dt.datetime]]:
    """The reminders a booking will get, with when each is due (for scheduling)."""
    out = []
    for kind in KINDS:
        due = due_at(kind, start_utc, zone)
        if created_at < due < last_moment(kind, start_utc):
            out.append((kind, due))
    return out


async def booking_plan(session: AsyncSession, booking_id: int
                       ) -> tuple[dt.datetime, list[tuple[str, dt.datetime]]] | None:
    """The booking's start and its planned reminders, if it is active with a contact."""
    row = (await session.execute(
        select(BookingRow.start_utc, BookingRow.created_at, CenterRow.timezone)
        .join(CenterRow, CenterRow.id == BookingRow.center_id)
        .join(BookingContactRow, BookingContactRow.booking_id == BookingRow.id)
        .where(BookingRow.id == booking_id, BookingRow.status == "active"))).one_or_none()
    if row is None:
        return None
    start, created, zone = row
    return start, plan(start, created, zone)


def reachable(sms: bool) -> ColumnElement[bool]:
    """A contact reminders can go to: a chat or an e-mail, or a proven number when the
    deployment sends reminders by SMS (`KEZEK_SMS_REMINDERS`; SMS costs money)."""
    c = BookingContactRow
    ways = [c.telegram_chat_id.is_not(None), c.email.is_not(None)]
    if sms:
        ways.append(c.phone_cipher.is_not(None))
    return or_(*ways)


async def due(session: AsyncSession, now: dt.datetime, sms: bool = False
              ) -> list[tuple[int, str, dt.datetime]]:
    """(booking, kind, start) for every reminder due now and not yet claimed."""
    rows = (await session.execute(
        select(BookingRow.id, BookingRow.start_utc, BookingRow.created_at, CenterRow.timezone)
        .join(CenterRow, CenterRow.id == BookingRow.center_id)
        .join(BookingContactRow, BookingContactRow.booking_id == BookingRow.id)
        .where(BookingRow.status == "active", BookingRow.start_utc > now,
               BookingRow.start_utc <= now + LOOKAHEAD, reachable(sms)))).all()
    if not rows:
        return []
    claimed = {(b, k) for b, k in (await session.execute(
        select(NotificationClaimRow.booking_id, NotificationClaimRow.kind).where(
            NotificationClaimRow.booking_id.in_([r[0] for r in rows])))).all()}
    return [(bid, kind, start) for bid, start, created, zone in rows for kind in KINDS
            if (bid, kind) not in claimed and is_due(kind, start, created, zone, now)]


async def claim_reminder(session: AsyncSession, booking_id: int, kind: str,
                         start_utc: dt.datetime, channels: set[str], now: dt.datetime,
                         key: bytes | None = None, public_url: str | None = None
                         ) -> list[Outgoing]:
    """Claims the reminder on each channel the person gave, if it is still wanted.

    Checked here, at send time: the booking is active, still at `start_utc`, the
    reminder is due and not past its last moment. Run in its own transaction and
    committed before anything is sent. SMS is among `channels` only where the deployment
    sends reminders by SMS; `key` opens the proven number; `public_url` gives the
    message its link to cancel or move.
    """
    booking = await session.get(BookingRow, booking_id)
    if booking is None or booking.status != "active" or booking.start_utc != start_utc:
        return []
    contact = await notify.contact(session, booking_id)
    centre = await session.get(CenterRow, booking.center_id)
    if contact is None or centre is None:
        return []
    if not is_due(kind, booking.start_utc, booking.created_at, centre.timezone, now):
        return []
    targets = notify.addresses(contact.telegram_chat_id, contact.email, channels,
                               notify.phone_of(contact.phone_cipher, booking.person_id, key))
    if not targets:
        return []
    link = notices.manage_link(public_url, booking.code) if public_url else None
    notice = notices.reminder(kind, await notify.place_of(session, booking, contact.lang),
                              contact.lang, link)
    return await notify.claim_all(session, booking_id, kind, targets, notice, now)
