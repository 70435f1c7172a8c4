"""Entering a day's ballot from the chat (fair release, ADR 13): the same request as on
the web page and the call-centre console, through `app.ballot.submit`.

The person taps up to three times in the order they prefer them (tapping one again
takes it out), gives the IIN and proves it by the shared contact exactly as for a
booking (`bot.iin`), checks the summary and sends it. The request records the chat, so
the draw's result comes back here (`ballot_notices.claim`), and the chat is linked to
the person so that "my bookings" lists the request. The picks live in the FSM data as
Unix seconds, like a booking's time: a button means the same instant in any zone.
The buttons carry the centre and service they were made for (`bound.Where`): the
ballot button on an old days message enters that centre's ballot, and a pick or send
on an old message of another centre's ballot is answered as out of date.
"""

from __future__ import annotations

import datetime as dt

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from kezek.app import ballot, catalog
from kezek.app.actor import CITIZEN, Channel
from kezek.app.identity.wiring import directory_for
from kezek.bot import keyboards as kb
from kezek.bot.ballot_views import clock, summary, times_text
from kezek.bot.bound import Where, bind
from kezek.bot.common import Deps, chat_id_of, end_conversation, proven, save_chat, show
from kezek.bot.pick import privilege_of, show_days
from kezek.bot.states import Flow
from kezek.bot.texts import error_text, t
from kezek.bot.views import code_text, day_label
from kezek.core.errors import KezekError
from kezek.core.iin import mask

Event = Message | CallbackQuery
PICKS = "ballot_picks"  # the ranked starts, Unix seconds
DAY = "ballot_day"  # ISO date of the day whose ballot is being entered
PAGE = "ballot_page"  # which page of the day's times is shown
PER_PAGE = 48  # times on one keyboard: a 12-hour day on a 15-minute grid


def _picked(data: dict[str, object]) -> list[int]:
    raw = data.get(PICKS)
    return [int(x) for x in raw] if isinstance(raw, list) else []


def _starts(picks: list[int]) -> tuple[dt.datetime, ...]:
    return tuple(dt.datetime.fromtimestamp(x, dt.UTC) for x in picks)


async def _ready(cb: CallbackQuery, callback_data: kb.BallotCb, state: FSMContext,
                 lang: str) -> dict[str, object] | None:
    """The conversation's data if it has a centre, a service and a ballot day, and the
    button was made for that centre and service."""
    where = Where.unpack(callback_data)
    if where.complete and not await bind(cb, where, state, lang, adopt=False):
        return None
    data = await state.get_data()
    if data.get("centre") and data.get("service") and data.get(DAY):
        return data
    await show(cb, t("expired", lang), kb.menu(lang))
    return None


async def on_enter(cb: CallbackQuery, callback_data: kb.BallotCb, state: FSMContext,
                   deps: Deps, lang: str) -> None:
    """The ballot button beside the days (of its own centre): the window may have closed
    since it was shown."""
    where = Where.unpack(callback_data)
    if where.complete and not await bind(cb, where, state, lang):
        return
    data = await state.get_data()
    if not (data.get("centre") and data.get("service")):
        await show(cb, t("expired", lang), kb.menu(lang))
        return
    async with deps.tx() as s:
        found = await ballot.open_ballot(s, int(str(data["centre"])))
    if found is None:
        await show_days(cb, state, deps, lang, lead=error_text(ballot.BallotClosed(), lang))
        return
    await state.update_data({DAY: found.day.isoformat(), PICKS: [], PAGE: 0})
    await show_picks(cb, state, deps, lang)


async def show_picks(event: Event, state: FSMContext, deps: Deps, lang: str) -> None:
    """The day's times with the ranks chosen so far."""
    data = await state.get_data()
    centre, service = int(str(data["centre"])), str(data["service"])
    day = dt.date.fromisoformat(str(data[DAY]))
    picks = _picked(data)
    try:
        async with deps.tx() as s:
            starts = await ballot.ballot_starts(s, centre, service, day)
            closes = await ballot.draw_time(s, centre, day)
            zone = (await catalog.center(s, centre)).center.timezone
    except KezekError as exc:
        await end_conversation(state, lang)
        await show(event, error_text(exc, lang), kb.menu(lang))
        return
    text = t("ballot_pick", lang, day=day_label(day, lang),
             time=clock(closes, zone) if closes else "—")
    if picks:
        text += "\n\n" + t("ballot_picked", lang, times=times_text(_starts(picks), zone))
        text += "\n" + t("ballot_pick_more", lang)
    count = max(1, -(-len(starts) // PER_PAGE))
    page = min(int(str(data.get(PAGE) or 0)), count - 1)
    await show(event, text, kb.ballot_times(starts[page * PER_PAGE:(page + 1) * PER_PAGE],
                                            picks, Where.of(data), lang, (page, count)))


async def on_pick(cb: CallbackQuery, callback_data: kb.BallotCb, state: FSMContext,
                  deps: Deps, lang: str) -> None:
    """Adds a time at the next rank, or takes a chosen one out; three go straight on."""
    data = await _ready(cb, callback_data, state, lang)
    if data is None:
        return
    picks = _picked(data)
    if callback_data.ts in picks:
        picks.remove(callback_data.ts)
    elif len(picks) < ballot.MAX_CHOICES:
        picks.append(callback_data.ts)
    await state.update_data({PICKS: picks})
    if len(picks) == ballot.MAX_CHOICES:
        await _next(cb, state, deps, lang)
        return
    await show_picks(cb, state, deps, lang)


async def on_page(cb: CallbackQuery, callback_data: kb.BallotCb, state: FSMContext,
                  deps: Deps, lang: str) -> None:
    if await _ready(cb, callback_data, state, lang) is not None:
        await state.update_data({PAGE: max(0, callback_data.ts)})
        await show_picks(cb, state, deps, lang)


async def on_clear(cb: CallbackQuery, callback_data: kb.BallotCb, state: FSMContext,
                   deps: Deps, lang: str) -> None:
    if await _ready(cb, callback_data, state, lang) is not None:
        await state.update_data({PICKS: []})
        await show_picks(cb, state, deps, lang)


async def on_done(cb: CallbackQuery, callback_data: kb.BallotCb, state: FSMContext,
                  deps: Deps, lang: str) -> None:
    data = await _ready(cb, callback_data, state, lang)
    if data is None:
        return
    if not _picked(data):
        await show_picks(cb, state, deps, lang)
        return
    await _next(cb, state, deps, lang)


async def _next(event: Event, state: FSMContext, deps: Deps, lang: str) -> None:
    """The IIN step (with its proof) unless this conversation has a proven IIN already."""
    data = await state.get_data()
    if data.get("iin") and await proven(state, deps, str(data["iin"])):
        await confirm_ballot(event, state, deps, lang)
        return
    await state.set_state(Flow.iin)
    await state.update_data(pending="ballot")
    await show(event, t("ask_iin_ballot", lang))


async def confirm_ballot(event: Event, state: FSMContext, deps: Deps, lang: str) -> None:
    """The request's summary with the masked IIN, and the button that sends it (the
    action the IIN step runs once the IIN is proven)."""
    data = await state.get_data()
    if not data.get(DAY) or not _picked(data):
        await end_conversation(state, lang)
        await show(event, t("expired", lang), kb.menu(lang))
        return
    async with deps.tx() as s:
        text = await summary(s, str(data["service"]), int(str(data["centre"])),
                             dt.date.fromisoformat(str(data[DAY])), _starts(_picked(data)),
                             lang)
    await show(event, t("ballot_confirm", lang, summary=text, masked=mask(str(data["iin"]))),
               kb.ballot_confirm(Where.of(data), lang))


async def on_send(cb: CallbackQuery, callback_data: kb.BallotCb, state: FSMContext,
                  deps: Deps, lang: str) -> None:
    """Enters the ballot; a refusal (one request a day, the window closed) ends the try."""
    data = await _ready(cb, callback_data, state, lang)
    if data is None:
        return
    raw_iin = str(data.get("iin") or "")
    if not raw_iin or not _picked(data) or not await proven(state, deps, raw_iin):
        await end_conversation(state, lang)
        await show(cb, t("expired", lang), kb.menu(lang))
        return
    chat_id = chat_id_of(cb)
    day = dt.date.fromisoformat(str(data[DAY]))
    try:
        await deps.hit("booking:chat", chat_id)
        async with deps.tx() as s:
            entry = await ballot.submit(s, ballot.BallotRequest(
                iin=raw_iin, center=int(str(data["centre"])), day=day,
                service=str(data["service"]), choices=_starts(_picked(data)),
                channel=Channel.BOT, privilege=privilege_of(data.get("privilege")),
                telegram_chat_id=chat_id, lang=lang), deps.key, CITIZEN,
                directory=directory_for(deps.settings))
            await save_chat(s, chat_id, person_id=entry.person_id)
            text = await summary(s, entry.service_code, entry.center_id, entry.day,
                                 _starts(_picked(data)), lang)
    except KezekError as exc:
        await end_conversation(state, lang)
        await show(cb, error_text(exc, lang), kb.menu(lang))
        return
    await end_conversation(state, lang)
    await show(cb, t("ballot_entered", lang, code=code_text(entry.code), summary=text),
               kb.menu(lang))


def router() -> Router:
    r = Router(name="ballot")
    r.callback_query.register(on_enter, kb.BallotCb.filter(F.action == "enter"))
    r.callback_query.register(on_pick, kb.BallotCb.filter(F.action == "pick"))
    r.callback_query.register(on_page, kb.BallotCb.filter(F.action == "page"))
    r.callback_query.register(on_clear, kb.BallotCb.filter(F.action == "clear"))
    r.callback_query.register(on_done, kb.BallotCb.filter(F.action == "done"))
    r.callback_query.register(on_send, kb.BallotCb.filter(F.action == "send"))
    return r
