"""Door staff confirm or reject a privilege claim after seeing the document.

A ticket (from a check-in or a walk-in) whose claim is `claimed` is shown at the door and
on the kiosk; staff decide. A rejection follows the network's `privilege_rejected` rule:
`general` keeps the visit in the general queue (the privilege is cleared, so privilege
windows no longer take it first); `refuse` closes the ticket as `left` and cancels the
booking, and the person is told why. The decision is one conditional UPDATE on a claim
still open, so two staff pressing at once decide it once; it is audited with the actor
and written to the floor's event record (which the statistics read).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit, catalog, tickets
from kezek.app.actor import Actor, Channel, Role
from kezek.core.booking import BookingStatus
from kezek.core.errors import Forbidden, InvalidState, NotFound
from kezek.core.floor import TicketStatus
from kezek.core.privilege import ClaimStatus, Decision, RejectedRule, decided
from kezek.store.models import BookingRow, TicketRow, utcnow

# A claim can be decided while the person is still on the floor (or in the line outside).
OPEN = frozenset({TicketStatus.OUTSIDE.value, TicketStatus.WAITING.value,
                  TicketStatus.CALLED.value, TicketStatus.SERVING.value})
DOOR_ROLES = (Role.DOOR, Role.OPERATOR, Role.MANAGER)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the decision did: the claim's new status, the rule applied to a rejection
    (None for a confirmation) and the ticket as it now stands."""

    status: ClaimStatus
    rule: RejectedRule | None
    ticket: TicketRow


def may_decide(actor: Actor, center_id: int) -> None:
    """Door, operators and managers of this centre, and admins (the door's roles)."""
    if actor.role is Role.ADMIN:
        return
    if actor.role not in DOOR_ROLES or center_id not in actor.centers:
        raise Forbidden()


async def decide(session: AsyncSession, center_id: int, ticket_id: int, decision: Decision,
                 actor: Actor, channel: Channel = Channel.DOOR,
                 now: dt.datetime | None = None) -> Outcome:
    """Confirms or rejects the open claim of a ticket of this centre.

    NotFound for a ticket of another centre too (no probing of ids); InvalidState for a
    ticket whose visit is over or whose claim is not open.
    """
    may_decide(actor, center_id)
    now = now or utcnow()
    ticket = await session.scalar(select(TicketRow).where(
        TicketRow.id == ticket_id, TicketRow.center_id == center_id).with_for_update())
    if ticket is None:
        raise NotFound(entity="ticket")
    if ticket.status not in OPEN:
        raise InvalidState(current=ticket.status)
    status = decided(ticket.privilege_status, decision)
    rule = None
    values: dict[str, object] = {"privilege_status": status.value}
    if status is ClaimStatus.REJECTED:
        rule = (await catalog.snapshot(session)).privilege.rejected
        values["privilege"] = None
        if rule is RejectedRule.REFUSE:
            values.update(status=TicketStatus.LEFT.value, finished_at=now)
    changed = await session.execute(
        update(TicketRow).where(TicketRow.id == ticket.id,
                                TicketRow.privilege_status == ClaimStatus.CLAIMED.value)
        .values(**values))
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidState(reason="no_open_claim")
    await session.refresh(ticket)
    booking_code = await _follow_booking(session, ticket, status, rule, now)
    details: dict[str, object] = {"center": center_id, "privilege": ticket.privilege_claim,
                                  "ticket": ticket.label}
    if rule is not None:
        details["rule"] = rule.value
    if booking_code is not None:
        details["booking"] = booking_code
    await audit.record(session, actor, channel, f"privilege.{decision.value}", "ticket",
                       ticket.id, details)
    event = "left" if rule is RejectedRule.REFUSE else f"claim_{status.value}"  # <= 16
    await tickets.record(session, ticket, event, actor, at=now, details={
        "privilege": ticket.privilege_claim, "decision": status.value,
        **({"rule": rule.value} if rule else {})})
    return Outcome(status, rule, ticket)


async def _follow_booking(session: AsyncSession, ticket: TicketRow, status: ClaimStatus,
                          rule: RejectedRule | None, now: dt.datetime) -> str | None:
    """The booking behind the ticket takes the same status (and, refused, is cancelled)."""
    if ticket.booking_id is None:
        return None
    values: dict[str, object] = {"privilege_status": status.value, "updated_at": now}
    if status is ClaimStatus.REJECTED:
        values["privilege"] = None
        if rule is RejectedRule.REFUSE:
            values["status"] = BookingStatus.CANCELLED.value
    code = await session.scalar(update(BookingRow).where(BookingRow.id == ticket.booking_id)
                                .values(**values).returning(BookingRow.code))
    return str(code) if code is not None else None


async def open_claims(session: AsyncSession, center_id: int) -> list[TicketRow]:
    """Tickets on the floor of this centre whose claim waits for the door, oldest first."""
    return list((await session.scalars(
        select(TicketRow).where(TicketRow.center_id == center_id,
                                TicketRow.privilege_status == ClaimStatus.CLAIMED.value,
                                TicketRow.status.in_(OPEN))
        .order_by(TicketRow.arrived_at, TicketRow.id))).all())
