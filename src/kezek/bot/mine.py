"""My bookings: the list, and cancelling or moving one with a button.

The list needs no IIN when the chat is linked to a person and proved their IIN by a
shared contact before; cancelling and moving always ask for it again, because the app layer proves
ownership by the IIN and the bot keeps none between conversations.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog
from kezek.bot import actions
from kezek.bot import keyboards as kb
from kezek.bot.common import Deps, end_conversation, linked_person, show
from kezek.bot.pick import show_days
from kezek.bot.states import Flow
from kezek.bot.texts import t
from kezek.bot.views import code_text
from kezek.core.booking import normalize_code
from kezek.core.identity import IdentityMode
from kezek.store.models import BookingRow, CenterRow, PersonRow
from kezek.store.models_identity import IdentityChatRow


async def _proven_person(s: AsyncSession, chat_id: int) -> int | None:
    """The chat's person, if the chat proved that person's IIN by a shared contact (or
    the network takes the IIN alone). A link made before proof of identity existed,
    on an IIN typed alone, does not open the list."""
    person = await linked_person(s, chat_id)
    if person is None:
        return None
    if (await catalog.identity_policy(s)).mode is IdentityMode.NONE:
        return person
    proven = await s.scalar(select(IdentityChatRow.id).join(
        PersonRow, PersonRow.iin_hash == IdentityChatRow.iin_hash).where(
        PersonRow.id == person, IdentityChatRow.chat_id == chat_id).limit(1))
    return person if proven is not None else None


async def on_mine(cb: CallbackQuery, state: FSMContext, deps: Deps, lang: str) -> None:
    await end_conversation(state, lang)
    async with deps.tx() as s:
        person = await _proven_person(s, cb.from_user.id)
    if person is None:
        await state.set_state(Flow.iin)
        await state.update_data(pending="list")
        await show(cb, t("ask_iin_list", lang))
        return
    items, ballots = await actions.active_of(deps, person, lang)
    await actions.show_list(cb, items, lang, ballots)


async def on_cancel(cb: CallbackQuery, callback_data: kb.MineCb, state: FSMContext,
                    lang: str) -> None:
    await end_conversation(state, lang)
    await state.set_state(Flow.iin)
    await state.update_data(pending="cancel", target=normalize_code(callback_data.code))
    await show(cb, t("ask_iin_cancel", lang, code=code_text(callback_data.code)))


async def on_rebook(cb: CallbackQuery, callback_data: kb.MineCb, state: FSMContext,
                    deps: Deps, lang: str) -> None:
    """Moving keeps the service and the centre: a new day and time are picked there."""
    await end_conversation(state, lang)
    code = normalize_code(callback_data.code)
    async with deps.tx() as s:
        person = await _proven_person(s, cb.from_user.id)
        found = (await s.execute(select(BookingRow, CenterRow.timezone)
                                 .join(CenterRow, CenterRow.id == BookingRow.center_id)
                                 .where(BookingRow.code == code,
                                        BookingRow.status == "active"))).first()
    if found is None or person is None or found[0].person_id != person:
        await show(cb, t("expired", lang), kb.menu(lang))
        return
    row, zone = found
    await state.update_data(mode="rebook", target=code, service=row.service_code,
                            centre=row.center_id, privilege=row.privilege, zone=zone)
    await show_days(cb, state, deps, lang)


def router() -> Router:
    r = Router(name="mine")
    r.callback_query.register(on_mine, kb.MenuCb.filter(F.action == "mine"))
    r.callback_query.register(on_cancel, kb.MineCb.filter(F.action == "cancel"))
    r.callback_query.register(on_rebook, kb.MineCb.filter(F.action == "rebook"))
    return r
