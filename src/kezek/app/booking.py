"""Booking use cases: book, find, cancel, reschedule, all keyed to an IIN.

The order of statements is the concurrency design: the person's row is upserted first
(that locks it), quota counts are read after it, and the seat is taken by an insert
that the partial unique index lets only one request win.  No check in Python stands
in for the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import after_commit, audit, ballot_draw, catalog, contacts, rerelease, suspension
from kezek.app.actor import Actor, Channel, Role
from kezek.app.catalog import CenterContext
from kezek.app.identity.ports import Directory
from kezek.app.privilege_check import audit_details, verify
from kezek.app.seats import first_try, held_bookings, lock_person, take_seat, take_seen_seat
from kezek.app.slots import visit_end
from kezek.app.throttle import network_of
from kezek.core import iin as iin_rules
from kezek.core.booking import BookingStatus, new_code, normalize_code, transition
from kezek.core.errors import Forbidden, InvalidIin, NotFound, OutsideSchedule
from kezek.core.network import CenterKind
from kezek.core.policy import HeldBooking, Privilege, check_quota, eligible_windows
from kezek.core.privacy import iin_digest
from kezek.core.registry import Service
from kezek.core.slots import check_start, slots_needed
from kezek.store.models import BookingRow, PersonRow, utcnow

# Seats a waitlist offer holds, and holds that lapsed: not the person's bookings (yet).
WAITLIST_HOLDS = ("held", "released")


@dataclass(frozen=True, slots=True)
class BookingRequest:
    iin: str
    service: str
    center: int
    start: dt.datetime
    channel: Channel
    privilege: Privilege | None = None
    # Where the request came from, for the audit (client address, proven number's
    # digest); set by the edge, never by the client.
    origin: dict[str, str] | None = None


def door_here(actor: Actor, channel: Channel, center_id: int) -> None:
    """The door channel is staff acting in person at their own centre: another centre's
    door staff (or a manager of another centre) is refused; an admin may act anywhere."""
    if channel is Channel.DOOR and actor.role is not Role.ADMIN \
            and center_id not in actor.centers:
        raise Forbidden()


def origin_columns(origin: dict[str, str] | None, made_on: dt.date) -> dict[str, Any]:
    """The booking's origin columns (the abuse view groups by them), from what the edge
    saw: the client address, its network, the proven phone's digest."""
    origin = origin or {}
    addr = origin.get("addr") or None
    return {"origin_addr": addr, "origin_net": network_of(addr) if addr else None,
            "origin_phone": origin.get("phone") or None, "made_on": made_on}


def valid_iin(raw: str) -> str:
    checked = iin_rules.check(raw)
    if not checked.valid:
        assert checked.problem is not None
        raise InvalidIin(problem=checked.problem.value)
    return checked.value


async def book(session: AsyncSession, req: BookingRequest, key: bytes, actor: Actor,
               now: dt.datetime | None = None, alone: bool = False,
               directory: Directory | None = None) -> BookingRow:
    """Books a seat for a person, or raises the domain error that says why not.

    `alone` says the caller's transaction holds nothing but this booking (the API and
    the web page; not the bot, which links the chat in the same transaction): a booking
    made in one statement may then commit on its own, without BEGIN and COMMIT.
    A refusal may come after writes in the caller's transaction (a person seen before is
    booked, then checked against the quota): on any error the caller rolls back, as
    `unit_of_work` and the routes' transactions do.

    A privilege claim is checked against `directory` first (`privilege_check.verify`,
    which every channel passes a directory to): refused if the registry knows better,
    else recorded as `verified` or `claimed` for the door.
    """
    iin = valid_iin(req.iin)
    now = now or utcnow()
    door_here(actor, req.channel, req.center)
    service = await catalog.service(session, req.service)
    ctx, start_utc, window_ids = await _prepare(session, req.center, service, req.start,
                                                req.privilege, now)
    digest, masked = iin_digest(iin, key), iin_rules.mask(iin)
    await suspension.refuse_if_suspended(session, digest, ctx.center.timezone, now)
    verdict = await verify(session, directory, iin, req.privilege)
    values = dict(
        code=new_code(), iin_masked=masked, service_code=service.code,
        center_id=ctx.center.id, center_kind=ctx.center.kind.value, start_utc=start_utc,
        end_utc=visit_end(ctx, service, start_utc),
        local_date=start_utc.astimezone(_zone(ctx)).date(),
        status=BookingStatus.ACTIVE.value,
        privilege=req.privilege.value if req.privilege else None,
        channel=req.channel.value, created_at=now, updated_at=now,
        privilege_claim=req.privilege.value if req.privilege else None,
        privilege_status=verdict.status.value if verdict.status else None,
        **origin_columns(req.origin, now.astimezone(_zone(ctx)).date()))
    details = {"center": ctx.center.id, "service": service.code,
               "start": start_utc.isoformat(), **(req.origin or {}), **audit_details(verdict)}
    audit_row = audit.row(actor, req.channel, "booking.create", "booking", values["code"],
                          details)
    first = None
    if ctx.center.slot_capacity is None and window_ids:  # no centre-wide cap to take
        first = await first_try(session, digest, values, audit_row, window_ids, ctx,
                                alone=alone)
        if first is not None and first.booked:
            assert first.booking_id is not None and first.person_id is not None
            after_commit.booking_counted(session, req.channel.value)
            return BookingRow(id=first.booking_id, person_id=first.person_id,
                              window_id=first.window_id, seat=first.seat, center_seat=None,
                              **values)
    if first is not None and first.locked:  # the first statement locked the person row
        assert first.person_id is not None
        person_id, first_seen = first.person_id, first.new
    else:
        person_id, first_seen = await lock_person(session, digest, masked)
    values["person_id"] = person_id
    read_first, quota_checked = False, first_seen  # a person first seen holds nothing
    if first is not None:  # the one statement saw the slot
        if first.window_id is None or first.seat is None or first.new:
            read_first = True  # no seat looked free, or the one that did was just lost
        else:  # a person seen before, and a seat that looked free: book it, then check
            row = await _book_seen(session, values, (first.window_id, first.seat),
                                   audit_row, ctx, service, now)
            if row is not None:
                after_commit.booking_counted(session, req.channel.value)
                return row
            read_first = quota_checked = True  # the seat was lost: read what is taken
    if not quota_checked:
        await _check_person_quota(session, person_id, ctx, service, start_utc, now,
                                  exclude=None)
    row = await take_seat(session, values, window_ids, ctx, read_first=read_first)
    await audit.record(session, actor, req.channel, "booking.create", "booking", row.code,
                       details)
    after_commit.booking_counted(session, req.channel.value)
    return row


async def _book_seen(session: AsyncSession, values: dict[str, Any], seat: tuple[int, int],
                     audit_row: dict[str, Any], ctx: CenterContext, service: Service,
                     now: dt.datetime) -> BookingRow | None:
    """A person seen before, with the person row locked: the booking, its audit row and
    the quota read in one statement (PostgreSQL), then the quota check. Over the quota
    it raises, and the caller's rollback takes the booking back before anyone sees it.
    None if the seat was lost meanwhile (the quota was checked all the same)."""
    start_utc: dt.datetime = values["start_utc"]
    booked = {**values, "window_id": seat[0], "seat": seat[1]}
    booking_id, held = await take_seen_seat(session, booked, audit_row,
                                            _quota_since(ctx, start_utc, now))
    _check_held(held, ctx, service, start_utc, exclude=None)
    return None if booking_id is None else BookingRow(id=booking_id, center_seat=None,
                                                      **booked)


def _zone(ctx: CenterContext) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(ctx.center.timezone)


async def _prepare(session: AsyncSession, center_id: int, service: Service,
                   start: dt.datetime, privilege: Privilege | None, now: dt.datetime
                   ) -> tuple[CenterContext, dt.datetime, list[tuple[int, int]]]:
    """Loads the centre for the day asked, checks the time and the windows that may serve."""
    if start.tzinfo is None:
        raise OutsideSchedule(reason="timezone")
    ctx = await catalog.center(session, center_id)
    windows = eligible_windows(ctx.center, service, ctx.windows, privilege)
    start_utc = check_start(ctx.center, start, now, ctx.exceptions, ctx.holidays,
                            slots_needed(ctx.center, service.standard.slot_minutes))
    await ballot_draw.open_for_booking(session, ctx, start_utc.astimezone(_zone(ctx)).date(),
                                       now)
    if start_utc < now + dt.timedelta(minutes=ctx.policy.min_lead_minutes):
        raise OutsideSchedule(reason="lead_time")
    seats = [(w.id, seat) for w in windows for seat in range(w.seats)]
    return ctx, start_utc, seats


def _quota_since(ctx: CenterContext, start_utc: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The earliest start a held booking can have and still count against the quota."""
    return min(now, start_utc) - dt.timedelta(days=ctx.policy.per_days)


def _check_held(rows: list[Any], ctx: CenterContext, service: Service,
                start_utc: dt.datetime, exclude: int | None) -> None:
    held = [HeldBooking(r.service_code, r.start_utc, r.local_date, CenterKind(r.center_kind),
                        r.status)
            for r in rows if r.id != exclude]
    check_quota(ctx.policy, held, service, ctx.center.kind, start_utc,
                start_utc.astimezone(_zone(ctx)).date())


async def _check_person_quota(session: AsyncSession, person_id: int, ctx: CenterContext,
                              service: Service, start_utc: dt.datetime, now: dt.datetime,
                              exclude: int | None) -> None:
    rows = await held_bookings(session, person_id, _quota_since(ctx, start_utc, now))
    _check_held(rows, ctx, service, start_utc, exclude)


async def precheck(session: AsyncSession, req: BookingRequest, key: bytes,
                   now: dt.datetime | None = None) -> None:
    """Raises the quota refusal (AlreadyBooked, QuotaExceeded) that booking `req` would
    meet, before the person confirms: the bot asks right after the IIN step.

    A read without the person's lock, and nothing written: `book` checks again under
    the lock, so this can only refuse earlier, never let a booking through."""
    iin = valid_iin(req.iin)
    person_id = await session.scalar(select(PersonRow.id).where(
        PersonRow.iin_hash == iin_digest(iin, key)))
    if person_id is None:  # a person never seen holds nothing
        return
    service = await catalog.service(session, req.service)
    ctx = await catalog.center(session, req.center)
    await _check_person_quota(session, person_id, ctx, service, req.start.astimezone(dt.UTC),
                              now or utcnow(), exclude=None)


async def find_for_person(session: AsyncSession, raw_iin: str, key: bytes,
                          active_only: bool = True) -> list[BookingRow]:
    iin = valid_iin(raw_iin)
    person = await session.scalar(select(PersonRow.id).where(
        PersonRow.iin_hash == iin_digest(iin, key)))
    if person is None:
        return []
    stmt = select(BookingRow).where(BookingRow.person_id == person).order_by(BookingRow.start_utc)
    if active_only:
        stmt = stmt.where(BookingRow.status == BookingStatus.ACTIVE.value)
    else:
        stmt = stmt.where(BookingRow.status.not_in(WAITLIST_HOLDS))
    return list((await session.scalars(stmt)).all())


async def get_owned(session: AsyncSession, code: str, raw_iin: str, key: bytes,
                    for_update: bool = False) -> BookingRow:
    """The booking with this code, if it belongs to this IIN; NotFound otherwise.

    A wrong IIN and an unknown code give the same answer, so codes cannot be probed.
    """
    iin = valid_iin(raw_iin)
    stmt = (select(BookingRow).join(PersonRow, PersonRow.id == BookingRow.person_id)
            .where(BookingRow.code == normalize_code(code),
                   PersonRow.iin_hash == iin_digest(iin, key),
                   BookingRow.status.not_in(WAITLIST_HOLDS)))
    if for_update:
        stmt = stmt.with_for_update(of=BookingRow)
    row = await session.scalar(stmt)
    if row is None:
        raise NotFound(entity="booking")
    return row


async def cancel(session: AsyncSession, code: str, raw_iin: str, key: bytes, actor: Actor,
                 channel: Channel) -> BookingRow:
    row = await get_owned(session, code, raw_iin, key, for_update=True)
    return await cancel_row(session, row, actor, channel)


async def cancel_row(session: AsyncSession, row: BookingRow, actor: Actor, channel: Channel,
                     details: dict[str, Any] | None = None) -> BookingRow:
    """Cancels a booking read with its row locked: the one path of every cancellation
    (the person's own, staff's bulk one), so the seat is freed and offered alike."""
    transition(BookingStatus(row.status), BookingStatus.CANCELLED)
    now = utcnow()
    result = await session.execute(
        update(BookingRow).where(BookingRow.id == row.id,
                                 BookingRow.status == BookingStatus.ACTIVE.value)
        .values(status=BookingStatus.CANCELLED.value, updated_at=now))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(entity="booking")
    row.status, row.updated_at = BookingStatus.CANCELLED.value, now
    await rerelease.hold_back(session, row, now)  # waitlist first, the public later
    await audit.record(session, actor, channel, "booking.cancel", "booking", row.code,
                       details)
    after_commit.seat_freed(session, row.center_id, row.local_date)
    return row


async def reschedule(session: AsyncSession, code: str, raw_iin: str, new_start: dt.datetime,
                     key: bytes, actor: Actor, channel: Channel, center_id: int | None = None,
                     now: dt.datetime | None = None, origin: dict[str, str] | None = None,
                     keep_code: bool = False) -> BookingRow:
    """Moves a booking to another time (and centre); the old seat is freed in the same
    transaction, and the new one is taken under the same rules as a new booking.

    Nothing is visible to others until the caller commits: if the new time is taken
    meanwhile (SlotFull) or over a quota, the caller's rollback leaves the booking as it
    was, its seat never offered to anyone. With `keep_code` (the citizen's own move on
    the web, ADR 0031) the moved booking keeps its code, the one the person has written
    down, printed or put in a calendar: the old row, kept as `moved` for the record, is
    renamed to a fresh code first, so the unique code passes to the new row."""
    now = now or utcnow()
    old = await get_owned(session, code, raw_iin, key, for_update=True)
    kept = old.code
    transition(BookingStatus(old.status), BookingStatus.MOVED)
    door_here(actor, channel, center_id or old.center_id)
    service = await catalog.service(session, old.service_code)
    privilege = Privilege(old.privilege) if old.privilege else None
    ctx, start_utc, window_ids = await _prepare(session, center_id or old.center_id, service,
                                                new_start, privilege, now)
    await suspension.refuse_if_suspended(session, iin_digest(valid_iin(raw_iin), key),
                                         ctx.center.timezone, now)
    person_id, _ = await lock_person(session, None, None, person_id=old.person_id)
    await _check_person_quota(session, person_id, ctx, service, start_utc, now, exclude=old.id)
    renamed = {"code": new_code()} if keep_code else {}
    await session.execute(update(BookingRow).where(BookingRow.id == old.id).values(
        status=BookingStatus.MOVED.value, updated_at=now, **renamed))
    row = await take_seat(session, dict(
        code=kept if keep_code else new_code(), person_id=person_id, iin_masked=old.iin_masked,
        service_code=service.code, center_id=ctx.center.id, center_kind=ctx.center.kind.value,
        start_utc=start_utc, end_utc=visit_end(ctx, service, start_utc),
        local_date=start_utc.astimezone(_zone(ctx)).date(),
        status=BookingStatus.ACTIVE.value, privilege=old.privilege, channel=channel.value,
        created_at=now, updated_at=now, privilege_claim=old.privilege_claim,
        privilege_status=old.privilege_status,
        **origin_columns(origin, now.astimezone(_zone(ctx)).date()),
    ), window_ids, ctx)
    # The old seat is held back after the new one is taken: the move may reuse it.
    await rerelease.hold_back(session, old, now)
    await audit.record(session, actor, channel, "booking.reschedule", "booking", row.code,
                       {"from": kept, "start": start_utc.isoformat(),
                        **({"was": renamed["code"]} if keep_code else {})})
    after_commit.seat_freed(session, old.center_id, old.local_date)
    await contacts.carry(session, old.id, row.id)
    return row


async def expire_past(session: AsyncSession, now: dt.datetime, grace_minutes: int = 60) -> int:
    """Marks active bookings whose time has passed (plus a grace period) as expired.

    Run by a job or `kezek bookings expire`; the floor marks arrivals and no-shows, this
    closes the bookings nobody came for, so they stop counting as "upcoming".
    """
    cutoff = now - dt.timedelta(minutes=grace_minutes)
    result = await session.execute(
        update(BookingRow).where(BookingRow.status == BookingStatus.ACTIVE.value,
                                 BookingRow.start_utc < cutoff)
        .values(status=BookingStatus.EXPIRED.value, updated_at=now))
    count = int(result.rowcount)  # type: ignore[attr-defined]
    if count:
        from kezek.app.actor import SYSTEM

        await audit.record(session, SYSTEM, Channel.CLI, "booking.expire", "booking", "*",
                           {"count": count, "before": cutoff.isoformat()})
    return count
