"""The floor's day ends: tickets of an earlier day still open are closed.

Nobody waits overnight. A person still outside, waiting or called at closing has gone
home ('left'); one at a window was served ('done'). Without this, yesterday's stragglers
would count against today's occupancy limit and could be called to a window. It runs
where the day's floor work starts (arrivals and call-next): one indexed UPDATE, which
finds nothing after the first of the day, so no background job has to be running.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import case, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app.actor import SYSTEM
from kezek.core.floor import TicketStatus
from kezek.store.models import FloorEventRow, TicketRow, utcnow

GONE = (TicketStatus.OUTSIDE, TicketStatus.WAITING, TicketStatus.CALLED)


def local_today(timezone: str, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(timezone)).date()


async def close_past_days(session: AsyncSession, center_id: int, today: dt.date) -> int:
    """Closes the centre's open tickets of days before `today`; returns how many.

    One UPDATE for both outcomes (a CASE on the status): it runs on every arrival and
    every call-next and almost always finds nothing, so its round trips count (it was
    one per outcome; bench/ANALYSIS.md, national hour)."""
    serving = TicketStatus.SERVING.value
    rows = (await session.execute(
        update(TicketRow)
        .where(TicketRow.center_id == center_id, TicketRow.day < today,
               TicketRow.status.in_([s.value for s in GONE] + [serving]))
        .values(status=case((TicketRow.status == serving, TicketStatus.DONE.value),
                            else_=TicketStatus.LEFT.value))
        .returning(TicketRow.id, TicketRow.window_id, TicketRow.status))).all()
    if rows:
        now = utcnow()
        await session.execute(insert(FloorEventRow), [
            {"at": now, "center_id": center_id, "ticket_id": tid, "kind":
             "finished" if status == TicketStatus.DONE.value else "left",
             "window_id": wid, "actor": SYSTEM.label, "details": {"reason": "day_closed"}}
            for tid, wid, status in rows])
    return len(rows)
