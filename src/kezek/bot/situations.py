"""Browsing by life situation in the chat: a section, then its situations, then services.

For a person who does not know what the service is called ("a child was born"): the
same registry subsections as the web's /situations, three taps to a service, whose
button then goes on as a found service does (kezek.bot.find.on_service).
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from kezek.app import situations
from kezek.bot import keyboards as kb
from kezek.bot.common import Deps, show
from kezek.bot.texts import t
from kezek.core.sector_names import sector_name


class SituationCb(CallbackData, prefix="sit"):
    code: str  # "" for the sections, two digits for a section, four for a situation


def browse_button(lang: str) -> InlineKeyboardMarkup:
    """The one button that opens the browsing, under the search prompt."""
    return kb.rows([kb.button(t("btn_situations", lang), SituationCb(code=""))], 1)


async def on_situation(cb: CallbackQuery, callback_data: SituationCb, deps: Deps,
                       lang: str) -> None:
    code = callback_data.code
    async with deps.tx() as s:
        found = await situations.browse(s)
    back = kb.button(t("btn_menu", lang), kb.MenuCb(action="menu"))
    if len(code) == 4:
        sit = next((x for x in found if x.code == code), None)
        if sit is None:
            await show(cb, t("expired", lang), kb.menu(lang))
            return
        await show(cb, sit.names.get(lang), kb.services(
            [(x.code, x.names.get(lang)) for x in sit.services], lang))
        return
    if len(code) == 2:
        inside = [x for x in found if x.code.startswith(code)]
        if not inside:
            await show(cb, t("expired", lang), kb.menu(lang))
            return
        buttons = [kb.button(kb.short(x.names.get(lang)), SituationCb(code=x.code))
                   for x in inside]
        await show(cb, sector_name(inside[0].sector, lang),
                   kb.rows([*buttons, kb.button(t("btn_situations", lang),
                                                SituationCb(code="")), back], 1))
        return
    sections: dict[str, str] = {}
    for x in found:
        sections.setdefault(x.code[:2], sector_name(x.sector, lang))
    buttons = [kb.button(kb.short(name), SituationCb(code=c)) for c, name in sections.items()]
    await show(cb, t("situations_title", lang), kb.rows([*buttons, back], 2))


def router() -> Router:
    r = Router(name="situations")
    r.callback_query.register(on_situation, SituationCb.filter())
    return r
