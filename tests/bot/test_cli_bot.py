"""`kezek bot`: refuses without a token; with one, long-polls the configured Bot API."""

from __future__ import annotations

import asyncio

import pytest
from tests.bot.conftest import bot_settings
from tests.bot.fake_api import FakeBotApi

from kezek.cli.bot import run_bot, serve
from kezek.settings import Settings


def test_without_a_token_it_says_so_and_exits_non_zero(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    code = run_bot(Settings(telegram_token=None, env="test"))
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert len(err.splitlines()) == 1 and "KEZEK_TELEGRAM_TOKEN is not set" in err


def test_a_malformed_token_is_refused_before_any_request(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    assert run_bot(Settings(telegram_token="not a token", env="test")) != 0
    assert "does not look like a bot token" in capsys.readouterr().err


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_long_polling_answers_an_update(api: FakeBotApi, db_url: str) -> None:
    api.updates = [{"update_id": 1, "message": {
        "message_id": 5, "date": 1_700_000_000, "chat": {"id": 99, "type": "private"},
        "from": {"id": 99, "is_bot": False, "first_name": "A"}, "text": "/start"}}]
    stop = asyncio.Event()
    task = asyncio.create_task(serve(bot_settings(db_url, api.url), stop))
    for _ in range(200):
        if api.of("sendMessage"):
            break
        await asyncio.sleep(0.02)
    stop.set()
    assert await asyncio.wait_for(task, 10) == 0
    sent = api.of("sendMessage")
    assert [int(c.params["chat_id"]) for c in sent] == [99]
    assert "Choose a language" in sent[0].params["text"]
    assert api.of("getMe") and api.of("getUpdates")
