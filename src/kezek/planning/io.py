"""Planning problems from JSON-shaped dicts, and plans back to them.

Why here and not in the command: the web pages and the API will accept the same shape, so
the checks live next to the model and every adapter reports the same one-line error.

    {"k": 2, "exactly": true, "single_assignment": false, "within_km": 20,
     "demand": [{"id", "name", "lat", "lon", "demand": {"vehicle": 1200}}],
     "sites":  [{"id", "name", "lat", "lon", "existing": true, "capacity": 50000,
                 "sector_capacity": {"vehicle": 40000}, "opening_cost": 0, "windows": 12}],
     "distances_km": [[...], ...],                    (optional: demand points x sites)
     "waits": {"service_minutes": 15, "open_hours": 868, "max_wait_minutes": 30}}
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from kezek.planning.model import DemandPoint, PlanningError, Problem, Site
from kezek.planning.report import Plan, Scenario, WaitModel

# What computed the plan: HiGHS (its MILP, or its LPs in the search), or nothing at all
# when no visit is to be served.
SOLVER = {"milp": "HiGHS (scipy.optimize.milp)", "search": "HiGHS (scipy.optimize.milp)",
          "none": "none needed: no visits to serve"}

def _get(obj: Mapping[str, Any], key: str, where: str, kind: type | tuple[type, ...],
         default: Any = ...) -> Any:
    if key not in obj or obj[key] is None:
        if default is ...:
            raise PlanningError(f"{where}: '{key}' is missing")
        return default
    value = obj[key]
    if kind in (float, (float,)) and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise PlanningError(f"{where}: '{key}' has the wrong type ({type(value).__name__})")
    return value


def _numbers(obj: Any, where: str) -> dict[str, float]:
    if not isinstance(obj, Mapping) or not obj:
        raise PlanningError(f"{where} must be an object of sector -> number")
    out = {}
    for k, v in obj.items():
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise PlanningError(f"{where}: {k} must be a number")
        out[str(k)] = float(v)
    return out


def _obj(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PlanningError(f"{where} must be an object")
    return value


def problem_from_dict(doc: Any, k: int | None = None) -> tuple[Problem, WaitModel]:
    """The problem and its wait model; `k` overrides the file's."""
    doc = _obj(doc, "the instance")
    raw_demand = _get(doc, "demand", "the instance", list)
    raw_sites = _get(doc, "sites", "the instance", list)
    demand = []
    for n, raw in enumerate(raw_demand):
        d = _obj(raw, f"demand[{n}]")
        where = f"demand[{n}]"
        demand.append(DemandPoint(str(_get(d, "id", where, (str, int))),
                                  str(_get(d, "name", where, str, "")),
                                  _get(d, "lat", where, float), _get(d, "lon", where, float),
                                  _numbers(d.get("demand"), f"{where}.demand")))
    sites = []
    for n, raw in enumerate(raw_sites):
        s = _obj(raw, f"sites[{n}]")
        where = f"sites[{n}]"
        sector_cap = s.get("sector_capacity")
        sites.append(Site(str(_get(s, "id", where, (str, int))),
                          str(_get(s, "name", where, str, "")),
                          _get(s, "lat", where, float), _get(s, "lon", where, float),
                          _get(s, "existing", where, bool, False),
                          _get(s, "capacity", where, float, None),
                          _numbers(sector_cap, f"{where}.sector_capacity") if sector_cap else {},
                          _get(s, "opening_cost", where, float, 0.0),
                          _get(s, "windows", where, int, None)))
    matrix = doc.get("distances_km")
    if matrix is not None:
        if not isinstance(matrix, list) or not all(isinstance(r, list) for r in matrix):
            raise PlanningError("distances_km must be a list of rows")
        rows = []
        for row in matrix:
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in row):
                raise PlanningError("distances_km must hold numbers (km)")
            rows.append(tuple(float(v) for v in row))
        matrix = tuple(rows)
    problem = Problem(tuple(demand), tuple(sites),
                      k if k is not None else _get(doc, "k", "the instance", int),
                      _get(doc, "exactly", "the instance", bool, True),
                      _get(doc, "single_assignment", "the instance", bool, False),
                      matrix, _get(doc, "within_km", "the instance", float, 20.0))
    return problem, waits_from_dict(doc.get("waits"))


def waits_from_dict(raw: Any) -> WaitModel:
    if raw is None:
        return WaitModel()
    w = _obj(raw, "waits")
    default = WaitModel()
    return WaitModel(_get(w, "service_minutes", "waits", float, default.service_minutes),
                     _get(w, "open_hours", "waits", float, default.open_hours),
                     _get(w, "max_wait_minutes", "waits", float, default.max_wait_minutes))


def _num(x: float | None) -> float | str | None:
    """JSON has no infinity: an unbounded wait is written as the string "inf"."""
    if x is None:
        return None
    return "inf" if math.isinf(x) else round(x, 6)


def _scenario(s: Scenario) -> dict[str, Any]:
    return {
        "mode": s.mode,
        "travel": {"total_visit_km": _num(s.travel.total_visit_km),
                   "mean_km": _num(s.travel.mean_km),
                   "share_within_km": _num(s.travel.share_within),
                   "max_km": _num(s.travel.max_km)},
        "sites": [{"id": x.site, "name": x.name, "existing": x.existing,
                   "visits": _num(x.visits), "capacity": _num(x.capacity),
                   "utilisation": _num(x.utilisation), "windows": x.windows,
                   "arrivals_per_hour": _num(x.arrivals_per_hour),
                   "window_load": _num(x.window_load),
                   "mean_wait_minutes": _num(x.mean_wait_minutes),
                   "within_standard": _num(x.within_standard),
                   "simulated_wait_minutes": _num(x.simulated_wait_minutes)} for x in s.sites],
        "flows": [{"point": f.point, "sector": f.sector, "site": f.site,
                   "visits": _num(f.visits), "km": _num(f.km)} for f in s.flows],
    }


def plan_to_dict(p: Plan) -> dict[str, Any]:
    sol = p.solution
    return {
        "k": p.problem.k,
        "exactly": p.problem.exactly,
        "single_assignment": p.problem.single_assignment,
        "within_km": p.problem.within_km,
        "opened": list(sol.opened),
        "solver": {"name": SOLVER.get(sol.method, SOLVER["milp"]), "status": sol.status,
                   "objective": _num(sol.objective), "dual_bound": _num(sol.dual_bound),
                   "mip_gap": sol.mip_gap, "nodes": sol.nodes, "seconds": round(sol.seconds, 4)},
        "waits": {"service_minutes": p.waits.service_minutes, "open_hours": p.waits.open_hours,
                  "max_wait_minutes": p.waits.max_wait_minutes},
        "before": _scenario(p.before),
        "after": _scenario(p.after),
    }
