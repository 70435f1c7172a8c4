"""What every handler shares: the database, the settings, the chat's language.

A handler does its work in one transaction (`Deps.tx`), committed when the block ends
and rolled back when a domain error leaves it, exactly as the API's `tx` does; the
reply to a refusal is sent after the rollback, so a refused booking leaves nothing
behind (not even the person's row).  Live messages the work queued are published
after the commit when a broker is configured.

The chat's language lives in the FSM data; the `bot_chats` row is read only when that
is empty (a new process, or a chat seen for the first time).

A reply keyboard (share my location, share my number) stays under the input field
until a message removes it, so the conversation notes that one is shown (`REPLY_KB`)
and the middleware removes it as soon as the person goes on another way than the one
it asks for (a button, a command, typed text); the handler of a shared location or
contact removes it itself.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    TelegramObject,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kezek.app import catalog
from kezek.app.identity.proof import from_dict
from kezek.app.outbox import take_messages
from kezek.app.throttle import Throttle
from kezek.bot.states import Flow
from kezek.bot.texts import lang_or
from kezek.core.identity import IdentityMode
from kezek.jobs import handoff
from kezek.jobs.queue import jobs_for
from kezek.live.broker import Broker
from kezek.logs import correlate, uncorrelate
from kezek.settings import Settings
from kezek.store.db import unit_of_work
from kezek.store.models import utcnow
from kezek.store.models_channels import BotChatRow

# FSM keys that belong to one conversation; everything but the language is dropped
# when a conversation ends, and the IIN first of all.
LANG = "lang"
# The proof of identity (hashes and an expiry only) outlives a conversation until it
# expires, so that cancelling right after booking does not ask for the contact again.
PROOF = "proof"
# A reply keyboard is shown under the input field (see the module's docstring).
REPLY_KB = "reply_kb"

log = logging.getLogger(__name__)


class ChatLocks:
    """One asyncio lock a chat, for what must not run twice at once for one chat
    (Telegram delivers a double tap as two concurrent updates). A lock lives while a
    handler holds it; within one process only (ADR 32)."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = (
            weakref.WeakValueDictionary())

    def of(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat_id] = lock
        return lock


@dataclass(frozen=True, slots=True)
class Deps:
    sm: async_sessionmaker[AsyncSession]
    settings: Settings
    broker: Broker | None = None
    # Counts per chat what a chat can repeat (sharing contacts above all); the API's
    # limiter, in Redis when configured, so that bot and API workers count together.
    throttle: Throttle | None = None
    locks: ChatLocks = field(default_factory=ChatLocks)

    async def hit(self, rule: str, chat_id: int) -> None:
        """Counts one try of `rule` for the chat; raises RateLimited when over."""
        if self.throttle is not None:
            await self.throttle.hit(rule, str(chat_id))

    @property
    def key(self) -> bytes:
        return self.settings.iin_key.encode()

    @asynccontextmanager
    async def tx(self) -> AsyncIterator[AsyncSession]:
        async with unit_of_work(self.sm) as session:
            yield session
        # Reminders are planned as soon as a booking commits, as through the API.
        await handoff.deliver(take_messages(session), lambda: jobs_for(self.settings),
                              self.broker)


class ChatMiddleware(BaseMiddleware):
    """Gives handlers `deps` and `lang` (the chat's language, or the network default)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]],
                                               Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        state: FSMContext | None = data.get("state")
        lang = (await state.get_value(LANG)) if state is not None else None
        if lang is None:
            chat = data.get("event_chat")
            if chat is not None:
                async with self.deps.sm() as s:
                    row = await s.get(BotChatRow, chat.id)
                    lang = row.lang if row is not None else None
            lang = lang_or(lang, self.deps.settings.default_lang)
            if state is not None:
                await state.update_data({LANG: lang})
        if state is not None and await state.get_value(REPLY_KB) \
                and not await _answers_keyboard(event, state):
            await drop_reply_keyboard(data.get("bot"), data.get("event_chat"), state)
        data["deps"] = self.deps
        data["lang"] = lang
        token = correlate("bot")  # every line of this update's handling shares one id
        try:
            return await handler(event, data)
        finally:
            uncorrelate(token)


async def _answers_keyboard(event: TelegramObject, state: FSMContext) -> bool:
    """Whether the update is what the shown reply keyboard asked for (its handler then
    removes the keyboard with its answer)."""
    if not isinstance(event, Message):
        return False
    current = await state.get_state()
    return bool((event.location is not None and current == Flow.place.state)
                or (event.contact is not None and current == Flow.contact.state))


async def offer_reply_keyboard(bot: Bot, chat_id: int, state: FSMContext, text: str,
                               markup: ReplyKeyboardMarkup) -> None:
    """Sends a message with a reply keyboard and notes that it is shown."""
    await bot.send_message(chat_id, text, reply_markup=markup)
    await state.update_data({REPLY_KB: True})


async def reply_keyboard_gone(state: FSMContext) -> None:
    """Notes that an answer removed the reply keyboard (ReplyKeyboardRemove)."""
    await state.update_data({REPLY_KB: False})


async def drop_reply_keyboard(bot: Any, chat: Any, state: FSMContext) -> None:
    """Removes a shown reply keyboard when the person went on another way.

    Only a sent message can remove it, so a short one does and is deleted at once: the
    keyboard stays removed and the chat keeps no trace of it."""
    await reply_keyboard_gone(state)
    if not isinstance(bot, Bot) or chat is None:
        return
    try:
        sent = await bot.send_message(chat.id, "✔", reply_markup=ReplyKeyboardRemove())
        await bot.delete_message(chat.id, sent.message_id)
    except TelegramAPIError as exc:
        log.warning("could not remove a reply keyboard", extra={"reason": type(exc).__name__})


async def end_conversation(state: FSMContext, lang: str) -> None:
    """Forgets everything the conversation held (the IIN included) but the language
    and a proof of identity that has not expired yet."""
    proof = from_dict(await state.get_value(PROOF))
    await state.clear()
    await state.update_data({LANG: lang, **({PROOF: proof.as_dict()} if proof else {})})


async def proven(state: FSMContext, deps: Deps, iin: str) -> bool:
    """Whether the chat may act on `iin` now: a live proof for it, or a network that
    takes the IIN alone (`identity: none`)."""
    async with deps.tx() as s:
        policy = await catalog.identity_policy(s)
    if policy.mode is IdentityMode.NONE:
        return True
    proof = from_dict(await state.get_value(PROOF))
    return proof is not None and proof.covers(iin, deps.key)


async def save_chat(s: AsyncSession, chat_id: int, lang: str | None = None,
                    person_id: int | None = None) -> None:
    """Records a chat's language and/or the person whose IIN it last confirmed.

    An upsert, because Telegram delivers a chat's updates concurrently (two quick
    presses): a read-then-insert would let the second one fail on the primary key.
    """
    conn = await s.connection()
    dml: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    now = utcnow()
    changes: dict[str, Any] = {"updated_at": now}
    if lang is not None:
        changes["lang"] = lang
    if person_id is not None:
        changes["person_id"] = person_id
    await s.execute(dml.insert(BotChatRow).values(
        chat_id=chat_id, lang=lang or "ru", person_id=person_id, created_at=now,
        updated_at=now).on_conflict_do_update(index_elements=["chat_id"], set_=changes))


async def linked_person(s: AsyncSession, chat_id: int) -> int | None:
    row = await s.get(BotChatRow, chat_id)
    return row.person_id if row is not None else None


def chat_id_of(event: Message | CallbackQuery) -> int:
    if isinstance(event, Message):
        return event.chat.id
    return event.message.chat.id if event.message is not None else event.from_user.id


async def show(event: Message | CallbackQuery, text: str,
               markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None) -> Message:
    """Answers a typed message with a new one; a button press edits the message it was on.

    Editing keeps the chat short; when the message cannot be edited (too old, or a reply
    keyboard is needed) a new one is sent instead.
    """
    if isinstance(event, Message):
        return await event.answer(text, reply_markup=markup)
    await event.answer()
    msg = event.message
    if isinstance(msg, Message) and not isinstance(markup, ReplyKeyboardMarkup):
        try:
            edited = await msg.edit_text(text, reply_markup=markup)
            if isinstance(edited, Message):
                return edited
        except TelegramBadRequest:
            pass
    assert event.bot is not None
    return await event.bot.send_message(event.from_user.id if msg is None else msg.chat.id,
                                        text, reply_markup=markup)
