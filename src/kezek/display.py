"""How dates, weekly hours and addresses are shown to people, in kk, ru and en.

Shared by the web pages and the Telegram bot, so a centre's hours read the same in both.
Babel supplies month and day names; the patterns put the day where each language does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date, get_day_names

from kezek.core.schedule import WEEKDAYS

DAY_PATTERN = {"kk": "d MMMM, EEEE", "ru": "EEEE, d MMMM", "en": "EEEE d MMMM"}
# Short weekday names, for buttons.
SHORT_DAY_PATTERN = {"kk": "d MMMM, EEE", "ru": "EEE, d MMMM", "en": "EEE d MMMM"}
FULL_PATTERN = {"kk": "yyyy 'ж'. d MMMM, EEEE", "ru": "EEEE, d MMMM yyyy 'г'.",
                "en": "EEEE d MMMM yyyy"}


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def day_label(day: dt.date, lang: str, short: bool = False) -> str:
    patterns = SHORT_DAY_PATTERN if short else DAY_PATTERN
    return capital(format_date(day, patterns.get(lang, patterns["en"]), locale=lang))


def full_date(day: dt.date, lang: str) -> str:
    return capital(format_date(day, FULL_PATTERN.get(lang, FULL_PATTERN["en"]), locale=lang))


def hours_lines(hours: dict[str, Any] | None, lang: str) -> list[str]:
    """A weekly timetable as short lines: consecutive days with equal hours joined."""
    names = get_day_names("abbreviated", locale=lang)
    runs: list[tuple[int, int, str]] = []
    for i, day in enumerate(WEEKDAYS):
        value = (hours or {}).get(day)
        if not value:
            continue
        text = f"{value[0]}–{value[1]}"
        if runs and runs[-1][1] == i - 1 and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], i, text)
        else:
            runs.append((i, i, text))
    return [(capital(names[a]) if a == b else f"{capital(names[a])}–{names[b]}") + f" {x}"
            for a, b, x in runs]


def address_in(row: Any, lang: str) -> str:
    return str(getattr(row, f"address_{lang}", "") or row.address_ru or row.address_kk
               or row.address_en)
