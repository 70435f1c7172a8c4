"""Background work a transaction asks for, handed to the job queue only after it commits.

Services call these while they work; the messages ride the session's outbox
(`kezek.app.outbox`) on the `jobs` topic, and the edge that commits hands them to the
queue (`kezek.jobs.handoff`). A rolled-back transaction drops its outbox, so a booking
that never existed is never reminded of, and a seat that was never freed is never offered.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app.outbox import queue_message

JOBS_TOPIC = "jobs"
# Counted by the edge after the commit (kezek.jobs.handoff), never published: a booking
# rolled back after `book` returned (a later check of the same transaction refused it)
# is not counted as made.
METRICS_TOPIC = "metrics"


def booking_made(session: AsyncSession, booking_id: int) -> None:
    """Plan the reminders of a booking (made, moved here, or accepted from the waitlist)."""
    queue_message(session, JOBS_TOPIC, {"job": "booking_made", "booking_id": booking_id})


def seat_freed(session: AsyncSession, center_id: int, day: dt.date) -> None:
    """Offer a freed seat to the first in the waitlist line for that centre and day."""
    queue_message(session, JOBS_TOPIC, {"job": "seat_freed", "center_id": center_id,
                                        "day": day.isoformat()})


def hold_ends(session: AsyncSession, center_id: int, day: dt.date, until: dt.datetime
              ) -> None:
    """At `until`, return the centre's held-back seats of that day (waitlist first): a
    task scheduled for that moment, so the seat is back when its hold ends, not at the
    next minute's sweep (which still catches up if the task is lost)."""
    queue_message(session, JOBS_TOPIC, {"job": "hold_ends", "center_id": center_id,
                                        "day": day.isoformat(), "until": until.isoformat()})


def offer_made(session: AsyncSession, entry_id: int) -> None:
    """Tell a waiting person that a seat is held for them."""
    queue_message(session, JOBS_TOPIC, {"job": "offer_made", "entry_id": entry_id})


def staff_cancelled(session: AsyncSession, booking_id: int, reason: str) -> None:
    """Tell the person that staff cancelled their booking, and why (app/abuse/notice.py)."""
    queue_message(session, JOBS_TOPIC, {"job": "staff_cancelled", "booking_id": booking_id,
                                        "reason": reason})


def booking_changed(session: AsyncSession, booking_id: int, kind: str) -> None:
    """Tell the person that someone else moved or cancelled their booking
    (app/change_notice.py; `kind` is one of its kinds)."""
    queue_message(session, JOBS_TOPIC, {"job": "booking_changed", "booking_id": booking_id,
                                        "kind": kind})


def line_moved(session: AsyncSession, center_id: int) -> None:
    """Someone was called at the centre: tell whoever is now near their turn
    (app/turn_notice.py)."""
    queue_message(session, JOBS_TOPIC, {"job": "line_moved", "center_id": center_id})


def visit_finished(session: AsyncSession, ticket_id: int) -> None:
    """A visit was served: ask the person how it went (app/feedback_notice.py)."""
    queue_message(session, JOBS_TOPIC, {"job": "visit_finished", "ticket_id": ticket_id})


def booking_counted(session: AsyncSession, channel: str) -> None:
    """Count one booking made on this channel once the transaction commits."""
    queue_message(session, METRICS_TOPIC, {"booked": channel})
