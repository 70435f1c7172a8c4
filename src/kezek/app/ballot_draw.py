"""The gate every booking of a day passes (released? in its ballot? drawn?) and the draw.

The draw runs once per centre and day, after the ballot window: by the sweep, or lazily
by the first booking (or slot search) of that day after the window, in that request's
transaction. Whoever inserts the `ballot_draws` row draws; a concurrent drawer's insert
waits on the primary key (PostgreSQL) or on the single writer (SQLite), then does
nothing, and goes on with the seats the winner booked. A drawer whose transaction rolls
back takes its draw with it, and the next request draws anew: nobody has been told yet,
since results leave only after the commit.

The draw itself is a random serial dictatorship: the entries are shuffled by the OS's
CSPRNG, and each in turn gets its best choice that is still free and that the quotas
allow, booked by the same statements as any booking (person lock, quota read, seat
insert under the database's referees). Every entry ends won or lost.
"""

from __future__ import annotations

import datetime as dt
import random
import weakref
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import after_commit, audit, catalog, contacts, suspension
from kezek.app.actor import SYSTEM
from kezek.app.catalog import CenterContext
from kezek.app.outbox import queue_message
from kezek.app.seats import held_bookings, lock_person, take_seat
from kezek.core.booking import BookingStatus, new_code
from kezek.core.errors import KezekError
from kezek.core.network import CenterKind
from kezek.core.policy import HeldBooking, Privilege, check_quota, eligible_windows
from kezek.core.privilege import ClaimStatus
from kezek.core.release import ballot_closes, check_open
from kezek.core.slots import block_end, check_start, slots_needed
from kezek.store.models import utcnow
from kezek.store.models_release import ENTERED, LOST, WON, BallotDrawRow, BallotEntryRow

_rng = random.SystemRandom()
# (centre, day) pairs whose draw this worker has seen committed, per engine: a drawn day
# stays drawn, so each worker reads the draw row of a day at most once.
_drawn: weakref.WeakKeyDictionary[Any, set[tuple[int, dt.date]]] = (
    weakref.WeakKeyDictionary())


async def open_for_booking(session: AsyncSession, ctx: CenterContext, day: dt.date,
                           now: dt.datetime) -> None:
    """Raises unless `day` is open first come, first served; draws its ballot first if
    the window has closed and nobody has drawn it yet."""
    check_open(ctx.center, ctx.policy, day, now)
    if ctx.policy.ballot_minutes > 0:
        await ensure_drawn(session, ctx, day, now)


async def ensure_drawn(session: AsyncSession, ctx: CenterContext, day: dt.date,
                       now: dt.datetime, rng: random.Random | None = None) -> bool:
    """Draws the day's ballot if its window has closed and it was not drawn; True if
    this call drew it."""
    closes = ballot_closes(ctx.center, ctx.policy, day)
    if closes is None or now < closes:
        return False
    seen = _drawn.setdefault(session.get_bind(), set())
    key = (ctx.center.id, day)
    if key in seen:
        return False
    found = await session.scalar(select(BallotDrawRow.center_id).where(
        BallotDrawRow.center_id == ctx.center.id, BallotDrawRow.day == day))
    if found is not None or await session.scalar(select(BallotEntryRow.id).where(
            BallotEntryRow.center_id == ctx.center.id, BallotEntryRow.day == day).limit(1)
    ) is None:
        # Drawn, or nothing to draw: a request after the window is refused, so a day
        # without entries now never has any.
        seen.add(key)
        return False
    return await draw(session, ctx, day, now, rng)


async def draw(session: AsyncSession, ctx: CenterContext, day: dt.date, now: dt.datetime,
               rng: random.Random | None = None) -> bool:
    """The draw, if this transaction wins the right to it; False if another did."""
    conn = await session.connection()
    dml: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    won_right = (await conn.execute(
        dml.insert(BallotDrawRow.__table__).values(
            center_id=ctx.center.id, day=day, drawn_at=now, entries=0, won=0)
        .on_conflict_do_nothing().returning(BallotDrawRow.__table__.c.center_id))
    ).scalar_one_or_none()
    if won_right is None:
        return False
    entries = list((await session.scalars(
        select(BallotEntryRow).where(BallotEntryRow.center_id == ctx.center.id,
                                     BallotEntryRow.day == day,
                                     BallotEntryRow.status == ENTERED)
        .order_by(BallotEntryRow.id))).all())
    (rng or _rng).shuffle(entries)
    won = 0
    for entry in entries:
        booked = await _assign(session, ctx, entry, now)
        won += int(booked)
    await session.execute(update(BallotDrawRow).where(
        BallotDrawRow.center_id == ctx.center.id, BallotDrawRow.day == day)
        .values(entries=len(entries), won=won))
    await audit.record(session, SYSTEM, "system", "ballot.draw", "ballot",
                       f"{ctx.center.id}:{day.isoformat()}",
                       {"entries": len(entries), "won": won})
    queue_message(session, after_commit.JOBS_TOPIC,
                  {"job": "ballot_drawn", "center_id": ctx.center.id, "day": day.isoformat()})
    return True


async def _assign(session: AsyncSession, ctx: CenterContext, entry: BallotEntryRow,
                  now: dt.datetime) -> bool:
    """Books the entry's best choice still possible; records won or lost. A person
    suspended since entering (missed visits, ADR 15) loses, as a booking is refused."""
    if await suspension.of_person(session, entry.person_id, now) is not None:
        entry.status, entry.updated_at = LOST, now
        await session.flush()
        return False
    for rank, iso in enumerate(entry.choices):
        try:
            booking_id = await _book_choice(session, ctx, entry,
                                            dt.datetime.fromisoformat(iso), now)
        except KezekError:  # taken, over a quota, or no longer a slot: the next choice
            continue
        entry.status, entry.booking_id, entry.won_choice = WON, booking_id, rank
        entry.updated_at = now
        if entry.email or entry.telegram_chat_id or entry.phone_cipher:
            contacts.add(session, booking_id, email=entry.email, lang=entry.lang,
                         telegram_chat_id=entry.telegram_chat_id,
                         phone_cipher=entry.phone_cipher)
        await session.flush()
        return True
    entry.status, entry.updated_at = LOST, now
    await session.flush()
    return False


async def _book_choice(session: AsyncSession, ctx: CenterContext, entry: BallotEntryRow,
                       start: dt.datetime, now: dt.datetime) -> int:
    """One choice through the booking statements: the person's lock, the quota read
    under it, the seat insert. Raises before any seat is written if refused."""
    service = await catalog.service(session, entry.service_code)
    privilege = Privilege(entry.privilege) if entry.privilege else None
    windows = eligible_windows(ctx.center, service, ctx.windows, privilege)
    slots = slots_needed(ctx.center, service.standard.slot_minutes)
    start_utc = check_start(ctx.center, start, now, ctx.exceptions, ctx.holidays, slots)
    zone = ZoneInfo(ctx.center.timezone)
    local_date = start_utc.astimezone(zone).date()
    person_id, _ = await lock_person(session, None, None, person_id=entry.person_id)
    since = min(now, start_utc) - dt.timedelta(days=ctx.policy.per_days)
    held = [HeldBooking(r.service_code, r.start_utc, r.local_date, CenterKind(r.center_kind),
                        r.status) for r in await held_bookings(session, person_id, since)]
    check_quota(ctx.policy, held, service, ctx.center.kind, start_utc, local_date)
    row = await take_seat(session, dict(
        code=new_code(), person_id=person_id, iin_masked=entry.iin_masked,
        service_code=service.code, center_id=ctx.center.id,
        center_kind=ctx.center.kind.value, start_utc=start_utc,
        end_utc=block_end(ctx.center, start_utc, slots), local_date=local_date,
        status=BookingStatus.ACTIVE.value, privilege=entry.privilege,
        privilege_claim=entry.privilege,  # the door sees the claim as for any booking
        privilege_status=entry.privilege_status or (
            ClaimStatus.CLAIMED.value if entry.privilege else None),
        channel=entry.channel, created_at=now, updated_at=now),
        [(w.id, seat) for w in windows for seat in range(w.seats)], ctx)
    await audit.record(session, SYSTEM, entry.channel, "booking.create", "booking", row.code,
                       {"center": ctx.center.id, "service": service.code,
                        "start": start_utc.isoformat(), "ballot": entry.code})
    return row.id


async def draw_due(session: AsyncSession, now: dt.datetime) -> int:
    """The sweep's pass: every day with entries whose window has closed and that nobody
    has drawn yet is drawn. Returns how many days were drawn."""
    days = (await session.execute(
        select(BallotEntryRow.center_id, BallotEntryRow.day).where(
            BallotEntryRow.status == ENTERED).distinct())).all()
    drawn = 0
    for center_id, day in days:
        try:
            ctx = await catalog.center(session, center_id)
        except KezekError:
            continue
        drawn += int(await ensure_drawn(session, ctx, day, now))
    return drawn


async def claim_result(session: AsyncSession, entry_id: int, now: dt.datetime | None = None
                       ) -> BallotEntryRow | None:
    """Claims the telling of one entry's result (at most once, by a conditional UPDATE):
    the entry if this caller won the claim and the result is known."""
    claimed = await session.execute(
        update(BallotEntryRow).where(BallotEntryRow.id == entry_id,
                                     BallotEntryRow.status.in_((WON, LOST)),
                                     BallotEntryRow.notified_at.is_(None))
        .values(notified_at=now or utcnow()))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await session.get(BallotEntryRow, entry_id)


async def untold(session: AsyncSession, center_id: int | None = None,
                 day: dt.date | None = None, sms: bool = False) -> list[int]:
    """Entries with a result nobody has claimed to tell yet (with somewhere to tell it:
    a proven number counts only where the deployment sends SMS)."""
    somewhere = (BallotEntryRow.email.is_not(None)) | (
        BallotEntryRow.telegram_chat_id.is_not(None))
    if sms:
        somewhere = somewhere | BallotEntryRow.phone_cipher.is_not(None)
    stmt = select(BallotEntryRow.id).where(
        BallotEntryRow.status.in_((WON, LOST)), BallotEntryRow.notified_at.is_(None),
        somewhere)
    if center_id is not None and day is not None:
        stmt = stmt.where(BallotEntryRow.center_id == center_id, BallotEntryRow.day == day)
    return list((await session.scalars(stmt.order_by(BallotEntryRow.id))).all())
