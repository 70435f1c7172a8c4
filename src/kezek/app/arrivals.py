"""Arrivals at the door: check-in with a booking, walk-ins, and offers of a slot.

A booked person on time gets a ticket in the booked class. Late beyond the grace period,
they are a walk-in at a mixed centre and are offered the next slot at a booking-only
one. A walk-in at a mixed centre gets a ticket; at a booking-only centre, the nearest
free slot (now, later today or another day) to book on the spot. A person asking for
an online service without a privilege is sent online (ServiceNotOffered, reason online).
At the occupancy limit nobody is turned away: the ticket waits `outside` until the door
admits a group (app.admission), and keeps its arrival time. The count of people inside
and the new ticket are decided under the centre's lock, so the limit holds under
concurrent arrivals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import admission, audit, catalog, day_end, tickets
from kezek.app.actor import Actor, Channel
from kezek.app.booking import get_owned, valid_iin
from kezek.app.catalog import CenterContext
from kezek.app.identity.ports import Directory
from kezek.app.privilege_check import audit_details, verify
from kezek.app.seats import lock_person
from kezek.app.slots import FreeSlot, free_slots
from kezek.core import iin as iin_rules
from kezek.core.errors import InvalidState, NotFound
from kezek.core.floor import (
    ACTIVE,
    FloorRules,
    TicketStatus,
    arrival_is_on_time,
    prefix_for,
)
from kezek.core.network import CenterFormat
from kezek.core.policy import Privilege, eligible_windows
from kezek.core.privacy import iin_digest
from kezek.store.models import BookingRow, PersonRow, TicketRow, utcnow

OFFER_SLOTS = 3


@dataclass(frozen=True, slots=True)
class Offer:
    """No ticket now: the nearest free times, to book on the spot."""

    reason: str  # "booking_only" or "late"
    service: str
    slots: list[FreeSlot]


def floor_rules(ctx: CenterContext) -> FloorRules:
    return ctx.floor


async def occupancy(session: AsyncSession, center_id: int) -> int:
    """People inside the centre now (waiting, called or being served)."""
    return int(await session.scalar(select(func.count()).select_from(TicketRow).where(
        TicketRow.center_id == center_id, TicketRow.status.in_([s.value for s in ACTIVE])))
        or 0)


async def _enter(session: AsyncSession, ctx: CenterContext, prefix: str,
                 values: dict[str, Any], actor: Actor, now: dt.datetime,
                 clock: bool = False) -> TicketRow:
    """Issues the ticket inside or outside, as the occupancy allows (under the lock).

    With `clock` (no time given by the caller) the arrival time is read once the centre's
    lock is held: the line outside is ordered by arrival, so an arrival stamped before
    it waited for the lock was put ahead of people already told their place, and 30
    people arriving together were told 15 distinct places (issue 12). Stamped under the
    lock, the order of arrival is the order the database let them in: places are unique.
    """
    await day_end.close_past_days(session, ctx.center.id, _today(ctx, now))
    status = await admission.entry_status(session, ctx)
    if clock:
        now = max(now, utcnow())
    ticket = await tickets.issue(session, ctx.center.id, _today(ctx, now), prefix,
                                 {**values, "status": status.value, "arrived_at": now}, actor)
    if status is TicketStatus.OUTSIDE:
        await admission.refill(session, ctx, actor, now)
    return ticket


def _today(ctx: CenterContext, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(ctx.center.timezone)).date()


async def check_in(session: AsyncSession, center_id: int, code: str | None, raw_iin: str,
                   key: bytes, actor: Actor, now: dt.datetime | None = None
                   ) -> TicketRow | Offer:
    """Checks in a booked person by code and IIN, or by IIN alone (today's booking here)."""
    clock, now = now is None, now or utcnow()
    ctx = await catalog.center(session, center_id)
    # `where="door"`: the door's and the kiosk's words, which say what to do (i18n).
    try:
        if code:
            booking = await get_owned(session, code, raw_iin, key, for_update=True)
        else:
            booking = await _todays_booking(session, ctx, raw_iin, key, now)
    except NotFound as exc:
        raise NotFound(**exc.params, where="door") from exc
    if booking.center_id != center_id:
        raise InvalidState(reason="other_center", where="door")
    if booking.status != "active":  # the door says which: a second check-in, a cancelled...
        raise InvalidState(reason=f"booking_{booking.status}", current=booking.status,
                           target="checked_in", where="door",
                           **await _earlier_ticket(session, ctx, booking))
    if booking.local_date != _today(ctx, now):
        raise InvalidState(reason="other_day", where="door")
    rules = floor_rules(ctx)
    on_time = arrival_is_on_time(booking.start_utc, now, rules)
    if not on_time and ctx.center.format is CenterFormat.BOOKING_ONLY:
        return Offer("late", booking.service_code, await _offer_slots(
            session, ctx, booking.service_code, now, _privilege(booking.privilege)))
    await session.execute(update(BookingRow).where(BookingRow.id == booking.id)
                          .values(status="checked_in", updated_at=now))
    privileged = booking.privilege is not None
    sector = (await catalog.service(session, booking.service_code)).sector.value
    return await _enter(session, ctx, prefix_for(sector, privileged, rules), dict(
        booking_id=booking.id, person_id=booking.person_id, iin_masked=booking.iin_masked,
        services=[booking.service_code], privilege=booking.privilege,
        privilege_claim=booking.privilege_claim, privilege_status=booking.privilege_status,
        kind="booked" if on_time else "walk_in",
        booked_start=booking.start_utc if on_time else None), actor, now, clock)


async def _earlier_ticket(session: AsyncSession, ctx: CenterContext,
                          booking: BookingRow) -> dict[str, str]:
    """For a second check-in: the ticket the first one gave and when (local time), so the
    door and the kiosk can say "already checked in at 10:02, ticket A-012" (issue 13)."""
    if booking.status != "checked_in":
        return {}
    ticket = await session.scalar(select(TicketRow).where(TicketRow.booking_id == booking.id)
                                  .order_by(TicketRow.id.desc()).limit(1))
    if ticket is None:
        return {}
    arrived = ticket.arrived_at
    if arrived.tzinfo is None:
        arrived = arrived.replace(tzinfo=dt.UTC)
    local = arrived.astimezone(ZoneInfo(ctx.center.timezone))
    return {"ticket": ticket.label, "at": local.strftime("%H:%M")}


async def _todays_booking(session: AsyncSession, ctx: CenterContext, raw_iin: str, key: bytes,
                          now: dt.datetime) -> BookingRow:
    """The person's active booking at this centre today, the earliest if several."""
    iin = valid_iin(raw_iin)
    found = await session.scalar(
        select(BookingRow).join(PersonRow, PersonRow.id == BookingRow.person_id)
        .where(PersonRow.iin_hash == iin_digest(iin, key), BookingRow.center_id == ctx.center.id,
               BookingRow.local_date == _today(ctx, now), BookingRow.status == "active")
        .order_by(BookingRow.start_utc).limit(1).with_for_update(of=BookingRow))
    if found is None:
        raise NotFound(entity="booking")
    return found


def _privilege(value: str | None) -> Privilege | None:
    return Privilege(value) if value else None


async def walk_in(session: AsyncSession, center_id: int, raw_iin: str,
                  service_codes: str | list[str], privilege: Privilege | None, key: bytes,
                  actor: Actor, now: dt.datetime | None = None,
                  directory: Directory | None = None) -> TicketRow | Offer:
    """A walk-in for one or several services (a visit can hold several).

    A privilege claim is checked like a booking's (`privilege_check.verify`): refused if
    the registry knows better, else the ticket shows it `claimed` for the door to decide."""
    clock, now = now is None, now or utcnow()
    iin = valid_iin(raw_iin)
    ctx = await catalog.center(session, center_id)
    codes = [service_codes] if isinstance(service_codes, str) else list(dict.fromkeys(
        service_codes))
    if not codes:
        raise InvalidState(reason="no_service")
    services = [await catalog.service(session, code) for code in codes]
    for service in services:  # sends online services online, refuses what is not here
        eligible_windows(ctx.center, service, ctx.windows, privilege)
    first = services[0]
    if ctx.center.format is CenterFormat.BOOKING_ONLY:
        return Offer("booking_only", first.code,
                     await _offer_slots(session, ctx, first.code, now, privilege))
    verdict = await verify(session, directory, iin, privilege)
    person_id, _ = await lock_person(session, iin_digest(iin, key), iin_rules.mask(iin))
    prefix = prefix_for(first.sector.value, privilege is not None, floor_rules(ctx))
    ticket = await _enter(session, ctx, prefix,
                          dict(person_id=person_id, iin_masked=iin_rules.mask(iin),
                               services=[s.code for s in services],
                               privilege=privilege.value if privilege else None,
                               privilege_claim=privilege.value if privilege else None,
                               privilege_status=verdict.status.value if verdict.status else None,
                               kind="walk_in"),
                          actor, now, clock)
    if privilege is not None:  # the claim has its own audit row, as a booking's has
        await audit.record(session, actor, Channel.DOOR, "privilege.claim", "ticket",
                           ticket.id, {"center": center_id, "privilege": privilege.value,
                                       "ticket": ticket.label, **audit_details(verdict)})
    return ticket


async def _offer_slots(session: AsyncSession, ctx: CenterContext, service: str,
                       now: dt.datetime, privilege: Privilege | None) -> list[FreeSlot]:
    found = await free_slots(session, ctx.center.id, service, _today(ctx, now),
                             ctx.center.horizon_days + 1, now, privilege)
    return found[:OFFER_SLOTS]
