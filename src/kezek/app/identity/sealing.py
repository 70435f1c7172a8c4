"""Numbers at rest: encrypted with AES-GCM under a key derived from the IIN key.

A code must be sent to a registered number, so the number cannot be a hash alone; the
row keeps a keyed hash (to match) and this ciphertext (to send), never the number.
"""

from __future__ import annotations

from kezek.app import at_rest

_LABEL, _AAD = b"kezek.identity.phone", b"phone"


def seal_phone(phone: str, secret: bytes) -> str:
    return at_rest.seal(phone, secret, _LABEL, _AAD)


def open_phone(token: str, secret: bytes) -> str:
    return at_rest.unseal(token, secret, _LABEL, _AAD)
