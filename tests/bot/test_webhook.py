"""Updates by webhook, and an IIN typed where none was asked for."""

from __future__ import annotations

import pytest
from tests.bot.conftest import Chat, bot_settings
from tests.bot.fake_api import FakeBotApi

from kezek.bot.webhook import Webhook, webhook_secret

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
START = {"update_id": 7, "message": {
    "message_id": 5, "date": 1_700_000_000, "chat": {"id": 31337, "type": "private"},
    "from": {"id": 31337, "is_bot": False, "first_name": "A"}, "text": "/start"}}


async def test_a_webhook_update_needs_the_secret(chat: Chat, api: FakeBotApi, db_url: str
                                                 ) -> None:
    settings = bot_settings(db_url, api.url)
    hook = Webhook(chat.dp, chat.bot, settings)
    assert await hook.handle(START, "wrong") is False
    assert await hook.handle(START, None) is False
    assert api.of("sendMessage") == []
    assert await hook.handle(START, webhook_secret(settings)) is True
    sent = api.of("sendMessage")
    assert [int(c.params["chat_id"]) for c in sent] == [31337]
    assert await hook.set_webhook("https://kezek.example/telegram") is True
    (call,) = api.of("setWebhook")
    assert call.params["secret_token"] == webhook_secret(settings)
    other = bot_settings(db_url, api.url).model_copy(update={"secret_key": "x" * 40})
    assert webhook_secret(other) != webhook_secret(settings)


async def test_an_iin_typed_anywhere_is_deleted(chat: Chat) -> None:
    await chat.send("/start")
    await chat.press("English")
    sent = await chat.send("my IIN is 900101 300017")  # at the menu: nobody asked
    assert [int(c.params["message_id"]) for c in chat.since("deleteMessage")] == [sent]
    assert "did not understand" in chat.said()
    await chat.press("Book a visit")
    sent = await chat.send("900101300017")  # as the words of a service
    assert [int(c.params["message_id"]) for c in chat.since("deleteMessage")] == [sent]
    assert "Nothing found" in chat.said()
    await chat.send("card")  # ordinary words are kept and searched
    assert chat.since("deleteMessage") == [] and "Services found" in chat.said()
