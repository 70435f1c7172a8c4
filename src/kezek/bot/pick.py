"""Showing real free slots: the days that have one, then the times of a day.

Both lists come from `free_slots`, the same query the web and the API show, so the bot
never offers a time that the booking would refuse for being taken. A day that is open
for booking but has no free time left is shown as full rather than hidden, and leads
to its waitlist (`app.waitlist.open_days` says which days a person may wait for, as on
the web); not when moving a booking, which a waitlist entry would not do.

Every keyboard carries the context it was made for (`bound.Where`).
"""

from __future__ import annotations

import datetime as dt

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog, network, waitlist
from kezek.app.slots import FreeSlot, free_slots, visit_end
from kezek.bot import keyboards as kb
from kezek.bot.ballot_views import offer
from kezek.bot.bound import Where
from kezek.bot.common import Deps, show
from kezek.bot.texts import error_text, t
from kezek.bot.views import day_label, summary
from kezek.core.errors import KezekError
from kezek.core.policy import Privilege
from kezek.store.models import utcnow

DAYS_AHEAD = 14
DAYS_SHOWN = 8


def privilege_of(raw: object) -> Privilege | None:
    try:
        return Privilege(str(raw)) if raw else None
    except ValueError:
        return None


async def _slots(deps: Deps, state: FSMContext, first: dt.date | None, days: int
                 ) -> list[FreeSlot]:
    data = await state.get_data()
    async with deps.tx() as s:
        return await free_slots(s, int(data["centre"]), str(data["service"]), first, days,
                                utcnow(), privilege_of(data.get("privilege")))


async def show_days(event: Message | CallbackQuery, state: FSMContext, deps: Deps, lang: str,
                    lead: str | None = None) -> None:
    """The next days with a free time at the chosen centre, or why there are none; and,
    when the centre's newest day is in its ballot, the note and the button to enter it
    (not when moving a booking: a ballot gives new places, it does not move old ones)."""
    data = await state.get_data()
    where = Where.of(data)
    ballot = (await offer(deps, int(data["centre"]), lang)
              if data.get("mode") != "rebook" else None)
    prefix = f"{lead}\n\n" if lead else ""
    if ballot is not None:
        prefix += f"{ballot.text}\n\n"
    label = ballot.label if ballot is not None else None
    try:
        found = await _slots(deps, state, None, DAYS_AHEAD)
    except KezekError as exc:
        await show(event, prefix + error_text(exc, lang),
                   kb.days([], where, lang, label) if label else kb.menu(lang))
        return
    days: list[dt.date] = []
    for slot in found:
        if slot.start.date() not in days:
            days.append(slot.start.date())
    full = [d for d in await _waitable(deps, data) if d not in days]
    shown = sorted(days + full)[:DAYS_SHOWN]
    if not shown:
        await show(event, prefix + t("no_slots", lang),
                   kb.days([], where, lang, label) if label else kb.back_to_menu(lang))
        return
    full = [d for d in full if d in shown]
    await show(event, prefix + t("choose_day_full" if full else "choose_day", lang),
               kb.days([(d, day_label(d, lang)) for d in shown if d not in full], where,
                       lang, label, full=[(d, day_label(d, lang)) for d in full]))


async def _waitable(deps: Deps, data: dict[str, object]) -> list[dt.date]:
    """The open days a person may join the waitlist for (none when moving a booking)."""
    if data.get("mode") == "rebook":
        return []
    async with deps.tx() as s:
        return await waitlist.open_days(s, int(str(data["centre"])), utcnow())


async def show_times(event: Message | CallbackQuery, state: FSMContext, deps: Deps,
                     lang: str, day: dt.date, lead: str | None = None) -> None:
    """The free times of one day; a full day offers its waitlist, and a day that cannot
    be waited for goes back to the days."""
    data = await state.get_data()
    try:
        found = [x for x in await _slots(deps, state, day, 1) if x.start.date() == day]
    except KezekError as exc:
        await show(event, error_text(exc, lang), kb.menu(lang))
        return
    if not found and day in await _waitable(deps, data):
        text = t("day_is_full", lang, day=day_label(day, lang))
        await show(event, f"{lead}\n\n{text}" if lead else text,
                   kb.full_day(day, Where.of(data), lang))
        return
    if not found:
        await show_days(event, state, deps, lang,
                        lead=f"{lead}\n\n{t('no_times', lang)}" if lead else t("no_times", lang))
        return
    await state.update_data(day=day.isoformat())
    text = t("choose_time", lang, day=day_label(day, lang))
    if lead:
        text = f"{lead}\n\n{t('other_times', lang)}\n{text}"
    await show(event, text, kb.times([x.start for x in found], Where.of(data), lang))


async def what_to_bring(s: AsyncSession, service_code: str, lang: str) -> str:
    """The service's own list of documents, as a block to put under a booking's summary;
    empty where the registry has none."""
    documents = (await catalog.service(s, service_code)).documents.get(lang)
    if not documents:
        return ""
    return "\n\n" + "\n".join([t("bring", lang), *(f"• {d}" for d in documents)])


async def describe(s: AsyncSession, service_code: str, centre_id: int, start: dt.datetime,
                   lang: str, end: dt.datetime | None = None) -> str:
    """The summary of a visit: service, centre, address, local time from start to end.

    A booking knows its end; a visit not yet booked ends where the service's standard
    slot, on the centre's grid, says it will."""
    service = await catalog.service(s, service_code)
    centre = await network.center_row(s, centre_id)
    if end is None:
        end = visit_end(await catalog.center(s, centre_id), service, start)
    return summary(service.names.get(lang), centre, start, lang, end)
