"""Updates by webhook: what an HTTP route needs to hand Telegram's POSTs to the bot.

The route itself belongs to the API (the bot does not import it); it calls
`Webhook.handle` with the JSON body and the `X-Telegram-Bot-Api-Secret-Token` header.
The secret is derived from the deployment's secret key and the bot token, so it needs
no setting of its own and changes when either does; `setWebhook` is given the same
value (see `set_webhook`). A request without it is refused before anything is parsed.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update

from kezek.settings import Settings

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_secret(settings: Settings) -> str:
    """1-256 characters of [A-Za-z0-9_-], as Telegram requires of a secret token."""
    token = (settings.telegram_token or "").encode()
    return hmac.new(settings.secret_key.encode(), b"telegram-webhook:" + token,
                    hashlib.sha256).hexdigest()


class Webhook:
    def __init__(self, dp: Dispatcher, bot: Bot, settings: Settings) -> None:
        self.dp, self.bot = dp, bot
        self.secret = webhook_secret(settings)

    async def handle(self, payload: dict[str, Any], secret: str | None) -> bool:
        """Feeds one update to the dispatcher; False (and nothing done) on a wrong secret."""
        if secret is None or not hmac.compare_digest(secret, self.secret):
            return False
        update = Update.model_validate(payload, context={"bot": self.bot})
        await self.dp.feed_update(self.bot, update)
        return True

    async def set_webhook(self, url: str) -> bool:
        """Points Telegram at `url` (an HTTPS route of the API) with the secret."""
        return await self.bot.set_webhook(url, secret_token=self.secret,
                                          allowed_updates=["message", "callback_query"])
