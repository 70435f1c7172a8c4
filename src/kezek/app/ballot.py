"""Ballot requests: during a day's ballot window a verified person asks for up to three
ranked times of one service, once per centre and day (ADR 13).

The person's row is upserted first (the lock every quota read of Kezek takes), then the
one-request rule is read under it, and a unique index on (person, centre, day) backs it.
Like bookings, a request is found by its code and the IIN, never by the IIN alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit, catalog, suspension
from kezek.app.actor import Actor, Channel
from kezek.app.booking import valid_iin
from kezek.app.callcentre import valid_email
from kezek.app.identity import notice_phone
from kezek.app.identity.ports import Directory
from kezek.app.privilege_check import audit_details, verify
from kezek.app.seats import lock_person
from kezek.core import iin as iin_rules
from kezek.core.booking import new_code, normalize_code
from kezek.core.errors import KezekError, NotFound, ValidationFailed
from kezek.core.policy import Privilege, eligible_windows
from kezek.core.privacy import iin_digest
from kezek.core.release import Phase, ballot_closes, newest_day, phase
from kezek.core.slots import day_starts, local_today, slots_needed
from kezek.store.models import BookingRow, PersonRow, utcnow
from kezek.store.models_release import ENTERED, BallotEntryRow

MAX_CHOICES = 3
LANGS = ("kk", "ru", "en")


class BallotClosed(KezekError):
    """The day takes no ballot requests now (before its release, or after the window)."""

    code = "ballot_closed"
    status = 409


class BallotAlready(KezekError):
    code = "ballot_already"
    status = 409


class BallotChoices(KezekError):
    """Not 1 to 3 different times."""

    code = "ballot_choices"
    status = 422


class BallotBadChoice(KezekError):
    code = "ballot_bad_choice"
    status = 422


@dataclass(frozen=True, slots=True)
class BallotRequest:
    iin: str
    center: int
    day: dt.date
    service: str
    choices: tuple[dt.datetime, ...]
    channel: Channel
    privilege: Privilege | None = None
    email: str | None = None
    telegram_chat_id: int | None = None
    lang: str = "ru"
    # The number the person proved by a code: kept sealed for the result's SMS.
    phone: str | None = None


async def ballot_starts(session: AsyncSession, center_id: int, service_code: str,
                        day: dt.date) -> list[dt.datetime]:
    """The times a request may choose: the day's starts for the service (local, aware)."""
    ctx = await catalog.center(session, center_id)
    service = await catalog.service(session, service_code)
    return day_starts(ctx.center, day, ctx.exceptions, ctx.holidays,
                      slots_needed(ctx.center, service.standard.slot_minutes))


def _checked_choices(choices: tuple[dt.datetime, ...], starts: list[dt.datetime]
                     ) -> list[str]:
    if not 1 <= len(choices) <= MAX_CHOICES:
        raise BallotChoices()
    if any(c.tzinfo is None for c in choices):
        raise BallotBadChoice()
    utc = [c.astimezone(dt.UTC) for c in choices]
    if len(set(utc)) != len(utc):
        raise BallotChoices()
    allowed = {s.astimezone(dt.UTC) for s in starts}
    if any(u not in allowed for u in utc):
        raise BallotBadChoice()
    return [u.isoformat() for u in utc]


async def submit(session: AsyncSession, req: BallotRequest, key: bytes, actor: Actor,
                 now: dt.datetime | None = None, directory: Directory | None = None
                 ) -> BallotEntryRow:
    """Enters a person into the day's ballot, or raises why not.

    The rules of a booking apply on entry, whatever the channel: a suspended person is
    refused (ADR 15), and a privilege claim is checked against `directory` (refused if
    the registry knows better, else kept as `verified` or `claimed` for the door, which
    the drawn booking carries; ADR 14)."""
    iin = valid_iin(req.iin)
    now = now or utcnow()
    email = valid_email(req.email)
    if req.lang not in LANGS:
        raise ValidationFailed(detail="lang: kk, ru or en")
    ctx = await catalog.center(session, req.center)
    service = await catalog.service(session, req.service)
    if ctx.policy.ballot_minutes <= 0 or phase(ctx.center, ctx.policy, req.day,
                                               now) is not Phase.BALLOT:
        raise BallotClosed()
    eligible_windows(ctx.center, service, ctx.windows, req.privilege)  # refuses if not here
    choices = _checked_choices(req.choices, await ballot_starts(session, ctx.center.id,
                                                                service.code, req.day))
    digest = iin_digest(iin, key)
    await suspension.refuse_if_suspended(session, digest, ctx.center.timezone, now)
    verdict = await verify(session, directory, iin, req.privilege)
    person_id, _ = await lock_person(session, digest, iin_rules.mask(iin))
    if await session.scalar(select(BallotEntryRow.id).where(
            BallotEntryRow.person_id == person_id, BallotEntryRow.center_id == ctx.center.id,
            BallotEntryRow.day == req.day)) is not None:
        raise BallotAlready()
    row = BallotEntryRow(
        code=new_code(), person_id=person_id, iin_masked=iin_rules.mask(iin),
        center_id=ctx.center.id, day=req.day, service_code=service.code,
        privilege=req.privilege.value if req.privilege else None, choices=choices,
        privilege_status=verdict.status.value if verdict.status else None,
        channel=req.channel.value, status=ENTERED, telegram_chat_id=req.telegram_chat_id,
        email=email, lang=req.lang, created_at=now, updated_at=now,
        phone_cipher=notice_phone.seal_for(req.phone, person_id, key) if req.phone else None)
    session.add(row)
    await session.flush()
    await audit.record(session, actor, req.channel, "ballot.enter", "ballot", row.code,
                       {"center": ctx.center.id, "service": service.code,
                        "day": req.day.isoformat(), "choices": len(choices),
                        **audit_details(verdict)})
    return row


async def get_owned(session: AsyncSession, code: str, raw_iin: str, key: bytes
                    ) -> BallotEntryRow:
    """The request with this code if it belongs to this IIN; NotFound otherwise."""
    iin = valid_iin(raw_iin)
    row = await session.scalar(
        select(BallotEntryRow).join(PersonRow, PersonRow.id == BallotEntryRow.person_id)
        .where(BallotEntryRow.code == normalize_code(code),
               PersonRow.iin_hash == iin_digest(iin, key)))
    if row is None:
        raise NotFound(entity="ballot")
    return row


async def find_for_person(session: AsyncSession, iin_hash: str, center_id: int,
                          day: dt.date) -> BallotEntryRow | None:
    """The person's request for a centre and day (the proof names the person)."""
    return await session.scalar(
        select(BallotEntryRow).join(PersonRow, PersonRow.id == BallotEntryRow.person_id)
        .where(PersonRow.iin_hash == iin_hash, BallotEntryRow.center_id == center_id,
               BallotEntryRow.day == day))


async def won_booking(session: AsyncSession, entry: BallotEntryRow) -> BookingRow | None:
    return await session.get(BookingRow, entry.booking_id) if entry.booking_id else None


async def draw_time(session: AsyncSession, center_id: int, day: dt.date) -> dt.datetime | None:
    """When the day's ballot closes and its seats are drawn (None without a ballot)."""
    ctx = await catalog.center(session, center_id)
    return ballot_closes(ctx.center, ctx.policy, day)


@dataclass(frozen=True, slots=True)
class OpenBallot:
    """A centre's day that takes ballot requests now, and when its seats are drawn."""

    day: dt.date
    closes: dt.datetime  # UTC


async def open_ballot(session: AsyncSession, center_id: int, now: dt.datetime | None = None
                      ) -> OpenBallot | None:
    """The centre's day in its ballot window now, if any: the newest day of the horizon
    is the only one that can be (each day opens `horizon_days` ahead). The bot and the
    call-centre console ask this to offer the ballot where the web page does."""
    now = now or utcnow()
    ctx = await catalog.center(session, center_id)
    day = newest_day(ctx.center, local_today(ctx.center, now))
    if phase(ctx.center, ctx.policy, day, now) is not Phase.BALLOT:
        return None
    closes = ballot_closes(ctx.center, ctx.policy, day)
    return OpenBallot(day, closes) if closes is not None else None


async def of_person(session: AsyncSession, person_id: int, since: dt.date,
                    limit: int = 20) -> list[BallotEntryRow]:
    """A person's requests for days from `since`, newest day first (their "my bookings"
    in the bot, the caller's record in the console)."""
    return list((await session.scalars(
        select(BallotEntryRow).where(BallotEntryRow.person_id == person_id,
                                     BallotEntryRow.day >= since)
        .order_by(BallotEntryRow.day.desc(), BallotEntryRow.id.desc()).limit(limit))).all())


async def of_iin(session: AsyncSession, raw_iin: str, key: bytes, since: dt.date
                 ) -> list[BallotEntryRow]:
    """`of_person` by the IIN (the console's lookup, after the operator's identity check)."""
    person_id = await session.scalar(select(PersonRow.id).where(
        PersonRow.iin_hash == iin_digest(valid_iin(raw_iin), key)))
    return await of_person(session, person_id, since) if person_id is not None else []
