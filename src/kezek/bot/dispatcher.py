"""Assembling the bot: the dispatcher with its routers, and a Bot for a settings' API.

Conversation state is kept by aiogram's FSM storage. `MemoryStorage` (the default)
holds it in this process, which is right for one long-polling process; several
processes behind a webhook need a shared storage (aiogram's `RedisStorage` on
`KEZEK_REDIS_URL`), passed in as `storage`.
"""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kezek.app.throttle import make_throttle
from kezek.bot import ballot, feedback, find, iin, mine, situations, slots, start, wait
from kezek.bot.common import ChatMiddleware, Deps
from kezek.live.broker import Broker
from kezek.settings import Settings


def build_dispatcher(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings,
                     storage: BaseStorage | None = None,
                     broker: Broker | None = None) -> Dispatcher:
    """A dispatcher with every step of the conversation.

    An aiogram router may belong to one parent only, so each module builds its router
    on request and every dispatcher (tests build several) gets fresh ones.
    """
    deps = Deps(sessionmaker, settings, broker,
                make_throttle(settings.redis_url, settings.throttle))
    dp = Dispatcher(storage=storage or MemoryStorage())
    middleware = ChatMiddleware(deps)
    dp.message.outer_middleware(middleware)
    dp.callback_query.outer_middleware(middleware)
    for build in (start.router, find.router, slots.router, ballot.router, wait.router,
                  iin.router, mine.router, situations.router, feedback.router,
                  start.fallback):
        dp.include_router(build())
    return dp


def make_bot(settings: Settings) -> Bot:
    """A Bot talking to the settings' API base (Telegram's, a local Bot API server, a fake)."""
    if not settings.telegram_token:
        raise ValueError("KEZEK_TELEGRAM_TOKEN is not set")
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    return Bot(settings.telegram_token, session=session)
