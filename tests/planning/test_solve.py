"""The MILP against brute force: every k-subset, each with its own assignment solved apart."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import linprog

from kezek.planning.model import DemandPoint, PlanningError, Problem, Site
from kezek.planning.solve import Solution, solve


def random_problem(seed: int, *, sectors: int = 1, single: bool = False, exactly: bool = True,
                   costs: bool = False, per_sector_caps: bool = False) -> Problem:
    rng = np.random.default_rng(seed)
    n, m, existing = int(rng.integers(4, 7)), int(rng.integers(5, 8)), int(rng.integers(1, 3))
    names = [f"s{i}" for i in range(sectors)]
    demand = tuple(DemandPoint(f"d{i}", f"district {i}", float(43 + rng.random() * 0.5),
                               float(76.5 + rng.random() * 0.8),
                               {s: float(rng.integers(10, 100)) for s in names})
                   for i in range(n))
    total = sum(d.total for d in demand)
    sites = []
    for j in range(m):
        sector_capacity: dict[str, float] = {}
        if per_sector_caps:
            served = [s for s in names if rng.random() < 0.7] or names[:1]
            sector_capacity = {s: float(rng.uniform(0.4, 1.0) * total / sectors) for s in served}
        sites.append(Site(f"x{j}", f"site {j}", float(43 + rng.random() * 0.5),
                          float(76.5 + rng.random() * 0.8), existing=j < existing,
                          capacity=float(rng.uniform(0.2, 0.6) * total),
                          sector_capacity=sector_capacity,
                          opening_cost=float(rng.uniform(0, 3000)) if costs else 0.0))
    k = int(rng.integers(1, m - existing))  # fewer than all candidates
    return Problem(demand, tuple(sites), k, exactly=exactly, single_assignment=single)


def assignment_cost(problem: Problem, open_idx: list[int]) -> float:
    """Least travel with only these sites open: an LP (or enumeration for single assignment),
    written here from scratch on a dense matrix."""
    dist = problem.distance_matrix()
    comm = [(i, s, v) for i, d in enumerate(problem.demand) for s, v in d.demand.items()]
    if problem.single_assignment:
        return single_cost(problem, open_idx, comm, dist)
    nv = len(comm) * len(open_idx)
    c = np.array([v * dist[i, j] for i, _, v in comm for j in open_idx])
    a_eq = np.zeros((len(comm), nv))
    for ci in range(len(comm)):
        a_eq[ci, ci * len(open_idx):(ci + 1) * len(open_idx)] = 1
    a_ub, b_ub = [], []
    for jj, j in enumerate(open_idx):
        site = problem.sites[j]
        limits = [(None, site.capacity), *site.sector_capacity.items()]
        for only, cap in limits:
            if cap is None:
                continue
            row = np.zeros(nv)
            for ci, (_, s, v) in enumerate(comm):
                if only is None or only == s:
                    row[ci * len(open_idx) + jj] = v
            a_ub.append(row)
            b_ub.append(cap)
        for ci, (_, s, _) in enumerate(comm):  # a site naming sectors serves only those
            if not site.serves(s):
                row = np.zeros(nv)
                row[ci * len(open_idx) + jj] = 1
                a_ub.append(row)
                b_ub.append(0.0)
    res = linprog(c, A_ub=np.array(a_ub) if a_ub else None, b_ub=b_ub or None, A_eq=a_eq,
                  b_eq=np.ones(len(comm)), bounds=(0, 1), method="highs")
    return float(res.fun) if res.status == 0 else math.inf


def single_cost(problem: Problem, open_idx: list[int], comm: list[tuple[int, str, float]],
                dist: np.ndarray) -> float:
    best = math.inf
    for choice in itertools.product(open_idx, repeat=len(comm)):
        load: dict[tuple[int, str | None], float] = {}
        ok, cost = True, 0.0
        for (i, s, v), j in zip(comm, choice, strict=True):
            if not problem.sites[j].serves(s):
                ok = False
                break
            cost += v * dist[i, j]
            load[(j, None)] = load.get((j, None), 0.0) + v
            load[(j, s)] = load.get((j, s), 0.0) + v
        if not ok or cost >= best:
            continue
        for (j, s), v in load.items():
            site = problem.sites[j]
            cap = site.capacity if s is None else site.sector_capacity.get(s, math.inf)
            if cap is not None and v > cap + 1e-9:
                ok = False
        if ok:
            best = cost
    return best


def brute_force(problem: Problem) -> tuple[float, set[str]]:
    existing = [j for j, s in enumerate(problem.sites) if s.existing]
    cands = [j for j, s in enumerate(problem.sites) if not s.existing]
    sizes = [problem.k] if problem.exactly else range(problem.k + 1)
    best, best_set = math.inf, set()
    for size in sizes:
        for subset in itertools.combinations(cands, size):
            cost = assignment_cost(problem, existing + list(subset))
            cost += sum(problem.sites[j].opening_cost for j in subset)
            if cost < best:
                best, best_set = cost, {problem.sites[j].id for j in subset}
    return best, best_set


CASES = ([{"seed": s} for s in range(12)]
         + [{"seed": s, "exactly": False, "costs": True} for s in range(100, 106)]
         + [{"seed": s, "sectors": 2, "per_sector_caps": True} for s in range(200, 206)]
         + [{"seed": s, "single": True} for s in range(300, 306)])


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{k}{v}" for k, v in c.items()))
def test_milp_equals_brute_force(case: dict[str, object]) -> None:
    problem = random_problem(**case)  # type: ignore[arg-type]
    expected, _ = brute_force(problem)
    if math.isinf(expected):
        with pytest.raises(PlanningError):
            solve(problem)
        return
    sol = solve(problem)
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(expected, rel=1e-7)
    assert sol.travel + sol.opening_cost == pytest.approx(sol.objective, rel=1e-7)
    # The plan it reports has the cost it claims.
    chosen = [j for j, s in enumerate(problem.sites) if s.existing or s.id in sol.opened]
    reported = assignment_cost(problem, chosen) + sum(
        s.opening_cost for s in problem.sites if s.id in sol.opened)
    assert reported == pytest.approx(expected, rel=1e-7)
    check_feasible(problem, sol)


def check_feasible(problem: Problem, sol: Solution) -> None:
    by_id = {s.id: s for s in problem.sites}
    # Existing sites are never closed; exactly (or at most) k candidates open.
    assert {s.id for s in problem.existing} <= set(sol.open_sites)
    assert set(sol.opened) == set(sol.open_sites) - {s.id for s in problem.existing}
    if problem.exactly:
        assert len(sol.opened) == problem.k
    else:
        assert len(sol.opened) <= problem.k
    # Every visit is served, only at open sites, within every capacity.
    for d in problem.demand:
        for sector, v in d.demand.items():
            got = sum(f.visits for f in sol.flows if f.point == d.id and f.sector == sector)
            assert got == pytest.approx(v, rel=1e-7)
    for site_id, load in sol.load().items():
        site = by_id[site_id]
        if site.capacity is not None:
            assert load <= site.capacity * (1 + 1e-7)
        for sector, cap in site.sector_capacity.items():
            assert sum(f.visits for f in sol.flows
                       if f.site == site_id and f.sector == sector) <= cap * (1 + 1e-7) + 1e-6
    assert all(f.site in sol.open_sites for f in sol.flows)
    if problem.single_assignment:
        pairs = {(f.point, f.sector) for f in sol.flows}
        assert len(pairs) == len(sol.flows)


def test_capacity_short_is_refused_with_the_figures() -> None:
    demand = (DemandPoint("a", "A", 43.2, 76.9, {"vehicle": 1000.0}),)
    sites = (Site("e", "E", 43.2, 76.9, existing=True, capacity=300.0),
             Site("c1", "C1", 43.3, 76.9, existing=False, capacity=400.0),
             Site("c2", "C2", 43.4, 76.9, existing=False, capacity=300.0))
    # With k = 1: 300 + 400 = 700 < 1,000.
    with pytest.raises(PlanningError, match=r"total capacity short: 1,000 visits.*300.*400"):
        solve(Problem(demand, sites, 1))
    assert solve(Problem(demand, sites, 2)).opened == ("c1", "c2")


def test_single_assignment_packing_infeasible() -> None:
    # Districts of 40, 40 and 20 visits, two sites of 50: 100 fit when districts may split,
    # but whole districts cannot (whichever site takes the 20 also has a 40: 60 > 50).
    demand = (DemandPoint("a", "A", 43.2, 76.9, {"v": 40.0}),
              DemandPoint("b", "B", 43.3, 76.9, {"v": 40.0}),
              DemandPoint("c", "C", 43.25, 76.9, {"v": 20.0}))
    sites = (Site("e", "E", 43.2, 76.9, existing=True, capacity=50.0),
             Site("n", "N", 43.3, 76.9, existing=False, capacity=50.0))
    split = solve(Problem(demand, sites, 1))
    assert split.load() == {"e": pytest.approx(50.0), "n": pytest.approx(50.0)}
    with pytest.raises(PlanningError, match="no feasible plan"):
        solve(Problem(demand, sites, 1, single_assignment=True))


def test_existing_site_stays_open_even_when_useless() -> None:
    # The existing site is far away and the candidates could hold everything: it stays open
    # (and unused), and exactly k = 1 candidate is opened.
    demand = (DemandPoint("a", "A", 43.2, 76.9, {"v": 50.0}),)
    sites = (Site("far", "Far", 45.0, 80.0, existing=True, capacity=100.0),
             Site("near", "Near", 43.2, 76.91, existing=False, capacity=100.0),
             Site("mid", "Mid", 43.5, 77.2, existing=False, capacity=100.0))
    sol = solve(Problem(demand, sites, 1))
    assert sol.open_sites == ("far", "near")
    assert sol.load() == {"far": 0.0, "near": 50.0}


def test_no_visits_at_all_is_a_plan_not_a_crash() -> None:
    # An all-zero instance (HiGHS refuses a model with no variable): nothing travels, so the
    # cheapest k candidates open when exactly k must, none when at most k may.
    demand = (DemandPoint("a", "A", 43.2, 76.9, {"v": 0.0}),
              DemandPoint("b", "B", 43.3, 77.2, {"v": 0.0}))
    sites = (Site("old", "Old", 43.2, 76.9, existing=True, capacity=10.0),
             Site("dear", "Dear", 43.3, 77.2, False, opening_cost=5.0),
             Site("cheap", "Cheap", 43.5, 77.0, False, opening_cost=1.0),
             Site("free", "Free", 43.1, 76.8, False))
    sol = solve(Problem(demand, sites, 2))
    assert sol.opened == ("cheap", "free") and sol.open_sites == ("old", "cheap", "free")
    assert (sol.flows, sol.travel, sol.objective, sol.status) == ((), 0.0, 1.0, "optimal")
    none = solve(Problem(demand, sites, 2, exactly=False))
    assert none.opened == () and none.open_sites == ("old",) and none.objective == 0.0
    assert solve(Problem(demand, sites, 0)).open_sites == ("old",)


def test_given_distance_matrix_is_used() -> None:
    # Road km say the site that is nearer on the map is further by road.
    demand = (DemandPoint("a", "A", 43.2, 76.9, {"v": 10.0}),)
    sites = (Site("e", "E", 43.2, 76.9, existing=True, capacity=0.0),
             Site("map-near", "N", 43.2, 76.91, existing=False),
             Site("road-near", "R", 43.5, 77.5, existing=False))
    sol = solve(Problem(demand, sites, 1, distances_km=((0.0, 30.0, 5.0),)))
    assert sol.opened == ("road-near",)
    assert sol.travel == pytest.approx(50.0)


def test_rejects_bad_input() -> None:
    d = DemandPoint("a", "A", 43.2, 76.9, {"v": 10.0})
    s = Site("e", "E", 43.2, 76.9, existing=True, capacity=10.0)
    for bad in (lambda: DemandPoint("a", "A", 430.0, 76.9, {"v": 1.0}),
                lambda: DemandPoint("a", "A", 43.0, 76.9, {"v": -1.0}),
                lambda: Site("x", "X", 43.0, 76.9, existing=False, capacity=-5.0),
                lambda: Site("x", "X", 43.0, 76.9, existing=False, windows=0),
                lambda: Problem((d,), (s,), 1),  # k = 1 but no candidates
                lambda: Problem((d, d), (s,), 0),  # duplicate id
                lambda: Problem((d,), (s,), 0, distances_km=((1.0, 2.0),))):
        with pytest.raises(PlanningError):
            bad()
