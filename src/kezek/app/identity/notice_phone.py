"""The number a person proved by a code, kept sealed so that later notices can go by SMS.

A person who booked on the web with their number proven and no e-mail could otherwise
never be told that staff cancelled the booking, that a waitlist seat is held for them, or
the ballot's result. The number is kept only as AES-GCM ciphertext (`at_rest`), under
its own label and with the person's row id as associated data: a cipher copied onto
another person's booking does not open, while one person's booking, moved booking,
waitlist entry and ballot entry share it without the key (ADR 0020).

The proof itself names the number by its hash only; it carries the number sealed under
another label, bound to that hash, because a state registry's numbers are in no table
of Kezek's. A proof from before that field falls back on Kezek's own table.
"""

from __future__ import annotations

import logging

from cryptography.exceptions import InvalidTag
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import at_rest
from kezek.app.identity.proof import Proof
from kezek.app.identity.sealing import open_phone
from kezek.core.identity import phone_digest
from kezek.store.models_identity import IdentityPhoneRow

log = logging.getLogger("kezek.identity")

_KEPT, _IN_PROOF = b"kezek.notice.phone", b"kezek.identity.proof.phone"
# Methods in which the number itself was proven: a code came back from it (sms), the
# Telegram account holds it (telegram), staff saw the document it is registered to
# (document). The development sender proves nothing to send to.
PROVING = frozenset({"sms", "telegram", "document"})


def seal_in_proof(phone: str, phone_hash: str, key: bytes) -> str:
    """The number as the proof carries it: opens only beside this number's hash."""
    return at_rest.seal(phone, key, _IN_PROOF, phone_hash.encode())


def seal_for(phone: str, person_id: int, key: bytes) -> str:
    """The number as a booking's contact or an entry keeps it."""
    return at_rest.seal(phone, key, _KEPT, b"person:%d" % person_id)


def open_for(cipher: str | None, person_id: int, key: bytes) -> str | None:
    """The kept number, or None (none kept, or it does not open: tampered, wrong row)."""
    if not cipher:
        return None
    try:
        return at_rest.unseal(cipher, key, _KEPT, b"person:%d" % person_id)
    except (InvalidTag, ValueError):
        log.warning("a kept notice number did not open (person %s)", person_id)
        return None


async def proven(session: AsyncSession, proof: Proof | None, iin: str, key: bytes
                 ) -> str | None:
    """The number the live proof for this IIN proved, or None.

    None for no proof, a proof of another IIN, a method that proves no number, or a
    number that cannot be found or opened.
    """
    if proof is None or proof.method not in PROVING or not proof.covers(iin, key):
        return None
    if proof.phone_cipher:
        try:
            phone = at_rest.unseal(proof.phone_cipher, key, _IN_PROOF,
                                   proof.phone_hash.encode())
        except (InvalidTag, ValueError):
            return None
        return phone if phone_digest(phone, key) == proof.phone_hash else None
    cipher = await session.scalar(select(IdentityPhoneRow.phone_cipher).where(
        IdentityPhoneRow.iin_hash == proof.iin_hash,
        IdentityPhoneRow.phone_hash == proof.phone_hash,
        IdentityPhoneRow.active.is_(True)).limit(1))
    return open_phone(cipher, key) if cipher else None
