"""Turning rows into chat text: dates in the centre's zone and language, places, hours.

Dates use Babel's CLDR data with the same patterns as the citizen pages, so a booking
reads the same in the chat as on the web.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from kezek import display
from kezek.bot.texts import t
from kezek.core.booking import display_code
from kezek.core.geo import map_link
from kezek.display import address_in, hours_lines


def day_label(day: dt.date, lang: str) -> str:
    return display.day_label(day, lang, short=True)


def when_text(start: dt.datetime, zone: str, lang: str, end: dt.datetime | None = None) -> str:
    """The local date and time; with the end, the time as a range (10:00–10:30), as the
    citizen pages show it: a visit may hold more than one slot."""
    tz = ZoneInfo(zone)
    local = start.astimezone(tz)
    until = f"–{end.astimezone(tz).strftime('%H:%M')}" if end is not None else ""
    return f"{display.full_date(local.date(), lang)}, {local.strftime('%H:%M')}{until}"


def name_in(row: Any, lang: str) -> str:
    return str(getattr(row, f"name_{lang}", "") or row.name_ru or row.name_kk or row.name_en)


def summary(service: str, centre: Any, start: dt.datetime, lang: str,
            end: dt.datetime | None = None) -> str:
    """Service, centre, address and local time: what a person needs to arrive."""
    return t("summary", lang, service=service, centre=name_in(centre, lang),
             address=address_in(centre, lang) or "—",
             when=when_text(start, centre.timezone, lang, end))


def code_text(code: str) -> str:
    return display_code(code)


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
