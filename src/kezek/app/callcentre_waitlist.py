"""The waitlist from the 1414 console: put a caller in line for a full day, list the
caller's entries, take them out of line.

The line itself is `app.waitlist`'s, unchanged: the same "only when the day is full",
"one live request per service, centre and day", privilege check and release rules as
on the web. What the console adds is the contact: a caller on the phone has no proof
that proved a number, so the number they give the operator (after the identity
questions, as for an e-mail given for a booking's reminders) is kept sealed for the
offer's SMS (ADR 0034).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import waitlist
from kezek.app.actor import Actor, Channel
from kezek.app.booking import valid_iin
from kezek.app.identity.ports import Directory
from kezek.app.slots import MAX_DAYS, free_slots
from kezek.core.errors import InvalidPhone
from kezek.core.identity import normalize_phone
from kezek.core.policy import Privilege
from kezek.core.privacy import iin_digest
from kezek.store.models import PersonRow
from kezek.store.models_jobs import WaitlistEntryRow

# Entries of days this long ago still show, so an operator sees how a recent wait ended.
PAST_DAYS = 7


@dataclass(frozen=True, slots=True)
class CallerWait:
    """What the operator types in for a caller who waits for a full day."""

    iin: str
    service: str
    center: int
    day: dt.date
    privilege: Privilege | None = None
    phone: str | None = None
    email: str | None = None
    lang: str = "ru"


def valid_phone(raw: str | None) -> str | None:
    """The caller's mobile number as `+77XXXXXXXXX`, or None when none was given."""
    if raw is None or not raw.strip():
        return None
    phone = normalize_phone(raw)
    if phone is None:
        raise InvalidPhone()
    return phone


async def join_for_caller(session: AsyncSession, req: CallerWait, key: bytes, actor: Actor,
                          directory: Directory | None = None,
                          now: dt.datetime | None = None) -> WaitlistEntryRow:
    """Puts the caller in line (channel call_centre) with the contact they gave."""
    phone = valid_phone(req.phone)
    return await waitlist.join(session, waitlist.JoinRequest(
        iin=req.iin, service=req.service, center=req.center, day=req.day,
        channel=Channel.CALL_CENTRE, privilege=req.privilege, email=req.email,
        lang=req.lang, phone=phone), key, actor, now=now, directory=directory)


async def full_days(session: AsyncSession, center_id: int, service: str,
                    privilege: Privilege | None, now: dt.datetime) -> list[dt.date]:
    """The open days on which the service has no free time left for this person: the
    days the operator may offer the waitlist for (as the web's booking page does)."""
    free = {x.start.date() for x in await free_slots(session, center_id, service, None,
                                                     MAX_DAYS, now, privilege)}
    return [day for day in await waitlist.open_days(session, center_id, now)
            if day not in free]


async def of_caller(session: AsyncSession, raw_iin: str, key: bytes,
                    today: dt.date) -> list[WaitlistEntryRow]:
    """The caller's entries for days from a week ago, every status, by day."""
    iin = valid_iin(raw_iin)
    rows = await session.scalars(
        select(WaitlistEntryRow).join(PersonRow, PersonRow.id == WaitlistEntryRow.person_id)
        .where(PersonRow.iin_hash == iin_digest(iin, key),
               WaitlistEntryRow.day >= today - dt.timedelta(days=PAST_DAYS))
        .order_by(WaitlistEntryRow.day, WaitlistEntryRow.created_at, WaitlistEntryRow.id))
    return list(rows)


async def leave_for_caller(session: AsyncSession, code: str, raw_iin: str, key: bytes,
                           actor: Actor) -> WaitlistEntryRow:
    """Takes the caller out of line; a seat held for them passes to the next person."""
    return await waitlist.leave(session, code, raw_iin, key, actor, Channel.CALL_CENTRE)
