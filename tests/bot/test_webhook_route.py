"""The API's webhook route hands Telegram's updates to the bot, and only with the secret."""

from __future__ import annotations

import httpx
import pytest
from tests.bot.conftest import bot_settings
from tests.bot.fake_api import FakeBotApi
from tests.bot.test_webhook import START

from kezek.api.app import create_app
from kezek.bot.webhook import SECRET_HEADER, webhook_secret

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def _post(app, **kwargs) -> httpx.Response:  # type: ignore[no-untyped-def]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kezek") as c:
            return await c.post("/telegram/webhook", **kwargs)


async def test_the_webhook_route(sm, api: FakeBotApi, db_url: str) -> None:  # type: ignore[no-untyped-def]
    settings = bot_settings(db_url, api.url)
    app = create_app(settings)
    assert (await _post(app, json=START, headers={SECRET_HEADER: "wrong"})).status_code == 401
    assert (await _post(app, json=START)).status_code == 401
    assert api.of("sendMessage") == []
    good = {SECRET_HEADER: webhook_secret(settings)}
    assert (await _post(app, json=START, headers=good)).status_code == 200
    assert [int(c.params["chat_id"]) for c in api.of("sendMessage")] == [31337]
    bad = await _post(app, content=b"not json", headers=good)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"
    without = create_app(settings.model_copy(update={"telegram_token": None}))
    missing = await _post(without, json=START, headers=good)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
