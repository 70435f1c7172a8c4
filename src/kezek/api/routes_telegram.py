"""Telegram's webhook: updates POSTed by Telegram, handed to the bot's dispatcher.

The other way to run the bot (`kezek bot`, long polling) needs one process; behind a
webhook every API worker takes updates, and with `KEZEK_REDIS_URL` set the conversation
state lives in Redis so that any worker can continue a conversation. Without a token the
route does not exist (404). A request without the secret header Telegram was given is
refused before anything is parsed.

The bot (aiogram, seconds to import) is loaded with the first update, not with the app:
most deployments never receive one, and a worker must answer its start-up check fast
(ADR 0016).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response

from kezek.core.errors import NotFound, ValidationFailed
from kezek.settings import Settings

if TYPE_CHECKING:
    from kezek.bot.webhook import Webhook

router = APIRouter(include_in_schema=False)


def _storage(settings: Settings) -> Any:
    if not settings.redis_url:
        return None  # the dispatcher's own MemoryStorage: one worker
    from aiogram.fsm.storage.redis import RedisStorage

    # Conversation state holds an IIN while it is being confirmed: keep it minutes, not days.
    return RedisStorage.from_url(settings.redis_url, state_ttl=1800, data_ttl=1800)


def _hook(request: Request) -> Webhook:
    settings: Settings = request.app.state.settings
    if not settings.telegram_token:
        raise NotFound(entity="webhook")
    hook: Webhook | None = getattr(request.app.state, "telegram", None)
    if hook is None:
        from kezek.bot.dispatcher import build_dispatcher, make_bot
        from kezek.bot.webhook import Webhook

        dp = build_dispatcher(request.app.state.sessionmaker, settings,
                              storage=_storage(settings), broker=request.app.state.broker)
        hook = request.app.state.telegram = Webhook(dp, make_bot(settings), settings)
    return hook


@router.post("/telegram/webhook")
async def telegram_webhook(request: Request) -> Response:
    from kezek.bot.webhook import SECRET_HEADER

    hook = _hook(request)
    secret = request.headers.get(SECRET_HEADER)
    if secret is None or secret != hook.secret:
        return Response(status_code=401)
    try:
        payload = await request.json()
    except ValueError as exc:
        raise ValidationFailed(detail="the body is not JSON") from exc
    if not isinstance(payload, dict):
        raise ValidationFailed(detail="an update is a JSON object")
    await hook.handle(payload, secret)
    return Response(status_code=200)
