"""Keyed hashing of IINs."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import given, settings
from hypothesis import strategies as st

from kezek.core.privacy import iin_digest

KEY = b"test-key-not-a-secret"


def test_digest_is_hmac_sha256_hex() -> None:
    got = iin_digest("900101300017", KEY)
    assert got == hmac.new(KEY, b"900101300017", hashlib.sha256).hexdigest()
    assert len(got) == 64
    assert int(got, 16) >= 0
    assert "900101300017" not in got


def test_digest_is_stable_and_keyed() -> None:
    assert iin_digest("900101300017", KEY) == iin_digest("900101300017", KEY)
    assert iin_digest("900101300017", KEY) != iin_digest("900101300017", b"other")
    assert iin_digest("900101300017", KEY) != iin_digest("850715400129", KEY)
    assert iin_digest("900101300017", KEY) != hashlib.sha256(b"900101300017").hexdigest()


@given(st.text(alphabet="0123456789", min_size=12, max_size=12),
       st.text(alphabet="0123456789", min_size=12, max_size=12))
@settings(max_examples=100)
def test_distinct_iins_distinct_digests(a: str, b: str) -> None:
    assert (iin_digest(a, KEY) == iin_digest(b, KEY)) == (a == b)
