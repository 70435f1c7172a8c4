"""What people said of their visits, counted for staff: per centre, per service at a
centre, or per window at a centre; how many answered, the mean rating and the share of
4s and 5s (the "satisfied" share the network reports)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.store.models import VisitFeedbackRow

By = Literal["centre", "service", "window"]


@dataclass(frozen=True, slots=True)
class FeedbackCounts:
    center_id: int
    service_code: str | None  # set when counted by service
    window_id: int | None  # set when counted by window
    answers: int
    mean: float
    satisfied: float  # the share of 4 and 5, 0..1


async def counts(session: AsyncSession, by: By = "centre",
                 centers: Iterable[int] | None = None, start: dt.date | None = None,
                 end: dt.date | None = None) -> list[FeedbackCounts]:
    """The counts for answers given on days in [start, end] (UTC), best known first."""
    f = VisitFeedbackRow
    keys: list[Any] = [f.center_id]
    if by == "service":
        keys.append(f.service_code)
    elif by == "window":
        keys.append(f.window_id)
    stmt = select(*keys, func.count(), func.avg(f.rating),
                  func.sum(case((f.rating >= 4, 1), else_=0))).group_by(*keys)
    if centers is not None:
        stmt = stmt.where(f.center_id.in_(list(centers)))
    if start is not None:
        stmt = stmt.where(f.created_at >= dt.datetime.combine(start, dt.time(), dt.UTC))
    if end is not None:
        stmt = stmt.where(f.created_at < dt.datetime.combine(
            end + dt.timedelta(days=1), dt.time(), dt.UTC))
    out = []
    for row in (await session.execute(stmt.order_by(*keys))).all():
        center_id, *rest = row[:len(keys)]
        answers, mean, satisfied = row[len(keys):]
        out.append(FeedbackCounts(
            int(center_id), rest[0] if by == "service" else None,
            rest[0] if by == "window" else None, int(answers), round(float(mean), 2),
            round(int(satisfied) / int(answers), 3)))
    return out
