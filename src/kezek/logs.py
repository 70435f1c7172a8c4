"""Structured logging: one JSON object per line, and no IIN in clear, ever.

The redaction filter is a safety net under the rule that code never logs an IIN or a
phone number: any run of exactly 12 digits, and anything shaped like a Kazakh mobile
number, in a log record is masked before it is written.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import Any

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


class JsonFormatter(logging.Formatter):
    _SKIP = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message"}

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in self._SKIP and not key.startswith("_"):
                data[key] = value if isinstance(value, int | float | bool) else redact(str(value))
        if record.exc_info:
            data["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False)


def setup(level: str = "INFO", as_json: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter() if as_json else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
