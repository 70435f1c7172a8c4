"""The shipped demo network as core objects, for the simulator's tests and benchmarks.

The application parses these files into database rows (kezek.app.network_io); the
simulator is pure and takes core objects, so this small reader builds them directly.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from kezek.core.network import Center, CenterFormat, CenterKind, Window, WindowScope
from kezek.core.registry import Names, Sector, Service
from kezek.core.registry_io import services_from_records
from kezek.core.schedule import WeeklySchedule, parse_time


def _document(name: str) -> dict[str, Any]:
    text = resources.files("kezek.demo").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def demo_services() -> list[Service]:
    return services_from_records(_document("registry.json")["services"])


def _scope(data: Any) -> WindowScope:
    if data in (None, "all"):
        return WindowScope()
    return WindowScope(all=False, sectors=frozenset(Sector(s) for s in data.get("sectors", [])),
                       codes=frozenset(str(c) for c in data.get("codes", [])))


def demo_centres() -> list[tuple[Center, list[Window]]]:
    out = []
    for i, c in enumerate(_document("network.json")["centers"], 1):
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
        windows = [Window(id=i * 100 + int(w["number"]), number=int(w["number"]),
                          privilege=bool(w.get("privilege", False)), scope=_scope(w.get("scope")),
                          seats=int(w.get("seats", 1)))
                   for w in c.get("windows", [])]
        out.append((center, windows))
    return out
