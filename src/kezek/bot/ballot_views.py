"""The ballot in chat text: the offer beside the days, a request's summary, its status.

Kept apart from the handlers (`bot.ballot`) so that `bot.pick` can show the offer
without importing the ballot's steps, which import `pick` themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import ballot, catalog, network
from kezek.bot.common import Deps
from kezek.bot.texts import t
from kezek.bot.views import code_text, day_label, name_in, when_text
from kezek.display import full_date
from kezek.store.models_release import LOST, WON, BallotEntryRow


@dataclass(frozen=True, slots=True)
class Offer:
    """What the days screen says about a day in its ballot, and its button's label."""

    text: str
    label: str


def clock(moment: dt.datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M")


async def offer(deps: Deps, centre_id: int, lang: str) -> Offer | None:
    """The note and button for the centre's day in its ballot, or None."""
    async with deps.tx() as s:
        found = await ballot.open_ballot(s, centre_id)
        if found is None:
            return None
        zone = (await catalog.center(s, centre_id)).center.timezone
    day = day_label(found.day, lang)
    return Offer(t("ballot_note", lang, day=day, time=clock(found.closes, zone)),
                 t("btn_ballot", lang, day=day))


def times_text(starts: Sequence[dt.datetime], zone: str) -> str:
    """Ranked times as "1) 10:00  2) 11:30"."""
    return "  ".join(f"{i}) {clock(x, zone)}" for i, x in enumerate(starts, 1))


async def summary(s: AsyncSession, service_code: str, centre_id: int, day: dt.date,
                  choices: Sequence[dt.datetime], lang: str) -> str:
    """Service, centre, day, the ranked times and when the draw is."""
    service = await catalog.service(s, service_code)
    centre = await network.center_row(s, centre_id)
    closes = await ballot.draw_time(s, centre_id, day)
    draw = when_text(closes, centre.timezone, lang) if closes is not None else "—"
    return t("ballot_summary", lang, service=service.names.get(lang),
             centre=name_in(centre, lang), day=full_date(day, lang),
             times=times_text(choices, centre.timezone), draw=draw)


async def entry_text(s: AsyncSession, entry: BallotEntryRow, lang: str) -> str:
    """One request for "my bookings": its code, where it stands, and its summary."""
    choices = [dt.datetime.fromisoformat(c) for c in entry.choices]
    text = await summary(s, entry.service_code, entry.center_id, entry.day, choices, lang)
    won = await ballot.won_booking(s, entry) if entry.status == WON else None
    if won is not None:
        zone = (await network.center_row(s, entry.center_id)).timezone
        status = t("ballot_status_won", lang, when=f"{clock(won.start_utc, zone)}, "
                                                  f"{code_text(won.code)}")
    elif entry.status == LOST:
        status = t("ballot_status_lost", lang)
    else:
        status = t("ballot_status_entered", lang)
    return t("ballot_item", lang, code=code_text(entry.code), status=status, summary=text)
