"""One challenge: a code sent to a number registered to the IIN, and its check.

A code goes only to a number the directory lists for the IIN, never to one the
requester types, unless the IIN has no number at all and the network binds numbers on
first use: then the typed number receives the code, and binds to the IIN only when the
code comes back (and only while it is bound to fewer than `max_iins_per_phone` IINs).
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit
from kezek.app.actor import Actor, Channel
from kezek.app.identity.directory import iins_on_phone
from kezek.app.identity.notice_phone import seal_in_proof
from kezek.app.identity.ports import CodeSender, Directory
from kezek.app.identity.proof import Proof
from kezek.app.identity.sealing import open_phone, seal_phone
from kezek.core import iin as iin_rules
from kezek.core.errors import (
    CodeExpired,
    CodeInvalid,
    InvalidIin,
    InvalidPhone,
    KezekError,
    NoPhone,
    PhoneRequired,
    PhoneTaken,
)
from kezek.core.identity import (
    IdentityPolicy,
    code_digest,
    code_matches,
    mask_phone,
    new_code,
    normalize_phone,
    phone_digest,
)
from kezek.core.privacy import iin_digest
from kezek.i18n import message
from kezek.store.models import utcnow
from kezek.store.models_identity import IdentityChallengeRow, IdentityPhoneRow


@dataclass(frozen=True, slots=True)
class Started:
    challenge: str
    sent_to: str  # the number, masked
    channel: str
    expires_in: int
    # The code itself, only from the development sender (shown on the page).
    dev_code: str | None = None


@dataclass(frozen=True, slots=True)
class Checked:
    """A check's outcome. A wrong code is a result, not an exception, so that the caller
    commits the spent try before telling the person."""

    proof: Proof | None = None
    error: KezekError | None = None


def valid_iin(raw: str) -> str:
    checked = iin_rules.check(raw)
    if not checked.valid:
        assert checked.problem is not None
        raise InvalidIin(problem=checked.problem.value)
    return checked.value


async def target(session: AsyncSession, iin: str, raw_phone: str | None,
                 directory: Directory, policy: IdentityPolicy, key: bytes
                 ) -> tuple[str, bool]:
    """The number to send the code to, and whether it is to be bound on success."""
    listing = await directory.lookup(session, iin)
    if listing.phones:
        typed = normalize_phone(raw_phone) if raw_phone else None
        return (typed if typed in listing.phones else listing.phones[0]), False
    if not (policy.first_use_binding and listing.bindable):
        raise NoPhone()
    if not raw_phone:
        raise PhoneRequired()
    phone = normalize_phone(raw_phone)
    if phone is None:
        raise InvalidPhone()
    if await iins_on_phone(session, phone, key) >= policy.max_iins_per_phone:
        raise PhoneTaken()
    return phone, True


async def start(session: AsyncSession, raw_iin: str, raw_phone: str | None,
                directory: Directory, sender: CodeSender, policy: IdentityPolicy,
                key: bytes, lang: str) -> Started:
    """Sends a new code for the IIN. Earlier codes stay valid until they expire, so that
    someone asking codes for another person's IIN cannot void that person's own code."""
    iin = valid_iin(raw_iin)
    phone, bind = await target(session, iin, raw_phone, directory, policy, key)
    iin_hash, phone_hash = iin_digest(iin, key), phone_digest(phone, key)
    sender = sender if bind else await sender.towards(session, iin_hash, phone_hash)
    challenge, code, now = secrets.token_urlsafe(16), new_code(), utcnow()
    session.add(IdentityChallengeRow(
        id=challenge, iin_hash=iin_hash, phone_hash=phone_hash,
        bind_cipher=seal_phone(phone, key) if bind else None,
        phone_cipher=seal_phone(phone, key),
        code_hash=code_digest(challenge, code, key), attempts=0,
        max_attempts=policy.code_attempts, channel=sender.channel, created_at=now,
        expires_at=now + dt.timedelta(seconds=policy.code_ttl_seconds)))
    await session.flush()
    minutes = max(1, policy.code_ttl_seconds // 60)
    await sender.send(phone, message("otp.sms", lang, otp=code, minutes=minutes))
    return Started(challenge, mask_phone(phone), sender.channel, policy.code_ttl_seconds,
                   code if sender.shows_code else None)


async def check(session: AsyncSession, challenge: str, code: str, policy: IdentityPolicy,
                key: bytes, actor: Actor, channel: Channel) -> Checked:
    """Spends one try on the challenge and, if the code matches, the challenge itself."""
    now = utcnow()
    t = IdentityChallengeRow
    live = and_(t.id == challenge[:32], t.used_at.is_(None), t.expires_at > now)
    row = (await session.execute(
        update(t).where(live, t.attempts < t.max_attempts)
        .values(attempts=t.attempts + 1)
        .returning(t.code_hash, t.iin_hash, t.phone_hash, t.bind_cipher, t.attempts,
                   t.max_attempts, t.channel, t.phone_cipher))).first()
    if row is None:
        return Checked(error=CodeExpired())
    if not code_matches(challenge, code, row.code_hash, key):
        left = row.max_attempts - row.attempts
        return Checked(error=CodeInvalid(left=left) if left > 0 else CodeExpired())
    spent = await session.execute(update(t).where(live).values(used_at=now))
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        return Checked(error=CodeExpired())  # a concurrent check spent it first
    if row.bind_cipher is not None:
        error = await _bind(session, row.iin_hash, open_phone(row.bind_cipher, key), policy,
                            key, actor, channel)
        if error is not None:
            return Checked(error=error)
    expires = time.time() + policy.proof_minutes * 60
    carried = (seal_in_proof(open_phone(row.phone_cipher, key), row.phone_hash, key)
               if row.phone_cipher else None)  # for SMS notices (ADR 0020)
    return Checked(proof=Proof(row.iin_hash, row.phone_hash, row.channel, expires, carried))


async def _bind(session: AsyncSession, iin_hash: str, phone: str, policy: IdentityPolicy,
                key: bytes, actor: Actor, channel: Channel) -> KezekError | None:
    """First-use binding, re-checked now that the code came back: the number must still
    be under its cap and the IIN must still have no number of its own."""
    has_own = await session.scalar(select(IdentityPhoneRow.id).where(
        IdentityPhoneRow.iin_hash == iin_hash, IdentityPhoneRow.active.is_(True)).limit(1))
    if has_own is not None:
        return CodeExpired()
    if await iins_on_phone(session, phone, key) >= policy.max_iins_per_phone:
        return PhoneTaken()
    await register_hashed(session, iin_hash, phone, key, actor, channel)
    return None


async def register_hashed(session: AsyncSession, iin_hash: str, phone: str, key: bytes,
                          actor: Actor, channel: Channel) -> None:
    """Binds a number to an IIN known only by its hash (the challenge holds no IIN)."""
    session.add(IdentityPhoneRow(iin_hash=iin_hash, phone_hash=phone_digest(phone, key),
                                 phone_cipher=seal_phone(phone, key),
                                 phone_masked=mask_phone(phone), source="first_use",
                                 added_by=actor.label))
    await session.flush()
    await audit.record(session, actor, channel, "identity.phone_register", "person",
                       iin_hash[:16], {"phone": phone_digest(phone, key)[:16],
                                       "source": "first_use"})
