"""The code sender adapters: an SMS gateway over HTTP, and the development sender.

The development sender writes the code to the log and lets the page show it, so that
`make run` works with no gateway; it is refused when `KEZEK_ENV=production`.
"""

from __future__ import annotations

import logging

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app.identity.ports import CodeSender
from kezek.core.errors import IdentityUnavailable
from kezek.core.identity import mask_phone

log = logging.getLogger("kezek.identity")


class DevSender:
    channel = "dev"
    shows_code = True

    async def send(self, phone: str, text: str) -> None:
        log.warning("development code sender: to %s: %s", mask_phone(phone), text)

    async def towards(self, session: AsyncSession, iin_hash: str,
                      phone_hash: str) -> CodeSender:
        return self


class GatewayUnreachable(IdentityUnavailable):
    """No connection to the gateway was made: nothing was sent, so a notice may be
    tried again (the jobs release its claim); to a code request it is unavailable."""


class SmsGateway:
    """`POST {url}` with `{"to": "+7701...", "text": "...", "from": sender}` and the
    configured bearer credential; any 2xx is delivered, anything else unavailable.

    The codes and the booking notices (jobs/senders.py) both go through it."""

    channel = "sms"
    shows_code = False

    def __init__(self, url: str, token: str | None, sender: str = "Kezek",
                 timeout: float = 5.0) -> None:
        self.url, self.token, self.sender, self.timeout = url, token, sender, timeout

    async def send(self, phone: str, text: str) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                reply = await client.post(self.url, headers=headers,
                                          json={"to": phone, "text": text,
                                                "from": self.sender})
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise GatewayUnreachable() from exc
        except httpx.HTTPError as exc:
            raise IdentityUnavailable() from exc
        if not 200 <= reply.status_code < 300:
            log.warning("SMS gateway answered %s", reply.status_code)
            raise IdentityUnavailable()

    async def towards(self, session: AsyncSession, iin_hash: str,
                      phone_hash: str) -> CodeSender:
        return self
