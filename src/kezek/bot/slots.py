"""Picking a day and a time, for a new booking or for moving one.

Each button carries the centre, service, privilege and moved booking it was made for,
and the conversation is bound to them before the press is acted on (`bound.bind`): a
day or time on an old message books what that message showed.
"""

from __future__ import annotations

import datetime as dt

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from kezek.bot import actions
from kezek.bot import keyboards as kb
from kezek.bot.bound import Where, bind
from kezek.bot.common import Deps, show
from kezek.bot.pick import show_days, show_times
from kezek.bot.states import Flow
from kezek.bot.texts import t
from kezek.bot.views import code_text, when_text


async def _ready(cb: CallbackQuery, callback_data: kb.Bound, state: FSMContext,
                 lang: str) -> bool:
    """Binds the conversation to the button's context; a button without one (made
    before buttons carried it) needs the conversation to have a centre and service."""
    where = Where.unpack(callback_data)
    if where.complete:
        return await bind(cb, where, state, lang)
    data = await state.get_data()
    if data.get("centre") and data.get("service"):
        return True
    await show(cb, t("expired", lang), kb.menu(lang))
    return False


async def on_day(cb: CallbackQuery, callback_data: kb.DayCb, state: FSMContext, deps: Deps,
                 lang: str) -> None:
    if await _ready(cb, callback_data, state, lang):
        await show_times(cb, state, deps, lang, dt.date.fromisoformat(callback_data.day))


async def on_other_time(cb: CallbackQuery, callback_data: kb.ConfirmCb, state: FSMContext,
                        deps: Deps, lang: str) -> None:
    if await _ready(cb, callback_data, state, lang):
        await show_days(cb, state, deps, lang)


async def on_time(cb: CallbackQuery, callback_data: kb.TimeCb, state: FSMContext, deps: Deps,
                  lang: str) -> None:
    """Keeps the chosen time; asks for the IIN unless this conversation already has it."""
    if not await _ready(cb, callback_data, state, lang):
        return
    await state.update_data(start=callback_data.ts)
    data = await state.get_data()
    rebooking = data.get("mode") == "rebook"
    if data.get("iin"):
        await (actions.rebook if rebooking else actions.confirm_booking)(cb, state, deps, lang)
        return
    await state.set_state(Flow.iin)
    if rebooking:
        await state.update_data(pending="rebook")
        start = dt.datetime.fromtimestamp(callback_data.ts, dt.UTC)
        when = when_text(start, str(data.get("zone") or "Asia/Almaty"), lang)
        await show(cb, t("ask_iin_rebook", lang, code=code_text(str(data["target"])),
                         when=when))
    else:
        await state.update_data(pending="book")
        await show(cb, t("ask_iin", lang))


def router() -> Router:
    r = Router(name="slots")
    r.callback_query.register(on_day, kb.DayCb.filter())
    r.callback_query.register(on_other_time, kb.ConfirmCb.filter(F.action == "time"))
    r.callback_query.register(on_time, kb.TimeCb.filter())
    return r
