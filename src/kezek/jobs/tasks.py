"""The huey tasks: thin wrappers that run a flow of `kezek.jobs.flows` in its own loop.

Tasks take plain values (ids, ISO strings) so that any worker can run them. Each task
reads the time from `now()`, which `run_due` may pin so that a run is judged at one
moment from start to end.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from huey import Huey, crontab
from huey.api import TaskWrapper
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kezek.jobs import flows
from kezek.logs import correlate, uncorrelate
from kezek.settings import Settings
from kezek.store.models import utcnow

T = TypeVar("T")
_pinned: ContextVar[dt.datetime | None] = ContextVar("kezek_jobs_now", default=None)


def now() -> dt.datetime:
    return _pinned.get() or utcnow()


def pin(moment: dt.datetime | None) -> Any:
    """Pins `now()` for the current context; returns the token to reset it with."""
    return _pinned.set(moment)


def unpin(token: Any) -> None:
    _pinned.reset(token)


def run(settings: Settings, work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]
        ) -> T:
    """Runs a flow with its own correlation id, so that a job's log lines can be told
    from another's (the loop's context is a copy of this one)."""
    token = correlate("job")
    try:
        return asyncio.run(flows.with_db(settings, work))
    finally:
        uncorrelate(token)


@dataclass(frozen=True)
class Tasks:
    booking_made: TaskWrapper
    send_reminder: TaskWrapper
    seat_freed: TaskWrapper
    offer_made: TaskWrapper
    sweep: TaskWrapper
    staff_cancelled: TaskWrapper
    ballot_drawn: TaskWrapper
    hold_ended: TaskWrapper
    booking_changed: TaskWrapper
    line_moved: TaskWrapper
    visit_finished: TaskWrapper


Decorator = Callable[[Callable[..., Any]], TaskWrapper]


def _task(huey: Huey, **options: Any) -> Decorator:
    """huey's `task` decorator, typed (huey ships no type hints)."""
    decorator: Decorator = huey.task(**options)
    return decorator


def _periodic(huey: Huey, when: Any, **options: Any) -> Decorator:
    decorator: Decorator = huey.periodic_task(when, **options)
    return decorator


def register(huey: Huey, settings: Settings) -> Tasks:
    """Registers Kezek's tasks on `huey`, closed over the settings they run with."""

    @_task(huey, name="send_reminder")
    def send_reminder(booking_id: int, kind: str, start: str) -> int:
        at = dt.datetime.fromisoformat(start)
        return run(settings, lambda sm: flows.send_reminder(sm, settings, booking_id, kind,
                                                            at, now()))

    @_task(huey, name="booking_made")
    def booking_made(booking_id: int) -> int:
        """Schedules the booking's reminders at their due times (none without a contact)."""
        planned = run(settings, lambda sm: flows.plan_booking(sm, booking_id))
        if planned is None:
            return 0
        start, reminders = planned
        for kind, due in reminders:
            send_reminder.schedule(args=(booking_id, kind, start.isoformat()), eta=due)
        return len(reminders)

    @_task(huey, name="seat_freed")
    def seat_freed(center_id: int, day: str) -> int:
        return run(settings, lambda sm: flows.offer_seats(
            sm, settings, center_id, dt.date.fromisoformat(day), now()))

    @_task(huey, name="offer_made")
    def offer_made(entry_id: int) -> int:
        return run(settings, lambda sm: flows.send_offer(sm, settings, entry_id, now()))

    @_task(huey, name="staff_cancelled")
    def staff_cancelled(booking_id: int, reason: str) -> int:
        return run(settings, lambda sm: flows.send_cancel_notice(sm, settings, booking_id,
                                                                 reason, now()))

    @_periodic(huey, crontab(minute="*"), name="sweep")
    def sweep() -> dict[str, int]:
        return run(settings, lambda sm: flows.sweep(sm, settings, now()))

    @_task(huey, name="ballot_drawn")
    def ballot_drawn(center_id: int, day: str) -> int:
        """Tells everyone in a drawn ballot their result."""
        return run(settings, lambda sm: flows.send_ballot_results(
            sm, settings, center_id, dt.date.fromisoformat(day), now()))

    @_task(huey, name="hold_ended")
    def hold_ended(center_id: int, day: str) -> int:
        """Returns the day's held-back seats whose hold has ended, the waitlist first."""
        return run(settings, lambda sm: flows.return_held(
            sm, settings, center_id, dt.date.fromisoformat(day), now()))

    @_task(huey, name="booking_changed")
    def booking_changed(booking_id: int, kind: str) -> int:
        """Tells the person that the call centre moved or cancelled their booking."""
        return run(settings, lambda sm: flows.send_change_notice(sm, settings, booking_id,
                                                                 kind, now()))

    @_task(huey, name="line_moved")
    def line_moved(center_id: int) -> int:
        """Tells the booked people now near their turn at the centre (once each)."""
        return run(settings, lambda sm: flows.send_turn_near(sm, settings, center_id,
                                                             now()))

    @_task(huey, name="visit_finished")
    def visit_finished(ticket_id: int) -> int:
        """Asks the person whose visit was served how it went (once)."""
        return run(settings, lambda sm: flows.send_feedback_request(sm, settings,
                                                                    ticket_id, now()))

    return Tasks(booking_made, send_reminder, seat_freed, offer_made, sweep, staff_cancelled,
                 ballot_drawn, hold_ended, booking_changed, line_moved, visit_finished)
