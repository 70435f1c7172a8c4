"""Settings refuse unsafe production values; logs never carry an IIN in clear."""

from __future__ import annotations

import json
import logging

import pytest
from pydantic import ValidationError

from kezek.logs import JsonFormatter, RedactingFilter, redact
from kezek.settings import Settings, normalize_database_url


@pytest.mark.parametrize(("given", "expected"), [
    ("sqlite:///./var/k.db", "sqlite+aiosqlite:///./var/k.db"),
    ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ("sqlite+pysqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ("postgresql://u@h/db", "postgresql+asyncpg://u@h/db"),
    ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
])
def test_database_url_forms(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected
    assert Settings(database_url=given).database_url == expected


@pytest.mark.parametrize("bad", ["mysql://u@h/db", "not a url"])
def test_unsupported_database_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        Settings(database_url=bad)


def test_production_refuses_default_secrets() -> None:
    with pytest.raises(ValidationError, match="KEZEK_SECRET_KEY"):
        Settings(env="production")
    ok = Settings(env="production", secret_key="s" * 40, iin_key="k" * 40,
                  sms_url="http://127.0.0.1:9/sms")
    assert ok.secure_cookies


def test_env_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEZEK_DEFAULT_LANG", "kk")
    assert Settings().default_lang == "kk"


def test_log_records_mask_iins() -> None:
    assert redact("iin 900101300017 and 1234") == "iin 90********17 and 1234"
    assert redact("order 1234567890123") == "order 1234567890123"  # 13 digits: not an IIN
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "booking for %s", ("900101300017",),
                               None)
    record.extra_iin = "850715400129"
    RedactingFilter().filter(record)
    line = JsonFormatter().format(record)
    data = json.loads(line)
    assert "900101300017" not in line and "850715400129" not in line
    assert data["msg"] == "booking for 90********17"


def test_log_records_mask_phone_numbers() -> None:
    for written in ("+7 701 123 45 67", "8(701)123-45-67", "87011234567", "+77011234567"):
        assert redact(f"sms to {written} sent") == "sms to +7 701 *** ** 67 sent", written
    assert redact("order 1234567890123") == "order 1234567890123"
