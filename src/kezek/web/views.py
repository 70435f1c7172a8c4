"""What the citizen pages show, assembled from the app layer and formatted for people.

Dates are in the centre's zone and the page language (Babel's CLDR data); centre,
service and address names fall back to Russian, then Kazakh, when a language is empty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import network
from kezek.app.convert import center_from_row, names_of, window_from_row
from kezek.app.registry import get as get_service
from kezek.core.booking import display_code
from kezek.core.collation import sort_key, sorted_by_name
from kezek.core.errors import ServiceNotOffered
from kezek.core.geo import nearest
from kezek.core.network import CenterFormat, CenterKind, window_serves
from kezek.core.policy import Privilege, eligible_windows
from kezek.core.registry import Service
from kezek.display import address_in, day_label, full_date, hours_lines  # noqa: F401 (pages)
from kezek.store.models import BookingRow, CenterRow, CityRow, WindowRow
from kezek.web.i18n_ui import plural, ui


def parse_privilege(raw: str | None) -> Privilege | None:
    try:
        return Privilege(raw) if raw else None
    except ValueError:
        return None


def parse_day(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def parse_start(raw: str | None) -> dt.datetime | None:
    """A slot start as the forms send it: ISO 8601 with its UTC offset."""
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw.strip().replace(" ", "+"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def name_in(row: Any, lang: str) -> str:
    return names_of(row).get(lang)


def fee_text(fee_mci: float, lang: str) -> str:
    if fee_mci <= 0:
        return ui("fee_free", lang)
    number = f"{fee_mci:g}".replace(".", "," if lang != "en" else ".")
    return ui("fee_mci", lang, n=number)


def term_text(days: int, lang: str) -> str:
    return ui("term_same_day", lang) if days <= 0 else plural("working_days", days, lang)


def service_view(service: Service, lang: str) -> dict[str, Any]:
    st = service.standard
    return {"code": service.code, "name": service.names.get(lang),
            "delivery": service.delivery.value, "specialised": service.specialised_only,
            "wait": ui("minutes", lang, n=st.max_wait_minutes),
            "fee": fee_text(st.fee_mci, lang), "has_fee": st.fee_mci > 0,
            "term": term_text(st.term_days, lang),
            "documents": list(service.documents.get(lang))}


@dataclass(frozen=True, slots=True)
class CentreChoice:
    id: int
    name: str
    address: str
    city: str
    booking_only: bool
    privilege_only: bool
    specialised: bool


async def offering_centres(s: AsyncSession, service: Service, lang: str
                           ) -> list[tuple[CityRow, list[CentreChoice]]]:
    """Active centres with a window that can serve the service, grouped by city; cities
    and centres in the alphabetical order of the page's language."""
    kind = CenterKind.SPECIALISED if service.specialised_only else CenterKind.GENERAL
    rows = await network.list_centers(s, kind=kind.value)
    ids = [c.id for c, _ in rows]
    windows: dict[int, list[WindowRow]] = {}
    if ids:
        for w in (await s.scalars(select(WindowRow).where(WindowRow.center_id.in_(ids)))).all():
            windows.setdefault(w.center_id, []).append(w)
    groups: dict[str, tuple[CityRow, list[CentreChoice]]] = {}
    for row, city in rows:
        center = center_from_row(row)
        serving = [w for w in map(window_from_row, windows.get(row.id, []))
                   if window_serves(w, service, center)]
        regular = [w for w in serving if not w.privilege]
        booking_only = center.format is CenterFormat.BOOKING_ONLY
        privilege_only = (booking_only and service.online) or not regular
        if not serving or (privilege_only and not any(w.privilege for w in serving)):
            continue
        choice = CentreChoice(row.id, name_in(row, lang), address_in(row, lang), city.slug,
                              booking_only, privilege_only, center.kind is CenterKind.SPECIALISED)
        groups.setdefault(city.slug, (city, []))[1].append(choice)
    for _, centres in groups.values():
        centres.sort(key=lambda c: sort_key(c.name, lang))
    return sorted_by_name(groups.values(), lambda g: name_in(g[0], lang), lang)


async def privilege_required(s: AsyncSession, row: CenterRow, service: Service) -> bool:
    """Whether this centre serves the service only to privileged people (the policy's rule)."""
    windows = [window_from_row(w) for w in await network.windows_of(s, row.id)]
    try:
        eligible_windows(center_from_row(row), service, windows, None)
    except ServiceNotOffered as exc:
        return exc.params.get("reason") in ("online", "privilege_only")
    return False


async def self_service(s: AsyncSession, lang: str, near_city: str | None = None
                       ) -> list[dict[str, Any]]:
    """The self-service points, nearest first to the person's city when it is known (the
    middle of its centres), each with its distance: from Almaty the points in Kokshetau
    are 1,246 km away, and the page says so instead of listing them as if near."""
    points = await network.self_service_points(s)
    cities = {c.slug: c for c in await network.cities(s)}
    here = await _city_middle(s, near_city) if near_city else None
    km: dict[int, float] = {}
    if here is not None:
        km = {id(p): d for p, d in nearest(points, lambda p: (p.lat, p.lon), *here,
                                           len(points))}
        points = sorted(points, key=lambda p: km.get(id(p), float("inf")))
    out = [{"name": name_in(p, lang), "address": address_in(p, lang),
            "city": name_in(cities[p.city], lang) if p.city in cities else p.city,
            "in_city": p.city == near_city, "km_text": _km(km.get(id(p))),
            "far": False, "hours": hours_lines(p.hours, lang)} for p in points]
    if out and here is not None:  # nothing in the city and nothing within 50 km
        first = km.get(id(points[0]))
        out[0]["far"] = not out[0]["in_city"] and first is not None and first > NEAR_KM
    return out


NEAR_KM = 50.0  # a point farther than this is not near, and the page says how far it is


def _km(value: float | None) -> str:
    """A distance in whole kilometres, thousands apart by a no-break space (1 246)."""
    return "" if value is None else f"{value:,.0f}".replace(",", "\u00a0")


async def _city_middle(s: AsyncSession, city: str) -> tuple[float, float] | None:
    """The middle of a city's centres, or None when none of them has coordinates."""
    spots = [(c.lat, c.lon) for c, _ in await network.list_centers(s, city=city)
             if c.lat is not None and c.lon is not None]
    if not spots:
        return None
    return sum(a for a, _ in spots) / len(spots), sum(b for _, b in spots) / len(spots)


async def booking_view(s: AsyncSession, row: BookingRow, lang: str) -> dict[str, Any]:
    """A booking as its owner sees it: code, service, centre, local date and time.

    The time is shown as a range: a service longer than one slot holds a longer block.
    """
    centre = await s.get(CenterRow, row.center_id)
    assert centre is not None
    service = await get_service(s, row.service_code)
    zone = ZoneInfo(centre.timezone)
    local = row.start_utc.astimezone(zone)
    return {
        "code": row.code, "code_display": display_code(row.code), "status": row.status,
        "status_text": ui(f"status_{row.status}", lang), "active": row.status == "active",
        "service": service_view(service, lang), "centre": name_in(centre, lang),
        "address": address_in(centre, lang), "date": full_date(local.date(), lang),
        "time": local.strftime("%H:%M"),
        "until": row.end_utc.astimezone(zone).strftime("%H:%M"), "iin_masked": row.iin_masked,
        "privilege": ui(f"priv_{row.privilege}", lang) if row.privilege else None,
    }
