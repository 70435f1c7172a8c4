"""`kezek bot`: the Telegram bot by long polling against the configured Bot API.

Without a token there is nothing to poll, so the command says so in one line and exits
non-zero instead of starting and failing on the first request. aiogram and the bot
package are imported only when the bot starts, not when the root app lists this command.
"""

from __future__ import annotations

import asyncio
import sys

import typer

from kezek.settings import Settings, get_settings

NO_TOKEN = ("kezek bot: KEZEK_TELEGRAM_TOKEN is not set; get a token from @BotFather "
            "and set it to run the bot")


def bot_command() -> None:
    """Runs the Telegram bot with long polling (needs KEZEK_TELEGRAM_TOKEN)."""
    raise typer.Exit(run_bot(get_settings()))


def run_bot(settings: Settings) -> int:
    """Runs the bot until interrupted; returns the process exit code."""
    if not settings.telegram_token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    from aiogram.utils.token import TokenValidationError, validate_token

    try:
        validate_token(settings.telegram_token)
    except TokenValidationError:
        print("kezek bot: KEZEK_TELEGRAM_TOKEN does not look like a bot token "
              "(digits, a colon, then letters)", file=sys.stderr)
        return 2
    from kezek import clock

    with clock.pinned_from_setting(settings.clock_at):
        return asyncio.run(serve(settings))


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> int:
    """Long polling until `stop` is set (or the process is interrupted)."""
    from kezek.bot.dispatcher import build_dispatcher, make_bot
    from kezek.live.broker import make_broker
    from kezek.store.db import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url, settings.db_pool_size,
                         settings.db_max_overflow, settings.db_pool_timeout)
    broker = make_broker(settings.redis_url) if settings.redis_url else None
    bot = make_bot(settings)
    dp = build_dispatcher(make_sessionmaker(engine), settings, broker=broker)
    watcher = asyncio.create_task(_stop_when(stop, dp)) if stop is not None else None
    try:
        await dp.start_polling(bot, handle_signals=stop is None, close_bot_session=True)
    finally:
        if watcher is not None:
            watcher.cancel()
        if broker is not None:
            await broker.close()
        await engine.dispose()
    return 0


async def _stop_when(stop: asyncio.Event, dp: object) -> None:
    from aiogram import Dispatcher

    assert isinstance(dp, Dispatcher)
    await stop.wait()
    await dp.stop_polling()
