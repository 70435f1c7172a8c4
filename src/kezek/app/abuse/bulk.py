"""Cancelling a hoard: many bookings at once, each through the one cancel path.

Staff name a group of the abuse view (day, grouping, key) or booking codes, and a
reason from a fixed list (its words go to the people concerned in their language; a
free note stays in the audit). Each active booking is cancelled by `booking.cancel_row`,
so its seat is freed and offered to the waitlist exactly as when the person cancels,
audited with the staff member's name, and a notice is queued for after the commit.
Bookings already cancelled (or otherwise closed) are reported, not touched: sending the
same request again cancels nothing twice and notifies no one twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import after_commit, booking
from kezek.app.abuse import summary
from kezek.app.actor import Actor, Channel
from kezek.core.abuse import Grouping
from kezek.core.booking import BookingStatus, normalize_code
from kezek.core.errors import ValidationFailed
from kezek.logs import redact
from kezek.store.models import BookingRow

MAX_CODES = 500
NOTE_LIMIT = 300


class Reason(StrEnum):
    """Why staff cancelled: each has a sentence in the notice (app/abuse/notice.py)."""

    HOARD = "hoard"  # many bookings from one source
    RESALE = "resale"  # bookings offered for sale
    DUPLICATE = "duplicate"  # the same person booked over and over
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Target:
    """What to cancel: a group of the abuse view, or explicit codes (not both)."""

    day: dt.date | None = None
    by: Grouping | None = None
    key: str | None = None
    codes: tuple[str, ...] = ()

    def check(self) -> None:
        group = self.day is not None and self.by is not None and bool(self.key)
        if group == bool(self.codes):
            raise ValidationFailed(detail="give day, by and key, or codes")
        if len(self.codes) > MAX_CODES:
            raise ValidationFailed(detail=f"at most {MAX_CODES} codes")


@dataclass(slots=True)
class Outcome:
    cancelled: list[BookingRow] = field(default_factory=list)
    unchanged: list[BookingRow] = field(default_factory=list)  # already closed
    not_found: list[str] = field(default_factory=list)  # codes unknown or not theirs


async def _rows(session: AsyncSession, target: Target, centers: Collection[int] | None
                ) -> tuple[list[BookingRow], list[str]]:
    if target.codes:
        codes = sorted({normalize_code(c) for c in target.codes})
        stmt = (select(BookingRow).where(BookingRow.code.in_(codes),
                                         BookingRow.status.not_in(booking.WAITLIST_HOLDS))
                .order_by(BookingRow.id).with_for_update())
        if centers is not None:
            stmt = stmt.where(BookingRow.center_id.in_(sorted(centers)))
        rows = list((await session.scalars(stmt)).all())
        found = {r.code for r in rows}
        return rows, [c for c in codes if c not in found]
    assert target.day is not None and target.by is not None and target.key is not None
    return await summary.members(session, target.day, target.by, target.key, centers), []


async def cancel(session: AsyncSession, target: Target, reason: Reason, note: str,
                 actor: Actor, channel: Channel, centers: Collection[int] | None = None
                 ) -> Outcome:
    """Cancels the target's active bookings within `centers` (None: the network)."""
    target.check()
    note = redact(note.strip())[:NOTE_LIMIT]
    rows, missing = await _rows(session, target, centers)
    out = Outcome(not_found=missing)
    details = {"reason": reason.value, "note": note, "by": actor.label,
               "group": {"day": target.day.isoformat(), "by": target.by.value,
                         "key": target.key} if target.key and target.day and target.by
               else None}
    for row in rows:
        if row.status != BookingStatus.ACTIVE.value:
            out.unchanged.append(row)
            continue
        await booking.cancel_row(session, row, actor, channel, details)
        after_commit.staff_cancelled(session, row.id, reason.value)
        out.cancelled.append(row)
    return out
