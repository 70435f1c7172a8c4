"""The two seams of proof of identity: who holds which number, and how a code travels.

Nothing in the booking rules knows which adapter answers; `wiring` picks them from the
settings (a state registry over HTTP or Kezek's own table; an SMS gateway or the
development sender).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.core.policy import Privilege


@dataclass(frozen=True, slots=True)
class Listing:
    """What a directory knows of one IIN: its numbers (normalised, newest first) and,
    where the source knows it, the person's privilege status."""

    phones: tuple[str, ...] = ()
    privilege: Privilege | None = None
    # Whether the source answered the privilege question at all: a registry whose answer
    # has no `privilege` field (or does not know the IIN) cannot say, and `privilege`
    # None then means "unknown", not "none" (core.privilege.judge).
    privilege_known: bool = False
    # Whether numbers may be bound to this IIN by Kezek (its own table), or only by the
    # state registry (then first-use binding never applies).
    bindable: bool = True


class Directory(Protocol):
    #: Whether this source can ever know a person's privilege status (a state registry
    #: can; Kezek's own table of numbers cannot, so a claim is not looked up there).
    knows_privilege: bool

    async def lookup(self, session: AsyncSession, iin: str) -> Listing:
        """The numbers registered to a (valid) IIN; raises IdentityUnavailable when the
        source cannot answer."""
        ...


class CodeSender(Protocol):
    #: `sms`, `telegram` or `dev`: told to the person ("sent by SMS") and audited.
    channel: str
    #: True only for the development sender: the page shows the code itself.
    shows_code: bool

    async def send(self, phone: str, text: str) -> None:
        """Delivers the text to the number; raises IdentityUnavailable on failure."""
        ...

    async def towards(self, session: AsyncSession, iin_hash: str,
                      phone_hash: str) -> CodeSender:
        """The sender for one person's number: itself, or their proven Telegram chat."""
        ...
