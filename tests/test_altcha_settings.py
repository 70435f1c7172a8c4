"""The challenge key in production: a short KEZEK_ALTCHA_KEY is refused; unset, the key
is derived from KEZEK_SECRET_KEY (itself refused at its development value)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kezek.app.challenge import derive_keys
from kezek.settings import Settings

GOOD = {"env": "production", "secret_key": "s" * 40, "iin_key": "i" * 40,
        "sms_url": "http://127.0.0.1:9/sms"}


def test_a_short_challenge_key_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="KEZEK_ALTCHA_KEY"):
        Settings(**GOOD, altcha_key="short")
    assert Settings(**GOOD, altcha_key="k" * 32).altcha_key == "k" * 32
    assert Settings(**GOOD).altcha_key is None


def test_the_two_keys_differ_and_follow_the_secret() -> None:
    sign, key = derive_keys("s" * 40)
    assert sign != key and len(sign) == len(key) == 32
    assert derive_keys("t" * 40) != (sign, key)
    assert derive_keys("s" * 40) == (sign, key)
