"""Counts of privilege claims per centre and per privilege, from what the floor recorded.

A visit is counted once: a booking (whatever became of it, but not a waitlist hold), or a
walk-in ticket without a booking (a checked-in booking's ticket shares its status, so it
is the booking that counts). For each (centre, privilege): how many claimed it, how many
the registry verified at booking, how many door staff confirmed and rejected, and how
many are still open (`claimed`: nobody has looked at the document yet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.core.privilege import ClaimStatus
from kezek.store.models import BookingRow, TicketRow

HOLDS = ("held", "released")  # waitlist seats held for an offer: not (yet) a booking


@dataclass(frozen=True, slots=True)
class ClaimCounts:
    center_id: int
    privilege: str
    claims: int
    verified: int
    confirmed: int
    rejected: int
    open: int


def _counted(status: Any, wanted: ClaimStatus) -> Any:
    return func.sum(case((status == wanted.value, 1), else_=0))


async def counts(session: AsyncSession, centers: Iterable[int] | None = None,
                 start: dt.date | None = None, end: dt.date | None = None
                 ) -> list[ClaimCounts]:
    """The counts, by centre and privilege, for visits on days in [start, end]."""
    b, t = BookingRow, TicketRow
    booked = select(
        b.center_id.label("center_id"), b.privilege_claim.label("claim"),
        b.privilege_status.label("status")).where(
        b.privilege_claim.is_not(None), b.status.not_in(HOLDS))
    walked = select(
        t.center_id.label("center_id"), t.privilege_claim.label("claim"),
        t.privilege_status.label("status")).where(
        t.privilege_claim.is_not(None), t.booking_id.is_(None))
    wanted = list(centers) if centers is not None else None
    if wanted is not None:
        booked, walked = booked.where(b.center_id.in_(wanted)), walked.where(
            t.center_id.in_(wanted))
    if start is not None:
        booked, walked = booked.where(b.local_date >= start), walked.where(t.day >= start)
    if end is not None:
        booked, walked = booked.where(b.local_date <= end), walked.where(t.day <= end)
    visits = union_all(booked, walked).subquery("v")
    v = visits.c
    rows = (await session.execute(
        select(v.center_id, v.claim, func.count(literal(1)),
               _counted(v.status, ClaimStatus.VERIFIED),
               _counted(v.status, ClaimStatus.CONFIRMED),
               _counted(v.status, ClaimStatus.REJECTED),
               _counted(v.status, ClaimStatus.CLAIMED))
        .group_by(v.center_id, v.claim).order_by(v.center_id, v.claim))).all()
    return [ClaimCounts(int(c), str(p), int(n), int(ver or 0), int(con or 0), int(rej or 0),
                        int(op or 0)) for c, p, n, ver, con, rej, op in rows]
