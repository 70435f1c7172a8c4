"""The directory adapters: Kezek's own table of registered numbers, and a state registry
over HTTP.

Kezek's table serves a network without a registry: numbers verified in person at a
centre (after seeing the ID document), by the call centre, imported from a file, or
bound on first use by a code. A state registry answers for itself; Kezek never binds a
number to an IIN it does not know of there.
"""

from __future__ import annotations

import functools
import ssl
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit
from kezek.app.actor import Actor, Channel
from kezek.app.identity.ports import Listing
from kezek.app.identity.sealing import open_phone, seal_phone
from kezek.core.errors import IdentityUnavailable, InvalidPhone
from kezek.core.identity import mask_phone, normalize_phone, phone_digest
from kezek.core.policy import Privilege
from kezek.core.privacy import iin_digest
from kezek.store.models_identity import IdentityPhoneRow

SOURCES = ("door", "window", "call_centre", "import", "first_use")


class LocalDirectory:
    """Numbers from Kezek's own table (`identity_phones`)."""

    knows_privilege = False

    def __init__(self, key: bytes) -> None:
        self.key = key

    async def lookup(self, session: AsyncSession, iin: str) -> Listing:
        rows = (await session.scalars(
            select(IdentityPhoneRow.phone_cipher)
            .where(IdentityPhoneRow.iin_hash == iin_digest(iin, self.key),
                   IdentityPhoneRow.active.is_(True))
            .order_by(IdentityPhoneRow.id.desc()))).all()
        return Listing(phones=tuple(open_phone(c, self.key) for c in rows), bindable=True)


async def iins_on_phone(session: AsyncSession, phone: str, key: bytes) -> int:
    """How many IINs this number is registered to now (first-use binding caps it)."""
    return int(await session.scalar(
        select(func.count(func.distinct(IdentityPhoneRow.iin_hash)))
        .where(IdentityPhoneRow.phone_hash == phone_digest(phone, key),
               IdentityPhoneRow.active.is_(True))) or 0)


async def register(session: AsyncSession, iin: str, raw_phone: str, source: str, key: bytes,
                   actor: Actor, channel: Channel) -> str:
    """Registers a number to an IIN (or re-activates it); returns the number masked.

    Staff call this after seeing the person's ID document (door, window) or asking the
    caller's questions (call centre); an import passes `import`. Audited with the actor;
    the audit row holds the number's digest, never the number.
    """
    phone = normalize_phone(raw_phone)
    if phone is None:
        raise InvalidPhone()
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    iin_hash, phone_hash = iin_digest(iin, key), phone_digest(phone, key)
    existing = await session.scalar(select(IdentityPhoneRow).where(
        IdentityPhoneRow.iin_hash == iin_hash, IdentityPhoneRow.phone_hash == phone_hash))
    if existing is None:
        session.add(IdentityPhoneRow(iin_hash=iin_hash, phone_hash=phone_hash,
                                     phone_cipher=seal_phone(phone, key),
                                     phone_masked=mask_phone(phone), source=source,
                                     added_by=actor.label))
    else:
        existing.active, existing.source, existing.added_by = True, source, actor.label
    await session.flush()
    await audit.record(session, actor, channel, "identity.phone_register", "person",
                       iin_hash[:16], {"phone": phone_hash[:16], "source": source})
    return mask_phone(phone)


async def unregister_all(session: AsyncSession, iin: str, key: bytes, actor: Actor,
                         channel: Channel) -> int:
    """Removes every number of an IIN (in person only: a lost phone, a re-binding)."""
    iin_hash = iin_digest(iin, key)
    result = await session.execute(
        update(IdentityPhoneRow).where(IdentityPhoneRow.iin_hash == iin_hash,
                                       IdentityPhoneRow.active.is_(True))
        .values(active=False))
    count = int(result.rowcount)  # type: ignore[attr-defined]
    await audit.record(session, actor, channel, "identity.phone_unregister", "person",
                       iin_hash[:16], {"count": count})
    return count


class RegistryDirectory:
    """A state registry of mobile citizens over HTTP.

    The request is `POST {url}` with `{"iin": "..."}` in the body (never in the URL) and
    the configured bearer credential; the answer is `{"phones": ["+7701..."],
    "privilege": "pensioner" | "disability" | "large_family" | null}`, or 404 for an IIN
    the registry does not know. Anything else is "unavailable", never a guess. An answer
    without the `privilege` field leaves the person's status unknown (`privilege_known`).
    """

    knows_privilege = True

    def __init__(self, url: str, token: str | None, timeout: float = 5.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.url, self.token, self.timeout, self.transport = url, token, timeout, transport

    async def lookup(self, session: AsyncSession, iin: str) -> Listing:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            async with httpx.AsyncClient(timeout=self.timeout, verify=_tls(),
                                         transport=self.transport) as client:
                reply = await client.post(self.url, json={"iin": iin}, headers=headers)
        except httpx.HTTPError as exc:
            raise IdentityUnavailable() from exc
        if reply.status_code == 404:
            return Listing(bindable=False)
        if reply.status_code != 200:
            raise IdentityUnavailable()
        return _listing(reply)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process: building one loads the CA bundle, which cost about
    180 ms a client on this (loaded) machine, paid by every privileged booking and code
    request otherwise (bench/privilege_check.py)."""
    return httpx.create_ssl_context()


def _listing(reply: httpx.Response) -> Listing:
    try:
        body: Any = reply.json()
        raw_phones = body.get("phones") or []
        phones = tuple(p for p in (normalize_phone(str(x)) for x in raw_phones) if p)
        known = "privilege" in body
        raw_priv = body.get("privilege")
        privilege = Privilege(raw_priv) if raw_priv else None
    except (ValueError, AttributeError, TypeError) as exc:
        raise IdentityUnavailable() from exc
    return Listing(phones=phones, privilege=privilege, bindable=False, privilege_known=known)
