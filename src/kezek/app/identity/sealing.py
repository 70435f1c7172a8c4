"""Numbers at rest: encrypted with AES-GCM under a key derived from the IIN key.

A code must be sent to a registered number, so the number cannot be a hash alone; the
row keeps a keyed hash (to match) and this ciphertext (to send), never the number.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE = 12


def _key(secret: bytes) -> bytes:
    return hashlib.sha256(b"kezek.identity.phone\x00" + secret).digest()


def seal_phone(phone: str, secret: bytes) -> str:
    nonce = os.urandom(_NONCE)
    body = AESGCM(_key(secret)).encrypt(nonce, phone.encode("ascii"), b"phone")
    return base64.urlsafe_b64encode(nonce + body).decode()


def open_phone(token: str, secret: bytes) -> str:
    raw = base64.urlsafe_b64decode(token.encode())
    return AESGCM(_key(secret)).decrypt(raw[:_NONCE], raw[_NONCE:], b"phone").decode()
