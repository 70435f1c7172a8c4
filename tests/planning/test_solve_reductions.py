"""Every reduction of the fast solve checked against brute force on small random instances.

Each claim in kezek.planning.bounds is tested as stated, on instances built so that it has
something to do (existing centres with room, tight candidate capacities, single assignment,
sectors, opening costs): a bound never exceeds the true cost of any set of sites, a dropped
pair or a ruled-out candidate never loses the optimum, and the whole solve equals
enumeration. The aggregate checks at the end make sure the reductions actually fired.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import linprog

from kezek.planning.bounds import (
    capacity_bound,
    dominated_pairs,
    lagrangian,
    ruled_out,
    site_values,
)
from kezek.planning.formulation import build, network
from kezek.planning.model import DemandPoint, PlanningError, Problem, Site
from kezek.planning.search import solve_lp
from kezek.planning.solve import solve
from tests.planning.test_solve import assignment_cost, brute_force, check_feasible


def tight_problem(seed: int, *, single: bool = False, exactly: bool = True,
                  costs: bool = False, sectors: int = 1, roomy_existing: bool = True,
                  tightness: float = 1.15) -> Problem:
    """Few points, many candidates; candidate capacities summing to about `tightness`
    times the demand the existing sites cannot take, so capacity decides the plan."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 6)) if single else int(rng.integers(5, 9))
    m_cand, n_old = int(rng.integers(4, 8)), int(rng.integers(1, 3))
    names = [f"s{i}" for i in range(sectors)]
    demand = tuple(DemandPoint(f"d{i}", f"district {i}", float(43 + rng.random() * 0.5),
                               float(76.5 + rng.random() * 0.8),
                               {s: float(rng.integers(10, 100)) for s in names})
                   for i in range(n))
    total = sum(d.total for d in demand)
    k = int(rng.integers(1, min(3, m_cand - 1) + 1))
    old_share = float(rng.uniform(0.3, 0.9)) if roomy_existing else 0.3
    sites = []
    for j in range(n_old + m_cand):
        old = j < n_old
        cap = (old_share * total / n_old if old
               else float(rng.uniform(0.6, 1.4) * tightness * (1 - old_share) * total / k))
        sites.append(Site(f"x{j}", f"site {j}", float(43 + rng.random() * 0.5),
                          float(76.5 + rng.random() * 0.8), existing=old, capacity=cap,
                          opening_cost=float(rng.uniform(0, 2000)) if costs and not old
                          else 0.0))
    return Problem(demand, tuple(sites), k, exactly=exactly, single_assignment=single)


def set_costs(problem: Problem) -> dict[tuple[int, ...], float]:
    """Brute force: the least cost of every set of candidates the plan may open."""
    existing = [j for j, s in enumerate(problem.sites) if s.existing]
    cands = [j for j, s in enumerate(problem.sites) if not s.existing]
    sizes = [problem.k] if problem.exactly else range(problem.k + 1)
    return {subset: assignment_cost(problem, existing + list(subset))
            + sum(problem.sites[j].opening_cost for j in subset)
            for size in sizes for subset in itertools.combinations(cands, size)}


def best_with_pairs(problem: Problem, keep: np.ndarray) -> float:
    """Brute force over the sets, each a dense transport LP where only `keep` pairs may
    carry visits (one sector, no per-sector capacities: the SPLIT instances)."""
    dist = problem.distance_matrix()
    w = np.array([d.total for d in problem.demand])
    existing = [j for j, s in enumerate(problem.sites) if s.existing]
    cands = [j for j, s in enumerate(problem.sites) if not s.existing]
    sizes = [problem.k] if problem.exactly else range(problem.k + 1)
    best = math.inf
    for size in sizes:
        for subset in itertools.combinations(cands, size):
            cols = existing + list(subset)
            n, m = len(w), len(cols)
            cost = np.array([w[i] * dist[i, j] for i in range(n) for j in cols])
            a_eq = np.kron(np.eye(n), np.ones(m))
            a_ub = np.hstack([np.diag(w[i] * np.ones(m)) for i in range(n)])
            caps = [problem.sites[j].capacity for j in cols]
            bounds = [(0.0, 1.0 if keep[i, j] else 0.0) for i in range(n) for j in cols]
            res = linprog(cost, A_ub=a_ub, b_ub=caps, A_eq=a_eq, b_eq=np.ones(n),
                          bounds=bounds, method="highs")
            if res.status == 0:
                best = min(best, float(res.fun)
                           + sum(problem.sites[j].opening_cost for j in subset))
    return best


SPLIT = [{"seed": s} for s in range(40)] + [
    {"seed": s, "exactly": False, "costs": True} for s in range(40, 55)] + [
    {"seed": s, "roomy_existing": False, "tightness": 1.02} for s in range(55, 70)]


def test_dominated_pairs_never_lose_the_optimum() -> None:
    dropped = 0
    for case in SPLIT:
        problem = tight_problem(**case)  # type: ignore[arg-type]
        keep = dominated_pairs(network(problem))
        dropped += int((~keep).sum())
        expected, _ = brute_force(problem)
        got = best_with_pairs(problem, keep)
        assert got == pytest.approx(expected, rel=1e-9), case
    assert dropped >= 50  # the rule does real work on these instances


def test_dominance_needs_room_not_just_nearness() -> None:
    # One existing site e next to both districts but able to take only 10 visits: the far
    # district a (60 visits) must partly go to the candidate, so (a, candidate) stays; with
    # room for everyone at e, both pairs to the candidate are dropped.
    demand = (DemandPoint("a", "A", 43.20, 76.90, {"v": 60.0}),
              DemandPoint("b", "B", 43.21, 76.90, {"v": 5.0}))
    def sites(cap: float) -> tuple[Site, ...]:
        return (Site("e", "E", 43.205, 76.90, existing=True, capacity=cap),
                Site("c", "C", 43.40, 76.90, existing=False, capacity=100.0))
    tight = dominated_pairs(network(Problem(demand, sites(10.0), 1)))
    roomy = dominated_pairs(network(Problem(demand, sites(100.0), 1)))
    assert tight[:, 1].all()
    assert not roomy[:, 1].any()


@pytest.mark.parametrize("seed", range(12))
def test_lagrangian_bound_holds_for_any_prices(seed: int) -> None:
    problem = tight_problem(100 + seed, exactly=seed % 3 != 0, costs=seed % 2 == 0)
    net = network(problem)
    cands = net.candidates
    truth = set_costs(problem)
    rng = np.random.default_rng(seed)
    for scale in (0.0, 1.0, 3.0):  # prices from none to far above any cost
        prices = scale * rng.random(net.demand.size) * np.nanmax(net.cost[np.isfinite(net.cost)])
        base, a = lagrangian(net, net.allowed, prices, cands)
        for subset, cost in truth.items():
            pos = [int(np.searchsorted(cands, j)) for j in subset]
            assert base + a[pos].sum() <= cost * (1 + 1e-9) + 1e-6, (subset, scale)
        # The capacity bound, with random capacity prices, is a lower bound too.
        cap_prices = np.where(np.isfinite(net.cap), rng.random(net.cap.size) * 50, 0.0)
        existing = np.flatnonzero(net.existing)
        for subset, cost in truth.items():
            open_sites = np.concatenate([existing, np.array(subset, dtype=np.int64)])
            assert capacity_bound(net, net.allowed, open_sites, cap_prices) <= (
                cost * (1 + 1e-9) + 1e-6)


def test_site_values_are_the_knapsack_optimum() -> None:
    # Items of 30, 50 and 40 visits with priced gains of -2, -1 and +1 per visit; capacity
    # 60: take all of the first (-60) and 30 of the second (-30): -90. Unlimited: -110.
    demand = tuple(DemandPoint(f"d{i}", f"D{i}", 43.2, 76.9, {"v": v})
                   for i, v in enumerate((30.0, 50.0, 40.0)))
    km = ((3.0,), (4.0,), (6.0,))
    for cap, want in ((60.0, -90.0), (None, -110.0), (20.0, -40.0)):
        sites = (Site("e", "E", 43.2, 76.9, existing=True, capacity=cap),)
        net = network(Problem(demand, sites, 0, distances_km=km))
        prices = np.array([5.0 * 30, 5.0 * 50, 5.0 * 40])  # 5 per visit
        assert site_values(net, net.allowed, prices)[0] == pytest.approx(want)


@pytest.mark.parametrize("case", [{"seed": s} for s in range(200, 210)]
                         + [{"seed": s, "single": True, "tightness": 1.8} for s in range(210, 220)]
                         + [{"seed": s, "exactly": False, "costs": True}
                            for s in range(220, 226)],
                         ids=lambda c: "-".join(f"{k}{v}" for k, v in c.items()))
def test_ruled_out_candidates_cannot_beat_the_incumbent(case: dict[str, object]) -> None:
    problem = tight_problem(**case)  # type: ignore[arg-type]
    truth = set_costs(problem)
    best = min(truth.values())
    if math.isinf(best):
        return
    net = network(problem)
    cands = net.candidates
    root = build(net, net.allowed, cands.tolist(), np.flatnonzero(net.existing).tolist())
    relaxed = solve_lp(net, root)
    assert relaxed is not None
    assert relaxed.value <= best * (1 + 1e-9)
    base, a = lagrangian(net, net.allowed, relaxed.prices, cands)
    # With the optimum itself as incumbent (the strongest case for ruling out).
    out = ruled_out(base, a, problem.k, problem.exactly, best)
    for t in np.flatnonzero(out):
        with_j = [v for s, v in truth.items() if int(cands[t]) in s]
        assert min(with_j, default=math.inf) >= best * (1 - 1e-9)


TIGHT = ([{"seed": s} for s in range(300, 320)]
         + [{"seed": s, "roomy_existing": False, "tightness": 1.02} for s in range(320, 330)]
         + [{"seed": s, "single": True, "tightness": 1.8} for s in range(330, 345)]
         + [{"seed": s, "single": True, "tightness": 1.3} for s in range(345, 351)]
         + [{"seed": s, "exactly": False, "costs": True} for s in range(348, 356)]
         + [{"seed": s, "sectors": 2} for s in range(356, 362)])


def test_solve_with_reductions_equals_brute_force() -> None:
    fired = {"pairs_dropped": 0, "ruled_out": 0}
    methods: set[str] = set()
    solved_single = 0
    for case in TIGHT:
        problem = tight_problem(**case)  # type: ignore[arg-type]
        expected, _ = brute_force(problem)
        if math.isinf(expected):
            with pytest.raises(PlanningError):
                solve(problem)
            continue
        sol = solve(problem)
        assert sol.status == "optimal"
        assert sol.objective == pytest.approx(expected, rel=1e-7), case
        assert sol.dual_bound <= sol.objective * (1 + 1e-9)
        assert sol.mip_gap <= 1e-6
        check_feasible(problem, sol)
        plain = solve(problem, reduce=False)
        assert plain.objective == pytest.approx(expected, rel=1e-7)
        fired["pairs_dropped"] += sol.pairs_dropped
        fired["ruled_out"] += sol.ruled_out
        methods.add(sol.method)
        solved_single += problem.single_assignment
    assert solved_single >= 10  # single assignment is covered, not only refused
    assert fired["pairs_dropped"] > 0 and fired["ruled_out"] > 0
    assert methods == {"search", "milp"}  # both paths were exercised


def test_mid_size_instance_matches_the_plain_milp() -> None:
    rng = np.random.default_rng(7)
    n, m_old, m_cand = 60, 3, 16
    visits = rng.lognormal(6.0, 0.6, n).round() + 1
    demand = tuple(DemandPoint(f"d{i}", f"D{i}", float(43 + rng.random() * 0.5),
                               float(76.5 + rng.random() * 0.8), {"v": float(visits[i])})
                   for i in range(n))
    total = float(visits.sum())
    sites = tuple(Site(f"s{j}", f"S{j}", float(43 + rng.random() * 0.5),
                       float(76.5 + rng.random() * 0.8), existing=j < m_old,
                       capacity=0.4 * total if j < m_old else float(rng.uniform(0.1, 0.25))
                       * total) for j in range(m_old + m_cand))
    problem = Problem(demand, sites, 4)
    fast, plain = solve(problem), solve(problem, reduce=False)
    assert fast.objective == pytest.approx(plain.objective, rel=1e-8)
    assert set(fast.opened) == set(plain.opened)
    check_feasible(problem, fast)
