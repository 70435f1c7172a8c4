"""Starting, choosing a language, and the menu: where every conversation begins and ends."""

from __future__ import annotations

import re

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from kezek.bot import keyboards as kb
from kezek.bot.common import Deps, end_conversation, save_chat, show
from kezek.bot.situations import browse_button
from kezek.bot.states import Flow
from kezek.bot.texts import t

TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")
CHOOSE_LANG = "Тілді таңдаңыз / Выберите язык / Choose a language"


async def on_start(message: Message, state: FSMContext, lang: str) -> None:
    await end_conversation(state, lang)
    await message.answer(CHOOSE_LANG, reply_markup=kb.languages())


async def on_menu_command(message: Message, state: FSMContext, lang: str) -> None:
    await end_conversation(state, lang)
    await message.answer(t("menu", lang), reply_markup=kb.menu(lang))


async def on_lang(cb: CallbackQuery, callback_data: kb.LangCb, state: FSMContext,
                  deps: Deps) -> None:
    lang = callback_data.lang if callback_data.lang in ("kk", "ru", "en") else "ru"
    async with deps.tx() as s:
        await save_chat(s, cb.from_user.id, lang=lang)
    await end_conversation(state, lang)
    await show(cb, t("menu", lang), kb.menu(lang))


async def on_lang_menu(cb: CallbackQuery) -> None:
    await show(cb, CHOOSE_LANG, kb.languages())


async def on_back(cb: CallbackQuery, state: FSMContext, lang: str) -> None:
    await end_conversation(state, lang)
    await show(cb, t("menu", lang), kb.menu(lang))


async def on_book(cb: CallbackQuery, state: FSMContext, lang: str) -> None:
    await end_conversation(state, lang)
    await state.set_state(Flow.words)
    await show(cb, t("ask_service", lang), browse_button(lang))


async def on_anything(message: Message, lang: str) -> None:
    await forget_iin(message)
    await message.answer(t("unknown", lang), reply_markup=kb.menu(lang))


async def forget_iin(message: Message) -> bool:
    """Deletes a message that holds what looks like an IIN, wherever it was typed."""
    if not TWELVE_DIGITS.search(re.sub(r"[\s-]", "", message.text or message.caption or "")):
        return False
    try:
        await message.delete()
    except TelegramAPIError:
        return False
    return True


async def on_stale(cb: CallbackQuery, lang: str) -> None:
    await show(cb, t("expired", lang), kb.menu(lang))


def router() -> Router:
    r = Router(name="start")
    r.message.register(on_start, CommandStart())
    r.message.register(on_menu_command, Command("menu", "cancel", "help"))
    r.callback_query.register(on_lang, kb.LangCb.filter())
    r.callback_query.register(on_lang_menu, kb.MenuCb.filter(F.action == "lang"))
    r.callback_query.register(on_back, kb.MenuCb.filter(F.action == "menu"))
    r.callback_query.register(on_book, kb.MenuCb.filter(F.action == "book"))
    return r


def fallback() -> Router:
    r = Router(name="fallback")
    r.message.register(on_anything)
    r.callback_query.register(on_stale)
    return r
