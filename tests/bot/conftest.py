"""Bot conversations: updates fed to the real dispatcher, answers through a real HTTP
round trip to a fake Bot API on 127.0.0.1, over the seeded test network.

`Chat` plays the person: it sends texts and locations and presses buttons that the bot
actually sent (found in the recorded sendMessage/editMessageText calls), so a test can
only press what a person would see.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import CallbackQuery, Contact, Location, Message, Update, User
from aiogram.types import Chat as TgChat
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.fake_api import BOT_ID, BOT_USERNAME, Call, FakeBotApi

from kezek.app.actor import SYSTEM, Channel
from kezek.app.network_io import import_network
from kezek.bot.dispatcher import build_dispatcher, make_bot
from kezek.bot.views import day_label
from kezek.settings import Settings
from kezek.store.db import unit_of_work
from kezek.store.models import CenterRow

IIN_KEY = "test-iin-key"
TOKEN = "123456789:AAtest-token-for-the-fake-api_0123456"
TZ = "Asia/Almaty"
PHONE = "77011234567"  # as Telegram sends a shared contact's number
POINTS = {"self_service_points": [
    {"slug": "ssp-near", "city": "testcity",
     "names": {"kk": "Жұмыспен қамту бөлімі", "ru": "Отдел занятости",
               "en": "Employment department"},
     "address": {"kk": "Абай көшесі, 1", "ru": "ул. Абая, 1", "en": "1 Abai Street"},
     "lat": 53.2841, "lon": 69.3952,
     "hours": {d: ["09:00", "18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}},
    {"slug": "ssp-far", "city": "testcity",
     "names": {"kk": "Кәсіпкерлер палатасы", "ru": "Палата предпринимателей",
               "en": "Chamber of entrepreneurs"},
     "address": {"kk": "Ауэзов көшесі, 9", "ru": "ул. Ауэзова, 9", "en": "9 Auezov Street"},
     "lat": 53.40, "lon": 69.60,
     "hours": {d: ["10:00", "17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}},
]}
# Where the seeded centres stand (the seed has no coordinates).
PLACES = {"booking-only": (53.2853, 69.3857), "mixed": (53.3300, 69.4500),
          "vehicle": (53.2500, 69.3500)}


class Chat:
    """One person's private chat with the bot."""

    _ids = itertools.count(1)

    def __init__(self, dp: Dispatcher, bot: Bot, api: FakeBotApi, chat_id: int) -> None:
        self.dp, self.bot, self.api, self.chat_id = dp, bot, api, chat_id
        self.user = User(id=chat_id, is_bot=False, first_name="Aigerim", language_code="kk")
        self.tg_chat = TgChat(id=chat_id, type="private")
        self.mark = 0

    async def _feed(self, **kind: Any) -> None:
        self.mark = len(self.api.calls)
        await self.dp.feed_update(self.bot, Update(update_id=next(self._ids), **kind))

    def _message(self, **body: Any) -> Message:
        return Message(message_id=next(self._ids) + 500_000, date=dt.datetime.now(dt.UTC),
                       chat=self.tg_chat, from_user=self.user, **body)

    async def send(self, text: str) -> int:
        """Sends a text; returns its message id (to check that the bot deleted it)."""
        msg = self._message(text=text)
        await self._feed(message=msg)
        return msg.message_id

    async def share_location(self, lat: float, lon: float) -> None:
        await self._feed(message=self._message(location=Location(latitude=lat, longitude=lon)))

    async def share_contact(self, phone: str = PHONE, own: bool = True) -> int:
        """Shares a contact, the chat's own (as the button does) or someone else's."""
        whose = self.user.id if own else self.user.id + 1
        msg = self._message(contact=Contact(phone_number=phone, first_name="Aigerim",
                                            user_id=whose))
        await self._feed(message=msg)
        return msg.message_id

    async def send_iin(self, iin: str, phone: str = PHONE) -> str:
        """Sends the IIN and, when the bot asks for it, shares the chat's own contact;
        returns what the bot said after both."""
        await self.send(iin)
        said = self.said()
        if "📱" in json.dumps([c.params for c in self.since()], ensure_ascii=False):
            await self.share_contact(phone)
            said += "\n" + self.said()
        return said

    def messages(self) -> dict[int, tuple[str, list[dict[str, Any]]]]:
        """The bot's messages as the chat shows them now: id -> (text, buttons)."""
        shown: dict[int, tuple[str, list[dict[str, Any]]]] = {}
        for call in self.api.calls:
            if call.method in ("sendMessage", "editMessageText") and \
                    int(call.params.get("chat_id", 0)) == self.chat_id:
                markup = call.params.get("reply_markup")
                rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
                shown[call.result["message_id"]] = (
                    call.params.get("text", ""), [b for row in rows for b in row])
        return shown

    def buttons(self) -> list[str]:
        """Labels of the inline buttons on the newest message that has any."""
        for _, (_, buttons) in sorted(self.messages().items(), reverse=True):
            if buttons:
                return [b["text"] for b in buttons]
        return []

    def find(self, label: str, exact: bool = False, on: int | None = None
             ) -> tuple[int, str, str]:
        """The newest button whose label is (or contains) `label`, on message `on` if
        given: (message id, message text, callback data)."""
        for message_id, (text, buttons) in sorted(self.messages().items(), reverse=True):
            if on is not None and message_id != on:
                continue
            for b in buttons:
                hit = b["text"] == label if exact else label in b["text"]
                if hit and "callback_data" in b:
                    return message_id, text, b["callback_data"]
        raise AssertionError(f"no button {label!r}; the chat shows {self.buttons()}")

    async def tap(self, found: tuple[int, str, str]) -> None:
        """Presses a button found before, as it was then (a second tap of it)."""
        message_id, text, data = found
        on = Message(message_id=message_id, date=dt.datetime.now(dt.UTC),
                     chat=self.tg_chat, from_user=User(
                         id=BOT_ID, is_bot=True, first_name="Kezek",
                         username=BOT_USERNAME), text=text)
        await self._feed(callback_query=CallbackQuery(
            id=str(next(self._ids)), from_user=self.user, chat_instance="ci",
            data=data, message=on))

    async def press(self, label: str, exact: bool = False, on: int | None = None) -> None:
        """Presses the newest button whose label is (or contains) `label` (on message
        `on`, an old one, if given)."""
        await self.tap(self.find(label, exact, on))

    def newest_with(self, label: str) -> int:
        """The id of the newest message with a button labelled (or containing) `label`."""
        return self.find(label)[0]

    def since(self, method: str | None = None) -> list[Call]:
        """Bot API calls made while handling the last update."""
        return [c for c in self.api.calls[self.mark:] if method is None or c.method == method]

    def texts(self) -> list[str]:
        """What the bot said while handling the last update (texts and captions)."""
        return [str(c.params.get("text") or c.params.get("caption") or "")
                for c in self.since() if c.method in ("sendMessage", "editMessageText",
                                                       "sendPhoto")]

    def said(self) -> str:
        return "\n".join(self.texts())


def bot_settings(db_url: str, api_url: str) -> Settings:
    return Settings(database_url=db_url, iin_key=IIN_KEY, telegram_token=TOKEN,
                    telegram_api_base=api_url, env="test", default_lang="ru",
                    portal_url="https://egov.kz")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def centres(sm: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """The seeded centres by slug, placed on the map, with two self-service points."""
    async with unit_of_work(sm) as s:
        await import_network(s, POINTS, SYSTEM, Channel.CLI)
        for slug, (lat, lon) in PLACES.items():
            await s.execute(update(CenterRow).where(CenterRow.slug == slug)
                            .values(lat=lat, lon=lon))
        rows = (await s.execute(CenterRow.__table__.select())).all()
    return {r.slug: r.id for r in rows}


@pytest.fixture
async def chat(sm: async_sessionmaker[AsyncSession], api: FakeBotApi, db_url: str,
               centres: dict[str, int]) -> AsyncIterator[Chat]:
    settings = bot_settings(db_url, api.url)
    bot = make_bot(settings)
    dp = build_dispatcher(sm, settings)
    try:
        yield Chat(dp, bot, api, chat_id=424242)
    finally:
        await bot.session.close()


def tomorrow() -> dt.date:
    """The test network's centres open every day, and late in the day today may have no
    free time left: tomorrow always has some."""
    return dt.datetime.now(ZoneInfo(TZ)).date() + dt.timedelta(days=1)


def tomorrow_label(lang: str) -> str:
    return day_label(tomorrow(), lang)
