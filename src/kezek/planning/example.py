"""The worked example: Almaty's vehicle-centre load and where new specialised centres go.

Why the existing centres come from the network document rather than the example file: the
demo network is the one place that says where Almaty's autoPSCs are, so the example cannot
drift from it. Both documents come in as parsed JSON; reading files is the caller's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kezek.planning.model import DemandPoint, PlanningError, Problem, Site
from kezek.planning.report import WaitModel


def almaty_vehicle(example: Mapping[str, Any], network: Mapping[str, Any],
                   k: int | None = None) -> tuple[Problem, WaitModel]:
    """The problem from `planning/data/almaty_vehicle.json` and the demo `network.json`."""
    sector = str(example["sector"])
    per_window = float(example["visits_per_window"])
    centres = {c["slug"]: c for c in network.get("centers", [])}
    sites = []
    for ref in example["existing"]:
        c = centres.get(ref["slug"])
        if c is None:
            raise PlanningError(f"the network has no centre {ref['slug']!r}")
        if c.get("kind") != "specialised":
            raise PlanningError(f"centre {ref['slug']!r} is not a specialised centre")
        windows = int(ref.get("windows") or len(c.get("windows", [])))
        sites.append(Site(c["slug"], c["names"]["en"], float(c["lat"]), float(c["lon"]),
                          existing=True, capacity=windows * per_window, windows=windows))
    for cand in example["candidates"]:
        windows = int(cand["windows"])
        sites.append(Site(cand["id"], cand["name"], float(cand["lat"]), float(cand["lon"]),
                          existing=False, capacity=windows * per_window, windows=windows))
    demand = tuple(DemandPoint(d["id"], d["name"], float(d["lat"]), float(d["lon"]),
                               {sector: float(d["visits"])}) for d in example["demand"])
    w = example.get("waits", {})
    waits = WaitModel(float(w.get("service_minutes", 15)), float(w.get("open_hours", 868)),
                      float(w.get("max_wait_minutes", 30)))
    problem = Problem(demand, tuple(sites), int(example["k"]) if k is None else k,
                      within_km=float(example.get("within_km", 20)))
    return problem, waits
