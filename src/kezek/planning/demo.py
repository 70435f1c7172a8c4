"""The network document (the demo files, or `kezek network export`) as core objects.

The application parses these documents into database rows (kezek.app.network_io); the
simulator and the planners are pure and take core objects, so this small reader builds
them directly, keeping what the core `Center` does not carry but planning needs: where a
centre stands (lat/lon) and which region its city is in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from kezek.core.network import Center, CenterFormat, CenterKind, Window, WindowScope
from kezek.core.registry import Names, Sector, Service
from kezek.core.registry_io import services_from_records
from kezek.core.schedule import WeeklySchedule, parse_time


@dataclass(frozen=True, slots=True)
class Place:
    """A centre with its windows and its place on the map."""

    center: Center
    windows: tuple[Window, ...]
    lat: float
    lon: float
    region: str = ""

    @property
    def slug(self) -> str:
        return self.center.slug


def demo_document(name: str) -> dict[str, Any]:
    """One of the shipped demo files (`network.json`, `registry.json`), parsed."""
    text = resources.files("kezek.demo").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def services_from_document(doc: Mapping[str, Any]) -> list[Service]:
    return services_from_records(doc["services"])


def scope_from_document(data: Any) -> WindowScope:
    if data in (None, "all"):
        return WindowScope()
    return WindowScope(all=False, sectors=frozenset(Sector(s) for s in data.get("sectors", [])),
                       codes=frozenset(str(c) for c in data.get("codes", [])))


def places_from_document(doc: Mapping[str, Any]) -> list[Place]:
    """Every centre of the document, ids 1.. in document order, window ids centre*100+n."""
    regions = {str(c["slug"]): str(c.get("region", "")) for c in doc.get("cities", [])}
    out = []
    for i, c in enumerate(doc["centers"], 1):
        names = c["names"]
        center = Center(
            id=i, slug=c["slug"], names=Names(names["kk"], names["ru"], names["en"]),
            city=c["city"], kind=CenterKind(c["kind"]), format=CenterFormat(c["format"]),
            schedule=WeeklySchedule.from_dict(c.get("schedule") or
                                              WeeklySchedule.standard().to_dict()),
            occupancy_limit=c.get("occupancy_limit"), slot_capacity=c.get("slot_capacity"),
            latest_booking=parse_time(c.get("latest_booking", "17:30")),
            slot_minutes=int(c.get("slot_minutes", 15)),
        )
        windows = tuple(Window(id=i * 100 + int(w["number"]), number=int(w["number"]),
                               privilege=bool(w.get("privilege", False)),
                               scope=scope_from_document(w.get("scope")),
                               seats=int(w.get("seats", 1)))
                        for w in c.get("windows", []))
        out.append(Place(center, windows, float(c.get("lat", 0.0)), float(c.get("lon", 0.0)),
                         regions.get(str(c["city"]), "")))
    return out


def demo_services() -> list[Service]:
    return services_from_document(demo_document("registry.json"))


def demo_places() -> list[Place]:
    return places_from_document(demo_document("network.json"))


def demo_centres() -> list[tuple[Center, list[Window]]]:
    """The demo centres as (centre, windows) pairs, the form the simulator's builders take."""
    return [(p.center, list(p.windows)) for p in demo_places()]
