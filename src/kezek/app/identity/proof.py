"""What a verified person carries: a short-lived signed proof scoped to one IIN.

The proof names the IIN and the number by their keyed hashes only; where the number is
known it may also carry it sealed (AES-GCM, `notice_phone`), so that a booking made with
the proof can be told things by SMS: the token is signed, not encrypted, and must never
show the number (ADR 0020). On the API it is a
bearer token (`kzp.` + an itsdangerous signature, so it cannot be mistaken for a staff
token); on the pages it lives in the signed session cookie. Either expires after the
network's `proof_minutes`; nothing is stored server-side, so a proof cannot be revoked
before then, which is why it is short.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from kezek.core.errors import IdentityMismatch, IdentityRequired
from kezek.core.identity import IdentityMode, IdentityPolicy
from kezek.core.privacy import iin_digest

PREFIX = "kzp."
_SALT = "kezek.identity.proof.v1"
SESSION_KEY = "identity"


@dataclass(frozen=True, slots=True)
class Proof:
    iin_hash: str
    phone_hash: str
    # How identity was proven: sms | telegram | dev | document (door) | questions (1414)
    method: str
    expires_at: float
    # The proven number, sealed (`notice_phone.seal_in_proof`); None when not known.
    phone_cipher: str | None = None

    def covers(self, iin: str, key: bytes) -> bool:
        return self.iin_hash == iin_digest(iin, key) and self.expires_at > time.time()

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"i": self.iin_hash, "p": self.phone_hash, "m": self.method,
                               "e": int(self.expires_at)}
        if self.phone_cipher:
            out["n"] = self.phone_cipher
        return out


def from_dict(data: Any) -> Proof | None:
    try:
        sealed = data.get("n")
        proof = Proof(str(data["i"]), str(data["p"]), str(data["m"]), float(data["e"]),
                      str(sealed) if sealed else None)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return proof if proof.expires_at > time.time() else None


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def issue_token(proof: Proof, secret: str) -> str:
    return PREFIX + str(_serializer(secret).dumps(proof.as_dict()))


def read_token(token: str, secret: str, max_age_seconds: int) -> Proof | None:
    """The proof in a bearer token, or None if forged, expired or not a person token."""
    if not token.startswith(PREFIX):
        return None
    try:
        data = _serializer(secret).loads(token[len(PREFIX):], max_age=max_age_seconds)
    except BadSignature:
        return None
    return from_dict(data)


def require(proof: Proof | None, iin: str, key: bytes, policy: IdentityPolicy) -> None:
    """Refuses a personal action on `iin` without a live proof for that same IIN.

    Under `identity: none` the IIN alone is taken (the network chose so; logged at
    start-up). Call this after the IIN is known to be valid.
    """
    if policy.mode is IdentityMode.NONE:
        return
    if proof is None:
        raise IdentityRequired()
    if not proof.covers(iin, key):
        raise IdentityMismatch()
