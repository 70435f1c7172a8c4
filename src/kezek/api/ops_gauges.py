"""The gauges a scrape computes when it comes: pool use, tickets waiting, queue depth.

They are read at scrape time rather than kept up to date by the code that changes
them: the database already knows how many tickets wait and since when, and asking it
once per scrape (every 15 s or so) costs one grouped query, where updating a gauge on
every floor event would cost a write in every worker. In multiprocess mode the pool
figures are those of the worker that answered the scrape (each worker has its own pool);
the ticket and queue figures are the same whichever worker answers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from kezek.store.models import TicketRow, utcnow

log = logging.getLogger("kezek.metrics")
RECENT = dt.timedelta(hours=24)  # a ticket older than a day is a leftover, not a wait


class _Snapshot(Collector):
    def __init__(self, families: list[GaugeMetricFamily]) -> None:
        self.families = families

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self.families


def pool_families(engine: Any) -> list[GaugeMetricFamily]:
    pool = engine.sync_engine.pool
    out = GaugeMetricFamily("kezek_db_pool_checked_out",
                            "Database connections in use by this worker.")
    size = GaugeMetricFamily("kezek_db_pool_size", "Database pool size of this worker.")
    checked = getattr(pool, "checkedout", None)
    sized = getattr(pool, "size", None)
    out.add_metric([], float(checked()) if callable(checked) else 0.0)
    size.add_metric([], float(sized()) if callable(sized) else 0.0)
    return [out, size]


async def ticket_families(sessionmaker: Any, now: dt.datetime) -> list[GaugeMetricFamily]:
    waiting = GaugeMetricFamily("kezek_tickets_waiting", "Tickets waiting on the floor, "
                                "by centre.", labels=["center"])
    oldest = GaugeMetricFamily("kezek_ticket_longest_wait_seconds", "How long the "
                               "longest-waiting ticket has waited, by centre.",
                               labels=["center"])
    query = (select(TicketRow.center_id, func.count(), func.min(TicketRow.arrived_at))
             .where(TicketRow.status == "waiting", TicketRow.arrived_at >= now - RECENT)
             .group_by(TicketRow.center_id))
    async with sessionmaker() as session:
        rows = (await session.execute(query)).all()
    for center_id, count, first in rows:
        waiting.add_metric([str(center_id)], float(count))
        if first is not None:
            first = first if first.tzinfo else first.replace(tzinfo=dt.UTC)
            oldest.add_metric([str(center_id)], max(0.0, (now - first).total_seconds()))
    return [waiting, oldest]


def queue_families(settings: Any) -> list[GaugeMetricFamily]:
    from kezek.jobs.queue import jobs_for

    depth = GaugeMetricFamily("kezek_jobs_pending", "Background jobs waiting in the queue.")
    scheduled = GaugeMetricFamily("kezek_jobs_scheduled", "Background jobs scheduled for "
                                  "later (reminders).")
    huey = jobs_for(settings).huey
    depth.add_metric([], float(huey.pending_count()))
    scheduled.add_metric([], float(huey.scheduled_count()))
    return [depth, scheduled]


async def scrape_time(app: FastAPI) -> bytes:
    """The scrape-time gauges in Prometheus text; a part that cannot be read is left
    out (and logged), so that a database outage still lets the counters be scraped."""
    families = pool_families(app.state.engine)
    try:
        families += await asyncio.wait_for(
            ticket_families(app.state.sessionmaker, utcnow()), 2.0)
    except Exception as exc:  # the database is down or slow: /readyz says so
        log.warning("metrics: tickets not read: %s", type(exc).__name__)
    try:
        families += await asyncio.to_thread(queue_families, app.state.settings)
    except Exception as exc:  # the queue's store is unreachable
        log.warning("metrics: job queue not read: %s", type(exc).__name__)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Snapshot(families))
    return generate_latest(registry)
