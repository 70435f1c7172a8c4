"""Joining the waitlist of a full day from the chat, as the web page and the API do.

A day that is open for booking but has no free time left is shown as full beside the
others (`pick.show_days`); pressing it offers its waitlist. The person gives the IIN and
proves it by the shared contact exactly as for a booking (`bot.iin`), and is put in line
through `app.waitlist.join`, with the chat recorded, so that an offer of a freed seat is
written back here (`waitlist_offers.claim_offer`). Every rule (one live entry a day,
a day with free time refuses, suspensions, privilege checks) is the app layer's.
"""

from __future__ import annotations

import datetime as dt

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from kezek.app import catalog, network, waitlist
from kezek.app.actor import CITIZEN, Channel
from kezek.app.identity.wiring import directory_for
from kezek.bot import keyboards as kb
from kezek.bot.bound import Where, bind
from kezek.bot.common import Deps, chat_id_of, end_conversation, proven, save_chat, show
from kezek.bot.pick import privilege_of, show_times
from kezek.bot.states import Flow
from kezek.bot.texts import error_text, t
from kezek.bot.views import code_text, day_label, name_in
from kezek.core.errors import KezekError

Event = Message | CallbackQuery
WAIT_DAY = "wait_day"  # ISO date of the full day the person is joining the line for


async def on_wait(cb: CallbackQuery, callback_data: kb.WaitCb, state: FSMContext,
                  deps: Deps, lang: str) -> None:
    """The waitlist button of a full day: the IIN step, unless this conversation has a
    proven IIN already."""
    if not await bind(cb, Where.unpack(callback_data), state, lang):
        return
    await state.update_data({WAIT_DAY: callback_data.day})
    iin = await state.get_value("iin")
    if iin and await proven(state, deps, str(iin)):
        await join(cb, state, deps, lang)
        return
    await state.set_state(Flow.iin)
    await state.update_data(pending="waitlist")
    await show(cb, t("ask_iin_waitlist", lang))


async def join(event: Event, state: FSMContext, deps: Deps, lang: str) -> None:
    """Puts the person in line; a day that has free time again shows its times."""
    data = await state.get_data()
    day = dt.date.fromisoformat(str(data[WAIT_DAY]))
    chat_id = chat_id_of(event)
    try:
        await deps.hit("booking:chat", chat_id)
        async with deps.tx() as s:
            entry = await waitlist.join(s, waitlist.JoinRequest(
                iin=str(data["iin"]), service=str(data["service"]),
                center=int(str(data["centre"])), day=day, channel=Channel.BOT,
                privilege=privilege_of(data.get("privilege")), telegram_chat_id=chat_id,
                lang=lang), deps.key, CITIZEN, directory=directory_for(deps.settings))
            await save_chat(s, chat_id, person_id=entry.person_id)
            place = await waitlist.position(s, entry)
            service = await catalog.service(s, entry.service_code)
            centre = await network.center_row(s, entry.center_id)
    except waitlist.SlotsAvailable as exc:
        await show_times(event, state, deps, lang, day, lead=error_text(exc, lang))
        return
    except KezekError as exc:
        await end_conversation(state, lang)
        await show(event, error_text(exc, lang), kb.menu(lang))
        return
    await end_conversation(state, lang)
    what = t("waitlist_what", lang, service=service.names.get(lang),
             centre=name_in(centre, lang), day=day_label(day, lang))
    await show(event, t("waitlisted", lang, code=code_text(entry.code),
                        position=place or "—", what=what), kb.menu(lang))


def router() -> Router:
    r = Router(name="wait")
    r.callback_query.register(on_wait, kb.WaitCb.filter())
    return r
