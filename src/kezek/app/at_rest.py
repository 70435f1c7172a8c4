"""Secrets at rest that must be read back (not only matched): AES-GCM under a key
derived from the deployment's data key, one derived key per purpose.

A number to send a code to, a TOTP secret to check a code against: a keyed hash would
not do, and a database dump must not give them away. Each purpose has its own key and
associated data, so a value sealed for one purpose never opens as another.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE = 12


def _key(secret: bytes, label: bytes) -> bytes:
    return hashlib.sha256(label + b"\x00" + secret).digest()


def seal(value: str, secret: bytes, label: bytes, aad: bytes) -> str:
    nonce = os.urandom(_NONCE)
    body = AESGCM(_key(secret, label)).encrypt(nonce, value.encode("ascii"), aad)
    return base64.urlsafe_b64encode(nonce + body).decode()


def unseal(token: str, secret: bytes, label: bytes, aad: bytes) -> str:
    """The value; raises (cryptography's InvalidTag, or ValueError) if tampered with."""
    raw = base64.urlsafe_b64decode(token.encode())
    return AESGCM(_key(secret, label)).decrypt(raw[:_NONCE], raw[_NONCE:], aad).decode()
