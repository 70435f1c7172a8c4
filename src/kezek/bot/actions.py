"""What the bot does with an IIN: book, list, cancel, rebook, each through the app layer.

Each action is one transaction; a domain refusal rolls it back and the person is told
why in their language. Before a booking is shown for confirming, the person's quota is
read (`app.booking.precheck`), so a person who may not book is told so right after
proving the IIN rather than after confirming; booking checks it again under the
person's lock. The IIN sits in the conversation's FSM data only from the
message that gave it until the action it was asked for ends, and is dropped then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek import clock
from kezek.app import ballot, booking, contacts
from kezek.app.actor import CITIZEN, Channel
from kezek.app.identity.proof import from_dict
from kezek.app.identity.wiring import directory_for
from kezek.bot import keyboards as kb
from kezek.bot import wait
from kezek.bot.ballot import confirm_ballot
from kezek.bot.ballot_views import entry_text
from kezek.bot.bound import Where
from kezek.bot.common import PROOF, Deps, chat_id_of, end_conversation, save_chat, show
from kezek.bot.pick import describe, privilege_of, show_days, show_times, what_to_bring
from kezek.bot.qr import qr_png
from kezek.bot.texts import error_text, t
from kezek.bot.views import code_text
from kezek.core.errors import AlreadyBooked, KezekError, OutsideSchedule, QuotaExceeded, SlotFull
from kezek.core.iin import mask
from kezek.core.privacy import iin_digest
from kezek.store.models import BookingRow, PersonRow

Event = Message | CallbackQuery


def start_of(data: dict[str, object]) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(str(data["start"])), dt.UTC)


# The confirmation the conversation's last booking came from: a second press of the
# same Confirm is a double tap, answered quietly (`iin.on_confirm`).
DONE = "done"


def confirmed_key(where: Where, start: int) -> str:
    return f"{where.centre}:{where.service}:{where.privilege or ''}:{start}"


async def confirm_booking(event: Event, state: FSMContext, deps: Deps, lang: str) -> None:
    """The summary with the masked IIN, and the button that books; or, when the
    person's bookings already fill their quota, the refusal at once."""
    data = await state.get_data()
    try:
        async with deps.tx() as s:
            await booking.precheck(s, booking.BookingRequest(
                iin=str(data["iin"]), service=str(data["service"]),
                center=int(str(data["centre"])), start=start_of(data), channel=Channel.BOT,
                privilege=privilege_of(data.get("privilege"))), deps.key)
            text = await describe(s, str(data["service"]), int(str(data["centre"])),
                                  start_of(data), lang)
    except (QuotaExceeded, AlreadyBooked) as exc:
        await end_conversation(state, lang)
        await show(event, error_text(exc, lang), kb.menu(lang))
        return
    await show(event, t("confirm", lang, summary=text, masked=mask(str(data["iin"]))),
               kb.confirm(Where.of(data), int(str(data["start"])), lang))


def origin_of(data: dict[str, Any]) -> dict[str, str]:
    """What the booking audit keeps of a bot booking's origin: the proven number's
    digest and how it was proven (as the API keeps the client address)."""
    proof = from_dict(data.get(PROOF))
    return {"proof": proof.method, "phone": proof.phone_hash[:16]} if proof else {}


async def book(event: Event, state: FSMContext, deps: Deps, lang: str) -> None:
    async def make(s: AsyncSession, data: dict[str, Any], start: dt.datetime) -> BookingRow:
        return await booking.book(s, booking.BookingRequest(
            iin=str(data["iin"]), service=str(data["service"]),
            center=int(str(data["centre"])), start=start, channel=Channel.BOT,
            privilege=privilege_of(data.get("privilege")), origin=origin_of(data)),
            deps.key, CITIZEN, directory=directory_for(deps.settings))

    await _commit(event, state, deps, lang, make, "booked")


async def rebook(event: Event, state: FSMContext, deps: Deps, lang: str) -> None:
    async def make(s: AsyncSession, data: dict[str, Any], start: dt.datetime) -> BookingRow:
        return await booking.reschedule(s, str(data["target"]), str(data["iin"]), start,
                                        deps.key, CITIZEN, Channel.BOT)

    await _commit(event, state, deps, lang, make, "rebooked")


async def _commit(event: Event, state: FSMContext, deps: Deps, lang: str,
                  make: Callable[[AsyncSession, dict[str, Any], dt.datetime],
                                 Awaitable[BookingRow]], done_key: str) -> None:
    """Books or moves in one transaction, links the chat for reminders, and says so; a
    refusal (a taken time above all) is answered without ending the conversation."""
    data = await state.get_data()
    chat_id = chat_id_of(event)
    start = start_of(data)
    try:
        await deps.hit("booking:chat", chat_id)
        async with deps.tx() as s:
            row = await make(s, data, start)
            await contacts.reach_by_chat(s, row.id, chat_id, lang)
            await save_chat(s, chat_id, person_id=row.person_id)
            text = await describe(s, row.service_code, row.center_id, row.start_utc, lang,
                                  row.end_utc)
            bring = await what_to_bring(s, row.service_code, lang)
    except KezekError as exc:
        await _refused(event, state, deps, lang, exc, start)
        return
    await end_conversation(state, lang)
    await state.update_data({DONE: confirmed_key(Where.of(data), int(str(data["start"])))})
    await _done(event, t(done_key, lang, code=code_text(row.code), summary=text) + bring,
                row.code,
                lang)


async def _refused(event: Event, state: FSMContext, deps: Deps, lang: str, exc: KezekError,
                   start: dt.datetime) -> None:
    """A taken time offers the other times of that day; other refusals end the attempt."""
    reason = error_text(exc, lang)
    if isinstance(exc, SlotFull):
        data = await state.get_data()
        day = dt.date.fromisoformat(str(data.get("day") or start.date().isoformat()))
        await show_times(event, state, deps, lang, day, lead=reason)
    elif isinstance(exc, OutsideSchedule):
        await show_days(event, state, deps, lang, lead=reason)
    else:
        await end_conversation(state, lang)
        await show(event, reason, kb.menu(lang))


async def _done(event: Event, text: str, code: str, lang: str) -> None:
    """The booking text, then the QR code to show at the door, then the menu."""
    await show(event, text)
    bot = event.bot
    assert bot is not None
    chat_id = chat_id_of(event)
    photo = BufferedInputFile(qr_png(code), filename=f"kezek-{code}.png")
    await bot.send_photo(chat_id, photo, caption=t("qr_caption", lang, code=code_text(code)))
    await bot.send_message(chat_id, t("menu", lang), reply_markup=kb.menu(lang))


async def list_for_iin(event: Event, state: FSMContext, deps: Deps, lang: str) -> None:
    """Links the chat to the person and lists their active bookings and ballot requests."""
    iin = str(await state.get_value("iin"))
    chat_id = chat_id_of(event)
    ballots: list[str] = []
    async with deps.tx() as s:
        person = await s.scalar(select(PersonRow.id).where(
            PersonRow.iin_hash == iin_digest(iin, deps.key)))
        rows = await booking.find_for_person(s, iin, deps.key)
        if person is not None:
            await save_chat(s, chat_id, person_id=person)
            ballots = await _ballots(s, person, lang)
        items = [(r.code, await describe(s, r.service_code, r.center_id, r.start_utc, lang,
                                           r.end_utc))
                 for r in rows]
    await end_conversation(state, lang)
    await show_list(event, items, lang, ballots)


async def _ballots(s: AsyncSession, person_id: int, lang: str) -> list[str]:
    """The person's ballot requests for days from a week back, described: entered ones
    wait for the draw, drawn ones say won (with the booking) or lost."""
    since = clock.now().date() - dt.timedelta(days=7)
    return [await entry_text(s, e, lang) for e in await ballot.of_person(s, person_id, since)]


async def active_of(deps: Deps, person_id: int, lang: str
                    ) -> tuple[list[tuple[str, str]], list[str]]:
    """The chat's person's active bookings and ballot requests, described (no IIN
    needed: the chat is linked)."""
    async with deps.tx() as s:
        rows = (await s.scalars(select(BookingRow).where(
            BookingRow.person_id == person_id, BookingRow.status == "active")
            .order_by(BookingRow.start_utc))).all()
        return ([(r.code, await describe(s, r.service_code, r.center_id, r.start_utc, lang,
                                            r.end_utc))
                 for r in rows], await _ballots(s, person_id, lang))


async def show_list(event: Event, items: list[tuple[str, str]], lang: str,
                    ballots: Sequence[str] = ()) -> None:
    """Each booking with its buttons; then the ballot requests in one message."""
    if not items and not ballots:
        await show(event, t("mine_empty", lang), kb.menu(lang))
        return
    await show(event, t("mine_title", lang) if items else t("mine_empty", lang))
    bot = event.bot
    assert bot is not None
    for code, text in items:
        await bot.send_message(chat_id_of(event), t("mine_item", lang, code=code_text(code),
                                                    summary=text),
                               reply_markup=kb.mine(code, lang))
    if ballots:
        await bot.send_message(chat_id_of(event), "\n\n".join(
            [t("mine_ballots", lang), *ballots]), reply_markup=kb.menu(lang))


async def cancel(event: Event, state: FSMContext, deps: Deps, lang: str) -> None:
    data = await state.get_data()
    code = str(data["target"])
    try:
        async with deps.tx() as s:
            await booking.cancel(s, code, str(data["iin"]), deps.key, CITIZEN, Channel.BOT)
    except KezekError as exc:
        await end_conversation(state, lang)
        await show(event, error_text(exc, lang), kb.menu(lang))
        return
    await end_conversation(state, lang)
    await show(event, t("cancelled", lang, code=code_text(code)), kb.menu(lang))


PENDING = {"book": confirm_booking, "list": list_for_iin, "cancel": cancel, "rebook": rebook,
           "ballot": confirm_ballot, "waitlist": wait.join}
