"""The IIN message: deleted at once, checked, shown back masked, then acted on.

Whatever is typed while the bot waits for an IIN is deleted from the chat, valid or
not: a mistyped IIN is as personal as a correct one. The number is never logged and
never echoed in clear; an invalid one gets its reason, and nothing is done with it.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from kezek.app.booking import valid_iin
from kezek.bot import actions
from kezek.bot import keyboards as kb
from kezek.bot.common import Deps, show
from kezek.bot.states import Flow
from kezek.bot.texts import error_text, t
from kezek.core.errors import InvalidIin
from kezek.core.iin import mask

log = logging.getLogger(__name__)


async def on_iin(message: Message, state: FSMContext, deps: Deps, lang: str) -> None:
    raw = message.text or ""
    try:
        await message.delete()
    except TelegramAPIError as exc:  # e.g. too old to delete: say so, without the text
        log.warning("could not delete an IIN message", extra={"reason": type(exc).__name__})
    try:
        iin = valid_iin(raw)
    except InvalidIin as exc:
        await message.answer(f"{error_text(exc, lang)}\n{t('iin_again', lang)}")
        return
    pending = str(await state.get_value("pending") or "")
    action = actions.PENDING.get(pending)
    if action is None:
        await message.answer(t("expired", lang), reply_markup=kb.menu(lang))
        return
    await state.set_state(None)
    await state.update_data(iin=iin)
    await message.answer(t("iin_received", lang, masked=mask(iin)))
    await action(message, state, deps, lang)


async def on_confirm(cb: CallbackQuery, state: FSMContext, deps: Deps, lang: str) -> None:
    data = await state.get_data()
    if not (data.get("iin") and data.get("start") and data.get("centre")
            and data.get("service")):
        await show(cb, t("expired", lang), kb.menu(lang))
        return
    await actions.book(cb, state, deps, lang)


def router() -> Router:
    r = Router(name="iin")
    r.message.register(on_iin, Flow.iin)
    r.callback_query.register(on_confirm, kb.ConfirmCb.filter(F.action == "yes"))
    return r
