"""Visit feedback over the API: the counts for staff (GET /api/v1/feedback/stats).

Analysts see the network; a manager only their own centres (403 for another's), as
the other statistics (routes_privilege.py). The answers themselves, comments included,
are not listed here: a comment is free text a person may have put a name in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from kezek.api.auth import Statistician
from kezek.api.deps import tx
from kezek.api.schemas import BodyId, QueryId
from kezek.app import feedback_stats
from kezek.app.actor import Role
from kezek.core.errors import Forbidden

router = APIRouter(prefix="/api/v1", tags=["feedback"])


class FeedbackCountsOut(BaseModel):
    center: BodyId
    service: str | None = Field(None, description="set when counted by service")
    window: int | None = Field(None, description="the window's id, when counted by window")
    answers: int
    mean: float = Field(description="mean rating, 1-5")
    satisfied: float = Field(description="share of ratings 4 and 5, 0-1")


@router.get("/feedback/stats", response_model=list[FeedbackCountsOut])
async def stats(request: Request, center: QueryId = None,
                by: feedback_stats.By = Query("centre", description="centre, service or "
                                              "window (within each centre)"),
                start: dt.date | None = Query(None, alias="from"),
                end: dt.date | None = Query(None, alias="to"), *, actor: Statistician
                ) -> list[FeedbackCountsOut]:
    """Ratings people gave after served visits on days from..to: answers, mean rating
    and the share of 4-5, per centre, per service or per window."""
    wanted: Any = None
    if actor.role is Role.MANAGER:
        if center is not None and center not in actor.centers:
            raise Forbidden()
        wanted = [center] if center is not None else list(actor.centers)
    elif center is not None:
        wanted = [center]
    async with tx(request) as s:
        rows = await feedback_stats.counts(s, by, wanted, start, end)
    return [FeedbackCountsOut(center=r.center_id, service=r.service_code, window=r.window_id,
                              answers=r.answers, mean=r.mean, satisfied=r.satisfied)
            for r in rows]
