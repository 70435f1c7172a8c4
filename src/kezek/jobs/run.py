"""Running what is due once, without a consumer: for cron-like use and for tests.

It does what a consumer's loop does, at one moment: scheduled tasks whose time came,
then every queued task, then the periodic sweep.
"""

from __future__ import annotations

import datetime as dt

from kezek.jobs import flows
from kezek.jobs.queue import Jobs
from kezek.jobs.tasks import pin, run, unpin
from kezek.store.models import utcnow


def run_due(jobs: Jobs, now: dt.datetime | None = None) -> dict[str, int]:
    """Runs everything due at `now` (the current time by default); returns counts."""
    now = now or utcnow()
    stamp = now.astimezone(dt.UTC).replace(tzinfo=None)  # huey keeps naive UTC
    token = pin(now)
    try:
        huey = jobs.huey
        scheduled = 0
        for task in huey.read_schedule(stamp):
            huey.execute(task, stamp)
            scheduled += 1
        queued = 0
        while (task := huey.dequeue()) is not None:
            queued += huey.ready_to_run(task, stamp)  # a later one goes to the schedule
            huey.execute(task, stamp)
        settings = jobs.settings
        swept = run(settings, lambda sm: flows.sweep(sm, settings, now))
    finally:
        unpin(token)
    return {"scheduled": scheduled, "queued": queued, **swept}
