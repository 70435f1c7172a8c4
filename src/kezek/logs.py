"""Structured logging: one JSON object per line, and no IIN in clear, ever.

The redaction filter is a safety net under the rule that code never logs an IIN or a
phone number: any run of exactly 12 digits, and anything shaped like a Kazakh mobile
number, in a log record is masked before it is written.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from typing import Any

from asgi_correlation_id import CorrelationIdFilter

_TWELVE = re.compile(r"(?<!\d)\d{12}(?!\d)")
# A Kazakh mobile number however written: +7 701 123 45 67, 8(701)123-45-67, 77011234567.
_PHONE = re.compile(r"(?<![\d+])(?:\+7|8|7)[\s\-()]*(7\d\d)[\s\-()]*\d{3}[\s\-]*\d{2}[\s\-]*"
                    r"(\d{2})(?!\d)")


def redact(text: str) -> str:
    """Masks IINs (12 digits) and mobile numbers in a text bound for a log."""
    text = _TWELVE.sub(lambda m: m.group(0)[:2] + "*" * 8 + m.group(0)[10:], text)
    return _PHONE.sub(lambda m: f"+7 {m.group(1)} *** ** {m.group(2)}", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def iso_time(created: float) -> str:
    """ISO 8601 in UTC with milliseconds and the zone: 2026-12-02T14:03:07.123+00:00.
    Lines from hosts in different zones (Almaty, Aqtobe) then sort as they happened."""
    return dt.datetime.fromtimestamp(created, dt.UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    _SKIP = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
        "message", "color_message"}  # uvicorn's copy of the message with ANSI colours

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": iso_time(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": _ANSI.sub("", record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in self._SKIP and not key.startswith("_"):
                data[key] = value if isinstance(value, int | float | bool) else redact(str(value))
        if record.exc_info:
            data["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """The human-readable form (KEZEK_LOG_JSON=false), with the same time stamps."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return iso_time(record.created)


def setup(level: str = "INFO", as_json: bool = True) -> None:
    """One handler on the root logger; uvicorn's loggers propagate to it, so that their
    lines are JSON, masked and carry the request id like Kezek's own.

    The request id (`request_id`) is the one the HTTP middleware set for the request
    being served, or the one a job or a bot update set for itself (`correlate`)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.addFilter(CorrelationIdFilter(default_value="-"))
    handler.addFilter(_RenameCorrelation())
    handler.setFormatter(JsonFormatter() if as_json else PlainFormatter(
        "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True


class _RenameCorrelation(logging.Filter):
    """asgi-correlation-id names the field `correlation_id`; Kezek's lines call it
    `request_id`, as the response header does (X-Request-ID)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = vars(record).pop("correlation_id", "-")
        return True


def correlate(prefix: str) -> Any:
    """Gives the current context (a job, a bot update) its own id for its log lines;
    returns the token to reset it with."""
    import uuid

    from asgi_correlation_id import correlation_id

    return correlation_id.set(f"{prefix}-{uuid.uuid4().hex[:12]}")


def uncorrelate(token: Any) -> None:
    from asgi_correlation_id import correlation_id

    correlation_id.reset(token)
