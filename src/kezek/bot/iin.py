"""The IIN message: deleted at once, checked, shown back masked, proven, then acted on.

Whatever is typed while the bot waits for an IIN is deleted from the chat, valid or
not: a mistyped IIN is as personal as a correct one. The number is never logged and
never echoed in clear; an invalid one gets its reason, and nothing is done with it.

An IIN alone proves nothing (it is printed on documents and receipts), so before the
action the person shares their own contact: Telegram verifies that number, and the
identity directory says whether it is this IIN's (`app.identity.contact`). The proof
then covers the chat's next actions on that IIN until it expires.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from kezek.app import catalog
from kezek.app.actor import CITIZEN, Channel
from kezek.app.booking import valid_iin
from kezek.app.identity import contact as by_contact
from kezek.app.identity.wiring import directory_for
from kezek.bot import actions
from kezek.bot import keyboards as kb
from kezek.bot.bound import Where
from kezek.bot.common import (
    PROOF,
    Deps,
    chat_id_of,
    drop_reply_keyboard,
    end_conversation,
    offer_reply_keyboard,
    proven,
    reply_keyboard_gone,
    show,
)
from kezek.bot.states import Flow
from kezek.bot.texts import error_text, t
from kezek.core.errors import InvalidIin, KezekError
from kezek.core.identity import mask_phone, normalize_phone
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
    await state.update_data(iin=iin)
    await message.answer(t("iin_received", lang, masked=mask(iin)))
    if await proven(state, deps, iin):
        await state.set_state(None)
        await action(message, state, deps, lang)
        return
    await state.set_state(Flow.contact)
    assert message.bot is not None
    await offer_reply_keyboard(message.bot, message.chat.id, state, t("ask_contact", lang),
                               kb.share_contact(lang))


async def on_contact(message: Message, state: FSMContext, deps: Deps, lang: str) -> None:
    """The shared contact: the chat's own (Telegram says whose it is), checked against
    the directory for the IIN; then the pending action goes on."""
    shared = message.contact
    if shared is not None:
        try:  # the number is personal too: it does not stay in the chat
            await message.delete()
        except TelegramAPIError as exc:
            log.warning("could not delete a contact message",
                        extra={"reason": type(exc).__name__})
    if shared is None or message.from_user is None or shared.user_id != message.from_user.id:
        await message.answer(t("contact_not_own", lang), reply_markup=kb.share_contact(lang))
        return
    data = await state.get_data()
    action = actions.PENDING.get(str(data.get("pending") or ""))
    if action is None or not data.get("iin"):
        await drop_reply_keyboard(message.bot, message.chat, state)
        await end_conversation(state, lang)
        await message.answer(t("expired", lang), reply_markup=kb.menu(lang))
        return
    try:
        await deps.hit("identity.contact:chat", message.chat.id)
        async with deps.tx() as s:
            proof = await by_contact.prove(
                s, str(data["iin"]), shared.phone_number, message.chat.id,
                directory_for(deps.settings),
                await catalog.identity_policy(s), deps.key, CITIZEN, Channel.BOT)
    except KezekError as exc:
        await end_conversation(state, lang)
        await message.answer(error_text(exc, lang), reply_markup=ReplyKeyboardRemove())
        await message.answer(t("menu", lang), reply_markup=kb.menu(lang))
        return
    await state.set_state(None)
    await state.update_data({PROOF: proof.as_dict()})
    await reply_keyboard_gone(state)
    phone = normalize_phone(shared.phone_number) or ""
    await message.answer(t("contact_ok", lang, phone=mask_phone(phone)),
                         reply_markup=ReplyKeyboardRemove())
    await action(message, state, deps, lang)


async def on_confirm(cb: CallbackQuery, callback_data: kb.ConfirmCb, state: FSMContext,
                     deps: Deps, lang: str) -> None:
    """Books what the pressed confirmation showed, once.

    The chat's presses of Confirm run one at a time (`Deps.locks`), so a double tap's
    second press finds the first one's booking recorded (`actions.DONE`) and is answered
    quietly, leaving the success message as it is. A confirmation of something else
    than the conversation holds now (an old message) is answered as out of date."""
    pressed = actions.confirmed_key(Where.unpack(callback_data), callback_data.ts)
    async with deps.locks.of(chat_id_of(cb)):
        data = await state.get_data()
        if data.get(actions.DONE) == pressed:
            await cb.answer()
            return
        if not (data.get("iin") and data.get("start") and data.get("centre")
                and data.get("service")):
            await show(cb, t("expired", lang), kb.menu(lang))
            return
        if callback_data.ts and pressed != actions.confirmed_key(
                Where.of(data), int(str(data["start"]))):
            await cb.answer(t("outdated", lang), show_alert=True)
            return
        await actions.book(cb, state, deps, lang)


def router() -> Router:
    r = Router(name="iin")
    r.message.register(on_iin, Flow.iin)
    r.message.register(on_contact, Flow.contact)
    r.callback_query.register(on_confirm, kb.ConfirmCb.filter(F.action == "yes"))
    return r
