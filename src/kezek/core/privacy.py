"""Keyed hashing of IINs: the database can match a person without holding their number."""

from __future__ import annotations

import hashlib
import hmac


def iin_digest(iin: str, key: bytes) -> str:
    """HMAC-SHA256 of the IIN under the deployment's secret: stable, not reversible."""
    return hmac.new(key, iin.encode("ascii"), hashlib.sha256).hexdigest()
