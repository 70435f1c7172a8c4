"""TOTP secrets at rest: sealed under the data key, so that a copy of the database
does not hand over every staff member's second factor with it.

Sealed values carry the prefix `s1.` (a base32 secret never contains a dot); a value
without it is a secret enrolled before sealing existed and is read as it is, until
the user enrols again.
"""

from __future__ import annotations

from kezek.app import at_rest

PREFIX = "s1."
_LABEL, _AAD = b"kezek.staff.totp", b"totp"


def seal_totp(secret: str, key: bytes) -> str:
    return PREFIX + at_rest.seal(secret, key, _LABEL, _AAD)


def open_totp(stored: str, key: bytes) -> str:
    if not stored.startswith(PREFIX):
        return stored
    return at_rest.unseal(stored[len(PREFIX):], key, _LABEL, _AAD)
