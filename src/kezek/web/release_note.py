"""The note the booking page shows about the newest day of the horizon (ADR 13): when
booking for it opens, or that its places are given by ballot now, with the link in."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog
from kezek.core.release import Phase, ballot_closes, newest_day, next_opening, phase
from kezek.core.slots import local_today
from kezek.display import day_label
from kezek.web.i18n_ui import ui


async def release_note(s: AsyncSession, center_id: int, service_code: str, lang: str,
                       now: dt.datetime) -> dict[str, Any] | None:
    """What the booking page says about the newest day: when it opens, or that it is in
    its ballot (with the link to enter), or nothing once it is open."""
    ctx = await catalog.center(s, center_id)
    zone = ZoneInfo(ctx.center.timezone)
    day = newest_day(ctx.center, local_today(ctx.center, now))
    found = phase(ctx.center, ctx.policy, day, now)
    if found is Phase.CLOSED:
        opens = next_opening(ctx.center, ctx.policy, now)
        if opens is None:
            return None
        time = opens.astimezone(zone).strftime("%H:%M")
        return {"title": ui("rel_opens_title", lang, day=day_label(day, lang), time=time),
                "body": ui("rel_opens_body", lang, time=time), "link": None}
    if found is Phase.BALLOT:
        closes = ballot_closes(ctx.center, ctx.policy, day)
        assert closes is not None
        time = closes.astimezone(zone).strftime("%H:%M")
        return {"title": ui("rel_ballot_title", lang, day=day_label(day, lang)),
                "body": ui("rel_ballot_body", lang, time=time),
                "link": f"/ballot/{service_code}/{center_id}?day={day.isoformat()}"}
    return None
