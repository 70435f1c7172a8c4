"""Reductions that shrink the planning model without ever losing its optimum, each proved.

Three facts, used by `solve`:

1. `dominated_pairs`: assignment pairs that no optimal plan uses (an exchange argument).
2. `lagrangian`: a lower bound on the cost of any plan that opens a given set of candidates,
   from any vector of prices on the "every visit is served" rows (weak duality). With the
   LP relaxation's duals it rules out candidates (`ruled_out`); with the duals of each
   transport LP the enumeration solves, it rules out whole sets of sites.
3. `capacity_bound`: a lower bound for one set of open sites from prices on capacity.

All three only need to hold for the data as given, so they are checked by brute force on
small instances in tests/planning/test_solve_reductions.py.
"""

from __future__ import annotations

import numpy as np

from kezek.planning.formulation import Bools, Floats, Ints, Network

#: Relative tolerance of every "cannot beat the incumbent" test: a set of sites is dropped
#: when its bound is within this share of the incumbent. The same figure as the MIP gap the
#: MILP path asks of HiGHS, so "optimal" means the same on both paths.
REL_TOL = 1e-9


def dominated_pairs(net: Network) -> Bools:
    """Pairs (commodity c, site j) that carry no visits in ANY optimal plan.

    Proof. Fix the open sites; the assignment is then a transport LP. Take an existing site
    e (always open) and a site j, neither with per-sector capacities, and a commodity c
    with g_c = km_cj - km_ce > 0. Suppose an optimal assignment sends visits of c to j.
    (a) If e has spare capacity, moving a small amount of c from j to e is feasible and
    saves g_c per visit: not optimal. So e is full. (b) If some commodity c' is served at e
    with g_c' < g_c, swapping a small amount (c from j to e, c' from e to j) keeps both
    sites' loads, is feasible (neither site limits sectors) and changes the cost by
    g_c' - g_c < 0 per visit: not optimal. So every commodity at e has g >= g_c, and e's
    load, cap_e, is at most D(g_c) = the demand of all commodities reachable at e with
    g >= g_c. Hence D(g_c) < cap_e makes x_cj > 0 impossible in every optimal plan, and
    removing the pair keeps every optimal plan. Commodities that cannot reach j count with
    g = +inf (they may sit at e), those that cannot reach e do not count. Only valid when a
    commodity may be split, so `solve` applies it only then.
    """
    keep = net.allowed.copy()
    plain = np.array([not s.sector_capacity for s in net.problem.sites], dtype=bool)
    d = net.demand
    for e in np.flatnonzero(net.existing & plain):
        at_e = net.allowed[:, e]
        for j in np.flatnonzero(plain):
            if j == e:
                continue
            with np.errstate(invalid="ignore"):
                g = np.where(at_e, net.km[:, j] - net.km[:, e], -np.inf)
            order = np.argsort(-g, kind="stable")
            gs = g[order]
            cum = np.cumsum(np.where(np.isfinite(gs) | (gs > 0), d[order], 0.0))
            last = np.searchsorted(-gs, -gs, side="right") - 1  # last index with g >= g_c
            below = np.empty_like(d)
            below[order] = cum[last]
            keep[at_e & (g > 0) & (below < net.cap[e]), j] = False
    return keep


def site_values(net: Network, allowed: Bools, prices: Floats) -> Floats:
    """Per site j: min sum_c (cost_cj - p_c) x_c over 0 <= x <= 1, sum_c d_c x_c <= cap_j.

    A continuous knapsack, solved exactly by taking items in order of their value per
    visit until the capacity is used (the last one fractionally). Per-sector capacities are
    left out: that only lowers the value, so every bound built on it stays a lower bound.
    """
    with np.errstate(invalid="ignore"):
        per_visit = np.where(allowed, net.km - (prices / net.demand)[:, None], np.inf)
    per_visit = np.where(per_visit < 0, per_visit, np.inf)
    order = np.argsort(per_visit, axis=0)
    ratio = np.take_along_axis(per_visit, order, axis=0)
    used = np.isfinite(ratio)
    w = np.where(used, net.demand[order], 0.0)
    before = np.cumsum(w, axis=0) - w
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.clip((net.cap[None, :] - before) / np.where(used, w, 1.0), 0.0, 1.0)
    values: Floats = np.where(used, np.where(used, ratio, 0.0) * w * share, 0.0).sum(axis=0)
    return values


def lagrangian(net: Network, allowed: Bools, prices: Floats, cands: Ints
               ) -> tuple[float, Floats]:
    """(base, a): any plan opening the set S of candidates costs at least base + sum_S a_j.

    Proof. For any prices p, a plan's cost equals cost(x) - sum_c p_c (sum_j x_cj - 1),
    since every bracket is zero. Split by site: sum_c p_c plus, per open site, the priced
    cost of what it serves, which is at least site_values (its capacity still holds). An
    existing site is open in every plan (base); a candidate adds its value plus its opening
    cost only when opened. x_cj = 0 at closed sites, so they add nothing.
    """
    v = site_values(net, allowed, prices)
    base = float(prices.sum() + v[net.existing].sum())
    return base, v[cands] + net.opening[cands]


def choose_min(a: Floats, k: int, exactly: bool) -> float:
    """The least sum of a over the sets the plan may open: exactly k, or at most k."""
    s = np.sort(a)[:k]
    return float(s.sum() if exactly else np.minimum(s, 0.0).sum())


def ruled_out(base: float, a: Floats, k: int, exactly: bool, incumbent: float) -> Bools:
    """Candidates that no plan cheaper than `incumbent` can open (from one `lagrangian`).

    The least bound among sets containing j is base + a_j + the least choice of k - 1 among
    the others; if that is not below the incumbent (up to REL_TOL), opening j cannot beat
    the plan already in hand, so y_j = 0 keeps an optimal plan.
    """
    if k == 0:
        return np.ones(a.size, dtype=bool)
    order = np.argsort(a, kind="stable")
    rank = np.empty(a.size, dtype=np.int64)
    rank[order] = np.arange(a.size)
    s = np.sort(a) if exactly else np.minimum(np.sort(a), 0.0)
    first_k1 = float(s[:k - 1].sum())
    first_k = float(s[:k].sum()) if a.size >= k else np.inf
    # Others' best k - 1: the first k - 1 sorted, or the first k without j when j is in them.
    others = np.where(rank < k - 1, first_k - s[np.minimum(rank, s.size - 1)], first_k1)
    bound = base + a + others
    return np.asarray(bound >= incumbent - REL_TOL * abs(incumbent), dtype=bool)


def capacity_bound(net: Network, allowed: Bools, open_sites: Ints, price: Floats) -> float:
    """A lower bound on the plan with exactly `open_sites` open, from capacity prices >= 0.

    Proof. Add price_j x (load_j - cap_j) <= 0 to the cost for each open site with a finite
    capacity: the result is at most the plan's cost, and its least value over assignments
    that only keep "every visit is served" is each commodity going to its cheapest priced
    open site. Per-sector capacities are dropped (a relaxation). Infinite if some commodity
    has no open site at all.
    """
    km = np.where(allowed[:, open_sites], net.km[:, open_sites], np.inf)
    p = price[open_sites]
    best = (km + p[None, :]).min(axis=1)
    if not np.isfinite(best).all():
        return float(np.inf)
    caps = net.cap[open_sites]
    held = float((np.where(np.isfinite(caps), caps, 0.0) * p).sum())
    return float(net.demand @ best - held + net.opening[open_sites].sum())
