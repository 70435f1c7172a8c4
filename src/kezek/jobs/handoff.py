"""How the edge passes work to the queue: after its commit, never before.

`split` takes the job messages out of a committed session's outbox; `hand_over`
enqueues them. A queue that cannot be reached does not fail the request (its change is
committed already): the message is logged and the periodic sweep does the work.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, Protocol

from kezek import metrics
from kezek.app.after_commit import JOBS_TOPIC, METRICS_TOPIC
from kezek.jobs.queue import Jobs

log = logging.getLogger("kezek.jobs")

Message = tuple[str, dict[str, Any]]


def split(messages: list[Message]) -> tuple[list[dict[str, Any]], list[Message]]:
    """(job messages, live messages)."""
    jobs = [m for topic, m in messages if topic == JOBS_TOPIC]
    return jobs, [(t, m) for t, m in messages if t != JOBS_TOPIC]


def hand_over(jobs: Jobs, messages: list[dict[str, Any]]) -> int:
    """Enqueues each message's task; returns how many were queued."""
    queued = 0
    for m in messages:
        try:
            if m["job"] == "booking_made":
                jobs.tasks.booking_made(m["booking_id"])
            elif m["job"] == "seat_freed":
                jobs.tasks.seat_freed(m["center_id"], m["day"])
            elif m["job"] == "hold_ends":
                jobs.tasks.hold_ended.schedule(
                    args=(m["center_id"], m["day"]),
                    eta=dt.datetime.fromisoformat(m["until"]))
            elif m["job"] == "offer_made":
                jobs.tasks.offer_made(m["entry_id"])
            elif m["job"] == "staff_cancelled":
                jobs.tasks.staff_cancelled(m["booking_id"], m["reason"])
            elif m["job"] == "booking_changed":
                jobs.tasks.booking_changed(m["booking_id"], m["kind"])
            elif m["job"] == "line_moved":
                jobs.tasks.line_moved(m["center_id"])
            elif m["job"] == "visit_finished":
                jobs.tasks.visit_finished(m["ticket_id"])
            elif m["job"] == "ballot_drawn":
                jobs.tasks.ballot_drawn(m["center_id"], m["day"])
            else:
                log.warning("unknown job %s", m["job"])
                continue
            queued += 1
        except Exception as exc:  # the sweep catches up with whatever was not queued
            log.warning("could not queue %s (%s); the sweep will do it", m["job"],
                        type(exc).__name__)
    return queued


class Publisher(Protocol):
    async def publish(self, topic: str, message: dict[str, Any]) -> None: ...


async def deliver(messages: list[Message], jobs: Callable[[], Jobs] | None,
                  broker: Publisher | None) -> None:
    """What every edge does after its commit: jobs to the queue, live messages out.

    `jobs` is called only when there are jobs, so an edge without any never opens a queue.
    """
    job_messages, live = split(messages)
    for topic, message in live:
        if topic == METRICS_TOPIC:
            metrics.BOOKINGS.labels(message["booked"]).inc()
    live = [(t, m) for t, m in live if t != METRICS_TOPIC]
    if job_messages and jobs is not None:
        hand_over(jobs(), job_messages)
    if broker is not None:
        for topic, message in live:
            await broker.publish(topic, message)
