"""Distances on the globe, for "the centres (or self-service points) nearest to me".

Great-circle distance by the haversine formula: within a region the error against the
ellipsoid is well under 1 %, far below what ranking a handful of centres needs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TypeVar

EARTH_RADIUS_KM = 6371.0088
T = TypeVar("T")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest(items: Iterable[T], where: Callable[[T], tuple[float | None, float | None]],
            lat: float, lon: float, limit: int) -> list[tuple[T, float]]:
    """The `limit` items closest to (lat, lon), with their distance in km.

    Items without coordinates cannot be ranked and are left out.
    """
    ranked = []
    for item in items:
        ilat, ilon = where(item)
        if ilat is not None and ilon is not None:
            ranked.append((item, haversine_km(lat, lon, ilat, ilon)))
    ranked.sort(key=lambda pair: pair[1])
    return ranked[:limit]


def map_link(lat: float, lon: float) -> str:
    """A map that opens on any phone without an app or an API key."""
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
