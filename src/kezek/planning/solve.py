"""The capacitated p-median, solved to a proven optimum: bounds first, then HiGHS.

The model (formulation.py) is a MILP: choose k candidates, assign every visit within
capacity, least visit-km. Handing it whole to HiGHS took 0.3-4 s on the benchmark, nearly all
of it spent closing a 0.1-0.4 % gap above the LP relaxation. So the solve goes in steps,
each of which keeps an optimal plan (the proofs are in bounds.py):

1. drop assignment pairs that no optimal plan uses (split assignment only);
2. solve the LP relaxation; its prices bound every choice of sites (`bounds.lagrangian`);
3. round the LP to a first plan and solve its transport LP: the incumbent;
4. rule out every candidate whose best possible set cannot beat the incumbent;
5. split assignment: search the remaining sets best-first (search.py), each a transport LP
   that also bounds the others; single assignment, or too many sets: the MILP over the
   remaining candidates and pairs, on HiGHS.

`reduce=False` skips all of it and hands the full model to HiGHS (the reference the tests
and the benchmark compare against).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

from kezek.planning.bounds import dominated_pairs, lagrangian, ruled_out
from kezek.planning.formulation import Floats, Ints, Model, Network, build, network
from kezek.planning.model import PlanningError, Problem, Site
from kezek.planning.search import LpResult, Outcome, narrow, search, solve_lp

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
    method: str = "milp"  # "search" (transport LPs over the sets left) or "milp" (HiGHS)
    pairs_dropped: int = 0  # assignment pairs no optimal plan uses
    ruled_out: int = 0  # candidates the LP bound and the incumbent closed

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


def solve(problem: Problem, time_limit: float | None = None, *, reduce: bool = True
          ) -> Solution:
    """The optimal plan, or PlanningError when there is none (or none proven in time)."""
    short = capacity_shortfall(problem)
    if short:
        raise PlanningError(short)
    started = time.perf_counter()
    if not any(d.total > 0 for d in problem.demand):
        return _no_visits(problem, started)
    deadline = started + (math.inf if time_limit is None else time_limit)
    net = network(problem)
    cands = net.candidates
    existing = np.flatnonzero(net.existing).tolist()
    if not reduce or problem.k == 0 or cands.size == 0:
        choose = cands.tolist() if problem.k else []
        return _milp(net, build(net, net.allowed, choose, existing), started, deadline)
    single = problem.single_assignment
    allowed = net.allowed if single else dominated_pairs(net)
    dropped = int(net.allowed.sum() - allowed.sum())
    root = build(net, allowed, cands.tolist(), existing)
    relaxed = solve_lp(net, root)
    if relaxed is None:
        raise PlanningError(_infeasible(problem))
    bounds = [lagrangian(net, allowed, relaxed.prices, cands)]
    first = _rounded(relaxed, root, problem)
    start: Outcome | None = None
    incumbent = math.inf
    out = np.zeros(cands.size, dtype=bool)
    if single:
        fixed = build(net, allowed, [], existing + list(first))
        incumbent = _milp_value(fixed, deadline)
        if math.isfinite(incumbent):
            for base, a in bounds:
                out |= ruled_out(base, a, problem.k, problem.exactly, incumbent)
    else:
        # The best plan among the candidates the LP uses is the incumbent to beat.
        start = search(net, allowed, _support(relaxed, root, problem), bounds, cands, None,
                       deadline)
        out, start = narrow(net, allowed, cands, bounds, start, deadline)
        incumbent = math.inf if start is None else start.lp.value
    alive = cands[~out]
    stats = {"pairs_dropped": dropped, "ruled_out": int(out.sum())}
    if not single:
        found = search(net, allowed, alive, bounds, cands, start, deadline)
        if found is not None:
            return _from_search(net, found, started, stats)
    # The MILP over what is left; the incumbent wins when nothing left beats it (its set may
    # itself have been ruled out, since nothing containing it beats it either).
    sol: Solution | None = None
    if not (problem.exactly and alive.size < problem.k):
        try:
            sol = _milp(net, build(net, allowed, alive.tolist(), existing), started, deadline,
                        stats)
        except PlanningError:
            if not math.isfinite(incumbent):
                raise
    if sol is not None and sol.objective <= incumbent:
        return sol
    dual = incumbent if sol is None else min(incumbent, sol.dual_bound)
    if start is not None:
        return _from_search(net, start, started, stats, dual=dual)
    fixed = build(net, allowed, [], existing + list(first))
    return _milp(net, fixed, started, deadline, stats, dual=dual)


def _no_visits(problem: Problem, started: float) -> Solution:
    """The plan when no visit is to be served (an all-zero instance): nothing travels, so
    the optimum only pays for openings; the k cheapest candidates when exactly k must
    open, none otherwise.

    The formulation has no assignment variable then, and HiGHS refuses an empty model:
    this is the answer it would give, stated directly.
    """
    ranked = sorted(problem.candidates, key=lambda s: (s.opening_cost, s.id))
    chosen = ranked[:problem.k] if problem.exactly else []  # opening costs are >= 0
    ids = {s.id for s in chosen}
    cost = float(sum(s.opening_cost for s in chosen))
    return Solution(
        opened=tuple(s.id for s in problem.sites if s.id in ids),
        open_sites=tuple(s.id for s in problem.sites if s.existing or s.id in ids),
        flows=(), travel=0.0, opening_cost=cost, objective=cost, status="optimal",
        mip_gap=0.0, dual_bound=cost, nodes=0, seconds=time.perf_counter() - started,
        method="none")


def _support(relaxed: LpResult, root: Model, problem: Problem) -> Ints:
    """The candidates the LP relaxation opens at all (at least k of them when it can)."""
    y = relaxed.x[root.n_x:]
    used = y > 1e-6
    if used.sum() < problem.k:
        used[np.argsort(-y, kind="stable")[:problem.k]] = True
    return np.sort(root.y_sites[used])


def _rounded(relaxed: LpResult, root: Model, problem: Problem) -> tuple[int, ...]:
    """The candidates the LP opens most: a first plan, usually optimal or close to it."""
    y = relaxed.x[root.n_x:]
    top = np.argsort(-y, kind="stable")[:problem.k]
    if not problem.exactly:
        top = top[y[top] > 1e-6]
    return tuple(sorted(int(root.y_sites[t]) for t in top))


def _infeasible(problem: Problem) -> str:
    return ("no feasible plan: the capacities cannot take every visit with "
            f"{'exactly' if problem.exactly else 'at most'} {problem.k} new sites"
            + (" and each district sent to one site" if problem.single_assignment else ""))


def _run_milp(model: Model, deadline: float, integral_x: bool) -> OptimizeResult:
    integrality = model.integrality
    if integral_x:
        integrality[:model.n_x] = 1
    constraints = [LinearConstraint(model.a_eq, model.b_eq, model.b_eq)]
    if model.b_ub.size:
        constraints.append(LinearConstraint(model.a_ub, -np.inf, model.b_ub))
    options: dict[str, float | bool] = {"mip_rel_gap": MIP_REL_GAP, "disp": False}
    if math.isfinite(deadline):
        options["time_limit"] = max(deadline - time.perf_counter(), 0.01)
    return milp(model.c, constraints=constraints, integrality=integrality,
                bounds=Bounds(0.0, 1.0), options=options)


def _milp_value(model: Model, deadline: float) -> float:
    """The optimum of a fixed set's single-assignment problem (inf when infeasible)."""
    res = _run_milp(model, deadline, True)
    status = getattr(res, "status", 2)
    return float(res.fun) + model.fixed_cost if status == 0 else math.inf


def _milp(net: Network, model: Model, started: float, deadline: float,
          stats: dict[str, int] | None = None, dual: float | None = None) -> Solution:
    res = _run_milp(model, deadline, net.problem.single_assignment)
    status = int(getattr(res, "status", 2))
    x = getattr(res, "x", None)
    if status == 2:
        raise PlanningError(_infeasible(net.problem))
    if status != 0 or x is None:
        raise PlanningError(f"HiGHS did not prove an optimum: {getattr(res, 'message', '')}")
    x = np.asarray(x, dtype=np.float64)
    fun = float(res.fun) + model.fixed_cost
    y = x[model.n_x:]
    chosen = [int(j) for j in model.y_sites[y > 0.5]]
    chosen += [j for j in _open_candidates(net, model)]
    bound = float(getattr(res, "mip_dual_bound", None) or fun) + model.fixed_cost
    return _solution(net, model, x, chosen, fun, started, "milp",
                     gap=float(getattr(res, "mip_gap", 0.0) or 0.0),
                     dual=bound if dual is None else min(bound, dual),
                     nodes=int(getattr(res, "mip_node_count", 0) or 0), stats=stats)


def _open_candidates(net: Network, model: Model) -> list[int]:
    """Candidates forced open in `model` (those with capacity rows or pairs but no y)."""
    present = set(np.unique(model.pair_j).tolist()) | set(
        np.flatnonzero(model.cap_row >= 0).tolist())
    return sorted(j for j in present if not net.existing[j] and j not in set(
        model.y_sites.tolist()))


def _from_search(net: Network, found: Outcome, started: float, stats: dict[str, int],
                 dual: float | None = None) -> Solution:
    value = found.lp.value
    bound = found.dual_bound if dual is None else dual
    bound = min(bound, value)
    return _solution(net, found.model, found.lp.x, list(found.chosen), value, started,
                     "search", gap=(value - bound) / max(abs(value), 1e-12), dual=bound,
                     nodes=found.lps, stats=stats)


def _solution(net: Network, model: Model, x: Floats, chosen: list[int], objective: float,
              started: float, method: str, *, gap: float, dual: float, nodes: int,
              stats: dict[str, int] | None) -> Solution:
    problem = net.problem
    sites = problem.sites
    xs = x[:model.n_x]
    flows = tuple(Flow(problem.demand[int(net.point[c])].id, net.sector[c], sites[j].id,
                       float(net.demand[c] * xs[p]), float(net.km[c, j]))
                  for p, (c, j) in enumerate(zip(model.pair_c, model.pair_j, strict=True))
                  if xs[p] > 1e-9)
    travel = float(sum(f.visits * f.km for f in flows))
    opened = set(chosen)
    return Solution(
        opened=tuple(sites[j].id for j in sorted(opened)),
        open_sites=tuple(s.id for j, s in enumerate(sites) if s.existing or j in opened),
        flows=flows, travel=travel,
        opening_cost=float(sum(sites[j].opening_cost for j in opened)),
        objective=objective, status="optimal", mip_gap=max(gap, 0.0), dual_bound=dual,
        nodes=nodes, seconds=time.perf_counter() - started, method=method,
        **(stats or {}))
