"""The capacitated p-median as a mixed-integer programme, solved by HiGHS to a proven optimum.

Variables: y_j in {0, 1} for each candidate (existing sites are open, no variable);
x_cj in [0, 1], the share of commodity c (one demand point's visits of one sector) served at
site j, created only for pairs the site can serve. Constraints:

    sum_j x_cj = 1                                   every visit is served
    sum_c (d_c / cap_j) x_cj <= y_j                  total capacity (1 for existing sites)
    sum_{c in s} (d_c / cap_js) x_cj <= y_j          per-sector capacity
    x_cj <= y_j                                      nobody is sent to a closed site
    sum_j y_j = k  (or <= k)

and the objective sum d_c km_cj x_cj + sum f_j y_j. The x <= y rows are implied by the
capacity rows for an integer y, but they make the linear relaxation much tighter (the
"strong" formulation), which is what lets branch-and-bound prove optimality fast. Capacity
rows are divided by the capacity so that every coefficient is of order one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array, csr_array

from kezek.planning.model import PlanningError, Problem, Site

#: Relative MIP gap at which HiGHS may stop: small enough that the reported plan is the
#: optimum to the last visit-km that matters, and the brute-force tests compare exactly.
MIP_REL_GAP = 1e-9


@dataclass(frozen=True, slots=True)
class Flow:
    """Visits of one sector from one demand point to one site."""

    point: str
    sector: str
    site: str
    visits: float
    km: float


@dataclass(frozen=True, slots=True)
class Solution:
    """The optimum: which candidates open, who goes where, and how sure HiGHS is."""

    opened: tuple[str, ...]
    open_sites: tuple[str, ...]
    flows: tuple[Flow, ...]
    travel: float  # sum of visits x km
    opening_cost: float
    objective: float
    status: str  # "optimal" when proven
    mip_gap: float
    dual_bound: float
    nodes: int
    seconds: float

    def load(self) -> dict[str, float]:
        out = dict.fromkeys(self.open_sites, 0.0)
        for f in self.flows:
            out[f.site] += f.visits
        return out


def _total_limit(site: Site) -> float:
    cap = math.inf if site.capacity is None else float(site.capacity)
    if site.sector_capacity:
        cap = min(cap, float(sum(site.sector_capacity.values())))
    return cap


def _sector_limit(sector: str, site: Site) -> float:
    return site.sector_limit(sector)


def capacity_shortfall(problem: Problem) -> str | None:
    """Why no choice of k candidates can hold the demand, or None if capacity might suffice.

    Checked before solving so the answer names the shortfall instead of "infeasible".
    """
    checks: list[tuple[str, float, Callable[[Site], float]]] = [
        ("visits", sum(d.total for d in problem.demand), _total_limit)]
    for sector in problem.sectors:
        checks.append((f"{sector} visits",
                       sum(d.demand.get(sector, 0.0) for d in problem.demand),
                       partial(_sector_limit, sector)))
    for label, need, limit in checks:
        have = sum(limit(s) for s in problem.existing)
        extra = sorted((limit(s) for s in problem.candidates), reverse=True)[:problem.k]
        if have + sum(extra) < need * (1 - 1e-12):
            return (f"total capacity short: {need:,.0f} {label} to serve, the existing sites "
                    f"hold {have:,.0f} and the {len(extra)} largest candidates "
                    f"{sum(extra):,.0f} more")
    return None


def solve(problem: Problem, time_limit: float | None = None) -> Solution:
    """The optimal plan, or PlanningError when there is none (or HiGHS cannot prove one)."""
    short = capacity_shortfall(problem)
    if short:
        raise PlanningError(short)
    started = time.perf_counter()
    dist = problem.distance_matrix()
    sites = problem.sites
    cand_index = {j: n for n, j in enumerate(j for j, s in enumerate(sites) if not s.existing)}
    n_y = len(cand_index)

    # Commodities and the site pairs each may use.
    comm: list[tuple[int, str, float]] = [(i, sector, float(v))
                                          for i, d in enumerate(problem.demand)
                                          for sector, v in d.demand.items() if v > 0]
    pc: list[int] = []
    pj: list[int] = []
    for c, (i, sector, _) in enumerate(comm):
        for j, site in enumerate(sites):
            if site.serves(sector) and math.isfinite(dist[i, j]):
                pc.append(c)
                pj.append(j)
        if not pc or pc[-1] != c:
            name = problem.demand[i].name or problem.demand[i].id
            raise PlanningError(f"no site can serve {sector} visits from {name}")
    pair_c, pair_j = np.array(pc), np.array(pj)
    pair_sector = np.array([comm[c][1] for c in pc])
    n_x = len(pc)
    demand = np.array([v for _, _, v in comm])
    point = np.array([i for i, _, _ in comm])
    cost = np.concatenate([demand[pair_c] * dist[point[pair_c], pair_j],
                           [sites[j].opening_cost for j in sorted(cand_index)]])

    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    vals: list[NDArray[np.float64]] = []
    lo: list[float] = []
    hi: list[float] = []
    r = 0

    def add(row_ids: NDArray[np.int64], col_ids: NDArray[np.int64],
            coef: NDArray[np.float64]) -> None:
        rows.append(row_ids)
        cols.append(col_ids)
        vals.append(coef.astype(np.float64))

    # Every commodity fully served.
    add(pair_c.astype(np.int64), np.arange(n_x), np.ones(n_x))
    lo += [1.0] * len(comm)
    hi += [1.0] * len(comm)
    r += len(comm)
    # Capacities: total, then per sector.
    for j, site in enumerate(sites):
        caps: list[tuple[str | None, float]] = []
        if site.capacity is not None:
            caps.append((None, site.capacity))
        caps.extend(site.sector_capacity.items())
        for only, cap in caps:
            mask = pair_j == j
            if only is not None:
                mask &= pair_sector == only
            idx = np.flatnonzero(mask)
            if cap <= 0:  # closed to this sector: no pair may carry it
                add(np.full(idx.size, r), idx, np.ones(idx.size))
                lo.append(0.0)
                hi.append(0.0)
                r += 1
                continue
            add(np.full(idx.size, r), idx, demand[pair_c[idx]] / cap)
            if site.existing:
                lo.append(-np.inf)
                hi.append(1.0)
            else:
                add(np.array([r]), np.array([n_x + cand_index[j]]), np.array([-1.0]))
                lo.append(-np.inf)
                hi.append(0.0)
            r += 1
    # Strong linking x_cj <= y_j for candidate pairs.
    link = np.flatnonzero([not sites[j].existing for j in pj]) if n_y else np.array([], int)
    if link.size:
        ids = r + np.arange(link.size)
        add(ids, link, np.ones(link.size))
        add(ids, n_x + np.array([cand_index[j] for j in pair_j[link]]), -np.ones(link.size))
        lo += [-np.inf] * link.size
        hi += [0.0] * link.size
        r += link.size
    # How many candidates open.
    if n_y:
        add(np.full(n_y, r), n_x + np.arange(n_y), np.ones(n_y))
        lo.append(float(problem.k) if problem.exactly else 0.0)
        hi.append(float(problem.k))
        r += 1

    a = csr_array(coo_array((np.concatenate(vals), (np.concatenate(rows),
                                                      np.concatenate(cols))),
                            shape=(r, n_x + n_y)))
    integrality = np.concatenate([np.full(n_x, 1 if problem.single_assignment else 0),
                                  np.ones(n_y)])
    options: dict[str, float | bool] = {"mip_rel_gap": MIP_REL_GAP, "disp": False}
    if time_limit is not None:
        options["time_limit"] = time_limit
    res = milp(cost, constraints=LinearConstraint(a, np.array(lo), np.array(hi)),
               integrality=integrality, bounds=Bounds(0.0, 1.0), options=options)
    seconds = time.perf_counter() - started
    if res.status == 2:
        raise PlanningError("no feasible plan: the capacities cannot take every visit with "
                            f"{'exactly' if problem.exactly else 'at most'} {problem.k} new "
                            "sites" + (" and each district sent to one site"
                                       if problem.single_assignment else ""))
    if res.status != 0 or res.x is None:
        raise PlanningError(f"HiGHS did not prove an optimum: {res.message}")

    x, y = res.x[:n_x], res.x[n_x:]
    chosen = {j for j, n in cand_index.items() if y[n] > 0.5}
    flows = tuple(Flow(problem.demand[comm[c][0]].id, comm[c][1], sites[j].id,
                       float(demand[c] * x[p]), float(dist[comm[c][0], j]))
                  for p, (c, j) in enumerate(zip(pc, pj, strict=True)) if x[p] > 1e-9)
    travel = float(sum(f.visits * f.km for f in flows))
    opening = float(sum(sites[j].opening_cost for j in chosen))
    return Solution(
        opened=tuple(sites[j].id for j in sorted(chosen)),
        open_sites=tuple(s.id for j, s in enumerate(sites) if s.existing or j in chosen),
        flows=flows, travel=travel, opening_cost=opening, objective=float(res.fun),
        status="optimal", mip_gap=float(getattr(res, "mip_gap", 0.0) or 0.0),
        dual_bound=float(getattr(res, "mip_dual_bound", res.fun) or res.fun),
        nodes=int(getattr(res, "mip_node_count", 0) or 0), seconds=seconds)
