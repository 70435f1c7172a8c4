"""Turning rows into chat text: dates in the centre's zone and language, places, hours.

Dates use Babel's CLDR data with the same patterns as the citizen pages, so a booking
reads the same in the chat as on the web.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, get_day_names

from kezek.bot.geo import map_link
from kezek.bot.texts import t
from kezek.core.booking import display_code
from kezek.core.schedule import WEEKDAYS

_DAY_PATTERN = {"kk": "d MMMM, EEE", "ru": "EEE, d MMMM", "en": "EEE d MMMM"}
_FULL_PATTERN = {"kk": "yyyy 'ж'. d MMMM, EEEE", "ru": "EEEE, d MMMM yyyy 'г'.",
                 "en": "EEEE d MMMM yyyy"}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def day_label(day: dt.date, lang: str) -> str:
    return _capital(format_date(day, _DAY_PATTERN.get(lang, _DAY_PATTERN["en"]), locale=lang))


def when_text(start: dt.datetime, zone: str, lang: str) -> str:
    local = start.astimezone(ZoneInfo(zone))
    day = _capital(format_date(local.date(), _FULL_PATTERN.get(lang, _FULL_PATTERN["en"]),
                               locale=lang))
    return f"{day}, {local.strftime('%H:%M')}"


def name_in(row: Any, lang: str) -> str:
    return str(getattr(row, f"name_{lang}", "") or row.name_ru or row.name_kk or row.name_en)


def address_in(row: Any, lang: str) -> str:
    return str(getattr(row, f"address_{lang}", "") or row.address_ru or row.address_kk
               or row.address_en)


def summary(service: str, centre: Any, start: dt.datetime, lang: str) -> str:
    """Service, centre, address and local time: what a person needs to arrive."""
    return t("summary", lang, service=service, centre=name_in(centre, lang),
             address=address_in(centre, lang) or "—",
             when=when_text(start, centre.timezone, lang))


def code_text(code: str) -> str:
    return display_code(code)


def hours_lines(hours: dict[str, Any] | None, lang: str) -> list[str]:
    """A weekly timetable as short lines, consecutive days with equal hours joined."""
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
    return [(_capital(names[a]) if a == b else f"{_capital(names[a])}–{names[b]}") + f" {x}"
            for a, b, x in runs]


def place_text(row: Any, lang: str, distance_km: float | None = None,
               hours: dict[str, Any] | None = None) -> str:
    """A centre or a self-service point: name, address, hours, distance and map link."""
    lines = [name_in(row, lang)]
    address = address_in(row, lang)
    if address:
        lines.append(address)
    timetable = hours_lines(hours, lang) if hours is not None else []
    if timetable:
        lines.append(f"{t('hours', lang)}: {'; '.join(timetable)}")
    if distance_km is not None:
        lines.append(t("km", lang, km=f"{distance_km:.1f}"))
    if row.lat is not None and row.lon is not None:
        lines.append(f"{t('map', lang)}: {map_link(row.lat, row.lon)}")
    return "\n".join(lines)
