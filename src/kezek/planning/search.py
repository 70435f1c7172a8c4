"""Exact search over the sets of candidates that the bounds leave, one transport LP at a time.

Why this beats handing the MILP to HiGHS on the benchmark: once the LP relaxation's prices
have ruled out most candidates, a few thousand k-sets remain, and for a fixed set the
assignment is a small transport LP. Each LP solved gives its own prices, and by weak duality
(`bounds.lagrangian`) those prices bound every other set at once, tightly for the sets that
share most of its sites. Sets are taken cheapest bound first; a set is solved only when
neither the price bounds nor the capacity bound (`bounds.capacity_bound`) put it at or above
the best plan found. When no set is left below the best plan, that plan is optimal: every
set has been either solved or bounded. The search gives up (returns None) when the sets are
too many or the LPs too numerous, and `solve` falls back to the MILP.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

from kezek.planning.bounds import REL_TOL, capacity_bound, lagrangian, ruled_out
from kezek.planning.formulation import Bools, Floats, Ints, Model, Network, build

#: Above this many candidate sets the search is not tried (the MILP copes better).
MAX_SETS = 60_000
#: Above this many transport LPs the search stops and the MILP takes over.
MAX_LPS = 400
#: At most this many sets are solved to narrow the candidates before the search.
MAX_DIVES = 12


@dataclass(frozen=True, slots=True)
class LpResult:
    """An LP's optimum and the prices that bound other sets."""

    value: float
    x: Floats
    prices: Floats  # per commodity: duals of "every visit is served"
    cap_prices: Floats  # per site: dual of total capacity, per visit (>= 0; 0 if none)


def solve_lp(net: Network, model: Model) -> LpResult | None:
    """The LP relaxation of `model` (None when infeasible)."""
    res = linprog(model.c, A_ub=model.a_ub if model.b_ub.size else None,
                  b_ub=model.b_ub if model.b_ub.size else None, A_eq=model.a_eq,
                  b_eq=model.b_eq, bounds=(0.0, 1.0), method="highs-ds")
    if res.status != 0:
        return None
    n_c = net.demand.size
    prices = np.asarray(res.eqlin.marginals, dtype=np.float64)[:n_c]
    cap_prices = np.zeros(net.cap.size)
    if model.b_ub.size:
        marg = np.asarray(res.ineqlin.marginals, dtype=np.float64)
        has = model.cap_row >= 0
        cap_prices[has] = np.maximum(-marg[model.cap_row[has]] / net.cap[has], 0.0)
    return LpResult(float(res.fun) + model.fixed_cost, np.asarray(res.x), prices, cap_prices)


@dataclass(slots=True)
class Outcome:
    """The best set found, its LP, and what proving it cost."""

    chosen: tuple[int, ...]
    model: Model
    lp: LpResult
    dual_bound: float
    lps: int
    sets: int
    pruned_by_capacity: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def set_count(n: int, k: int, exactly: bool) -> int:
    return math.comb(n, k) if exactly else sum(math.comb(n, s) for s in range(k + 1))


def solve_set(net: Network, allowed: Bools, sites: tuple[int, ...]
              ) -> tuple[Model, LpResult] | None:
    """The transport LP with the existing sites and `sites` open; None if it has no plan."""
    open_sites = np.concatenate([np.flatnonzero(net.existing), np.asarray(sites, np.int64)])
    if net.cap[open_sites].sum() < net.demand.sum() * (1 - 1e-12):
        return None  # cannot hold the demand: no LP needed
    if not allowed[:, open_sites].any(axis=1).all():
        return None  # some visits have no open site that serves them
    model = build(net, allowed, [], open_sites.tolist())
    lp = solve_lp(net, model)
    return None if lp is None else (model, lp)


def narrow(net: Network, allowed: Bools, cands: Ints, bounds: list[tuple[float, Floats]],
           start: Outcome | None, deadline: float) -> tuple[Bools, Outcome | None]:
    """Candidates ruled out, and the best set solved, after narrowing until the search fits.

    While the candidates left give more than MAX_SETS sets, solve the set the newest prices
    rank cheapest: it is a plausible better incumbent, and its prices are one more bound
    (appended to `bounds`), so each round can rule out more candidates.
    """
    problem = net.problem
    tried = set() if start is None else {start.chosen}
    out = np.zeros(cands.size, dtype=bool)
    for _ in range(MAX_DIVES + 1):
        incumbent = math.inf if start is None else start.lp.value
        if math.isfinite(incumbent):
            for base, a in bounds:
                out |= ruled_out(base, a, problem.k, problem.exactly, incumbent)
        left = np.flatnonzero(~out)
        if (set_count(left.size, problem.k, problem.exactly) <= MAX_SETS
                or time.perf_counter() > deadline):
            break
        a = bounds[-1][1][left]
        pick = left[np.argsort(a, kind="stable")[:problem.k]]
        if not problem.exactly:
            pick = pick[bounds[-1][1][pick] < 0]
        sites = tuple(sorted(int(cands[t]) for t in pick))
        if sites in tried:
            break
        tried.add(sites)
        solved = solve_set(net, allowed, sites)
        if solved is None:
            continue
        model, lp = solved
        bounds.append(lagrangian(net, allowed, lp.prices, cands))
        if lp.value < incumbent:
            start = Outcome(sites, model, lp, -math.inf, 1, 0)
    return out, start


def search(net: Network, allowed: Bools, alive: Ints, bounds: list[tuple[float, Floats]],
           cands: Ints, start: Outcome | None, deadline: float) -> Outcome | None:
    """Best-first over the sets of `alive` candidates; None when it gives up.

    `bounds` are (base, a) pairs from `lagrangian` over `cands` (each LP solved appends
    its own); `start` is a set already solved: the incumbent to beat, whatever `alive` holds.
    """
    problem = net.problem
    k, exactly = problem.k, problem.exactly
    n_sets = set_count(alive.size, k, exactly)
    if n_sets > MAX_SETS:
        return None
    sizes = [k] if exactly else range(min(k, alive.size) + 1)
    combos = [c for s in sizes for c in itertools.combinations(range(alive.size), s)]
    member = np.zeros((len(combos), alive.size))
    for row, combo in enumerate(combos):
        member[row, list(combo)] = 1.0
    where = np.searchsorted(cands, alive)  # alive sites -> position in cands
    lower = np.full(len(combos), -np.inf)
    for base, a in bounds:
        lower = np.maximum(lower, base + member @ a[where])
    existing = np.flatnonzero(net.existing)
    cap_prices = np.zeros(net.cap.size)
    done = np.zeros(len(combos), dtype=bool)
    best = start
    incumbent = math.inf if start is None else start.lp.value
    lps, by_capacity = 0, 0

    def solve_one(sites: tuple[int, ...]) -> float:
        """The set's least cost (inf when it cannot serve everyone); tightens all bounds."""
        nonlocal incumbent, lps, best
        solved = solve_set(net, allowed, sites)
        lps += 1
        if solved is None:
            return math.inf
        model, lp = solved
        base, a = lagrangian(net, allowed, lp.prices, cands)
        bounds.append((base, a))
        np.maximum(lower, base + member @ a[where], out=lower)
        open_sites = np.concatenate([existing, np.asarray(sites, dtype=np.int64)])
        cap_prices[open_sites] = lp.cap_prices[open_sites]
        if lp.value < incumbent:
            incumbent = lp.value
            best = Outcome(tuple(sorted(sites)), model, lp, -math.inf, 0, n_sets)
        return lp.value

    if start is not None:
        cap_prices[:] = start.lp.cap_prices
        if set(start.chosen) <= set(alive.tolist()):
            row = combos.index(tuple(int(np.searchsorted(alive, j)) for j in start.chosen))
            done[row] = True
            lower[row] = max(lower[row], start.lp.value)
    while True:
        if time.perf_counter() > deadline or lps > MAX_LPS:
            return None
        if not combos:
            break
        open_lower = np.where(done, np.inf, lower)
        row = int(np.argmin(open_lower))
        if open_lower[row] >= incumbent - REL_TOL * abs(incumbent):
            break
        done[row] = True
        sites = tuple(int(alive[t]) for t in combos[row])
        open_sites = np.concatenate([existing, np.asarray(sites, dtype=np.int64)])
        cap_bound = capacity_bound(net, allowed, open_sites, cap_prices)
        if cap_bound >= incumbent - REL_TOL * abs(incumbent):
            lower[row] = max(lower[row], cap_bound)
            by_capacity += 1
            continue
        value = solve_one(sites)
        lower[row] = max(lower[row], value)
    if best is None:
        return None
    best.dual_bound = float(min(incumbent, lower.min(initial=math.inf)))
    best.lps, best.pruned_by_capacity = lps, by_capacity
    return best
