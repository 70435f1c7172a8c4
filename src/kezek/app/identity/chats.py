"""Telegram chats proven by a shared contact, and the code sender that uses them.

A chat is linked to an (IIN, number) pair only when its owner shared their own contact
and the directory matched the number to the IIN (`contact.prove`): never on an IIN
typed alone. A code for that pair then goes to the chat; where Telegram cannot deliver
it (the bot was blocked, Telegram unreachable) it goes by the usual sender instead, so
a linked chat can never lock a person out.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app.identity.ports import CodeSender
from kezek.store.models import utcnow
from kezek.store.models_identity import IdentityChatRow

log = logging.getLogger("kezek.identity")


async def link(session: AsyncSession, iin_hash: str, phone_hash: str, chat_id: int) -> None:
    """Records (or moves) the pair's chat; an upsert, as two proofs may race."""
    conn = await session.connection()
    dml: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    now = utcnow()
    await session.execute(dml.insert(IdentityChatRow).values(
        iin_hash=iin_hash, phone_hash=phone_hash, chat_id=chat_id, verified_at=now)
        .on_conflict_do_update(index_elements=["iin_hash", "phone_hash"],
                               set_={"chat_id": chat_id, "verified_at": now}))


async def linked(session: AsyncSession, iin_hash: str, phone_hash: str) -> int | None:
    return await session.scalar(select(IdentityChatRow.chat_id).where(
        IdentityChatRow.iin_hash == iin_hash, IdentityChatRow.phone_hash == phone_hash))


class TelegramChat:
    """Sends the code to one chat through the Bot API; falls back on failure."""

    channel = "telegram"
    shows_code = False

    def __init__(self, token: str, api_base: str, chat_id: int, fallback: CodeSender,
                 timeout: float = 5.0) -> None:
        self.url = f"{api_base.rstrip('/')}/bot{token}/sendMessage"
        self.chat_id, self.fallback, self.timeout = chat_id, fallback, timeout

    async def send(self, phone: str, text: str) -> None:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                reply = await client.post(self.url, json={"chat_id": self.chat_id,
                                                          "text": text})
            if 200 <= reply.status_code < 300:
                return
            log.warning("Telegram answered %s to a code; sending it by %s instead",
                        reply.status_code, self.fallback.channel)
        except httpx.HTTPError as exc:
            log.warning("Telegram unreachable for a code (%s); sending it by %s instead",
                        type(exc).__name__, self.fallback.channel)
        await self.fallback.send(phone, text)

    async def towards(self, session: AsyncSession, iin_hash: str,
                      phone_hash: str) -> CodeSender:
        return self


class TelegramFirst:
    """The configured sender, except towards a pair whose chat is linked."""

    def __init__(self, token: str, api_base: str, fallback: CodeSender) -> None:
        self.token, self.api_base, self.fallback = token, api_base, fallback
        self.channel, self.shows_code = fallback.channel, fallback.shows_code

    async def send(self, phone: str, text: str) -> None:
        await self.fallback.send(phone, text)

    async def towards(self, session: AsyncSession, iin_hash: str,
                      phone_hash: str) -> CodeSender:
        chat = await linked(session, iin_hash, phone_hash)
        if chat is None:
            return self.fallback
        return TelegramChat(self.token, self.api_base, chat, self.fallback)
