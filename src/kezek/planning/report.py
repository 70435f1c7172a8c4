"""Before and after: travel and waits with the existing sites only, and with the plan.

Why "before" is computed, not assumed: the existing network is first given the best
capacity-respecting assignment it can make. If its capacity cannot hold the demand (the
usual reason to plan), "before" is what people do today, each going to the nearest existing
centre, and the overload shows as utilisation above 100 % and an unbounded wait.

Waits: each site is an M/M/c queue (c = its windows) fed by its assigned visits spread over
the period's open hours; Erlang C gives the mean wait and the share served within the
standard's maximum wait. With `simulate` > 0 the same queue is also run through the
discrete-event engine (seeded), as a check on the formula that needs no trust in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kezek.planning.model import PlanningError, Problem, with_sites
from kezek.planning.solve import Flow, Solution, capacity_shortfall, solve
from kezek.sim.erlang import mmc_mean_wait, mmc_service_level
from kezek.sim.textbook import simulate_mmc


@dataclass(frozen=True, slots=True)
class WaitModel:
    """How visits per period become an hourly queue: service time, open hours, the standard."""

    service_minutes: float = 15.0
    open_hours: float = 868.0  # per period: e.g. 124 working days x 7 hours
    max_wait_minutes: float = 30.0

    def __post_init__(self) -> None:
        for name in ("service_minutes", "open_hours", "max_wait_minutes"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise PlanningError(f"{name} must be positive, got {value}")


@dataclass(frozen=True, slots=True)
class SiteLoad:
    """One open site in one scenario."""

    site: str
    name: str
    existing: bool
    visits: float
    capacity: float | None
    utilisation: float | None  # visits / capacity
    windows: int | None
    arrivals_per_hour: float
    window_load: float | None  # offered load per window (rho); >= 1 means the queue grows
    mean_wait_minutes: float | None  # inf when unstable, None when windows are unknown
    within_standard: float | None  # share served within max_wait_minutes
    simulated_wait_minutes: float | None = None  # mean wait in the engine, when asked


@dataclass(frozen=True, slots=True)
class Travel:
    total_visit_km: float
    mean_km: float
    share_within: float  # of visits, within Problem.within_km
    max_km: float


@dataclass(frozen=True, slots=True)
class Scenario:
    label: str
    mode: str  # "optimal" | "nearest (over capacity)"
    flows: tuple[Flow, ...]
    travel: Travel
    sites: tuple[SiteLoad, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    problem: Problem
    waits: WaitModel
    solution: Solution
    before: Scenario
    after: Scenario


def travel_of(flows: tuple[Flow, ...], within_km: float) -> Travel:
    visits = sum(f.visits for f in flows)
    total = sum(f.visits * f.km for f in flows)
    near = sum(f.visits for f in flows if f.km <= within_km)
    return Travel(total, total / visits if visits else 0.0, near / visits if visits else 1.0,
                  max((f.km for f in flows if f.visits > 0), default=0.0))


def simulated_mean_wait(windows: int, per_minute: float, service_minutes: float,
                        customers: int, rng: np.random.Generator) -> float:
    """Mean wait of an M/M/c run of `customers` people, the first tenth dropped as warm-up."""
    run = simulate_mmc(per_minute, 1.0 / service_minutes, windows, customers, rng)
    return float(np.mean(run.waits[customers // 10:]))


def site_loads(problem: Problem, flows: tuple[Flow, ...], open_ids: tuple[str, ...],
               waits: WaitModel, simulate: int = 0,
               rng: np.random.Generator | None = None) -> tuple[SiteLoad, ...]:
    by_id = {s.id: s for s in problem.sites}
    visits = dict.fromkeys(open_ids, 0.0)
    for f in flows:
        visits[f.site] += f.visits
    out = []
    for sid in open_ids:
        s, v = by_id[sid], visits[sid]
        cap = s.capacity
        if cap is None and s.sector_capacity:
            cap = float(sum(s.sector_capacity.values()))
        lam = v / waits.open_hours / 60.0  # per minute
        rho = wait = within = simulated = None
        if s.windows is not None:
            rho = lam * waits.service_minutes / s.windows
            if v == 0:
                wait, within = 0.0, 1.0
            elif rho >= 1:
                wait, within = math.inf, 0.0
            else:
                wait = mmc_mean_wait(s.windows, lam, waits.service_minutes)
                within = mmc_service_level(s.windows, lam, waits.service_minutes,
                                           waits.max_wait_minutes)
            if simulate > 0:
                simulated = wait if v == 0 or rho >= 1 else simulated_mean_wait(
                    s.windows, lam, waits.service_minutes, simulate,
                    rng if rng is not None else np.random.default_rng(0))
        out.append(SiteLoad(sid, s.name, s.existing, v, cap, v / cap if cap else None,
                            s.windows, lam * 60.0, rho, wait, within, simulated))
    return tuple(out)


def nearest_flows(problem: Problem) -> tuple[Flow, ...]:
    """Everyone to the nearest existing site that serves their sector, capacity ignored."""
    dist = problem.distance_matrix()
    flows = []
    for i, d in enumerate(problem.demand):
        for sector, v in d.demand.items():
            if v <= 0:
                continue
            options = [(dist[i, j], j) for j, s in enumerate(problem.sites)
                       if s.existing and s.serves(sector) and np.isfinite(dist[i, j])]
            if not options:
                raise PlanningError(f"no existing site serves {sector} visits from "
                                    f"{d.name or d.id}")
            km, j = min(options)
            flows.append(Flow(d.id, sector, problem.sites[j].id, float(v), float(km)))
    return tuple(flows)


def before(problem: Problem, waits: WaitModel, simulate: int = 0,
           rng: np.random.Generator | None = None) -> Scenario:
    """The existing network alone: optimal if it can hold the demand, else nearest-site."""
    existing = problem.existing
    ids = tuple(s.id for s in existing)
    if not existing:
        raise PlanningError("no existing sites: nothing to compare the plan with")
    only = with_sites(problem, existing, 0)
    if capacity_shortfall(only) is None:
        try:
            sol = solve(only)
            return Scenario("before", "optimal", sol.flows,
                            travel_of(sol.flows, problem.within_km),
                            site_loads(problem, sol.flows, ids, waits, simulate, rng))
        except PlanningError:
            pass  # e.g. single assignment cannot pack: fall back to what people do
    flows = nearest_flows(problem)
    return Scenario("before", "nearest (over capacity)", flows,
                    travel_of(flows, problem.within_km),
                    site_loads(problem, flows, ids, waits, simulate, rng))


def plan(problem: Problem, waits: WaitModel | None = None, time_limit: float | None = None,
         simulate: int = 0, seed: int = 0) -> Plan:
    """Solve, and describe the network before (existing sites) and after (with the plan).

    `simulate`: customers per site for the simulated mean wait (0: formula only).
    """
    waits = waits or WaitModel()
    sol = solve(problem, time_limit)
    rng = np.random.default_rng(seed)
    was = before(problem, waits, simulate, rng)
    after = Scenario("after", "optimal", sol.flows, travel_of(sol.flows, problem.within_km),
                     site_loads(problem, sol.flows, sol.open_sites, waits, simulate, rng))
    return Plan(problem, waits, sol, was, after)
