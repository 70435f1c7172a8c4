"""Planning benchmark: the exact capacitated p-median, 200 districts x 50 candidate sites, k = 5.

    .venv/bin/python -m bench.planning [--quick] [--seed N]

A seeded random instance on Almaty's scale (points within about 60 x 70 km): 200 demand
points, 5 existing centres holding half the demand, 50 candidate sites with capacities of
8-20 % of it; open exactly 5. The exact solve (bounds, then transport LPs or HiGHS; proven
optimal) is timed best of 3 on seed 5; target under 1 s. Then the spread over seeds 1-10
(one run each, with the heuristic timed on the same seeds), and the plain MILP handed whole
to HiGHS once on seed 5, to show what the reductions save and that the optimum agrees.

Reference in the same run: the classic heuristic a planner would otherwise use, greedy
add then Teitz-Bart interchange on the uncapacitated p-median in numpy, followed by the
capacitated assignment for the sites it chose (one LP). Reported: both times and the
objective gap the heuristic leaves against the proven optimum.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from bench.results import write_section
from kezek.planning.model import DemandPoint, PlanningError, Problem, Site, with_sites
from kezek.planning.solve import Solution, solve

TARGET_SECONDS = 1.0
T = TypeVar("T")


def instance(seed: int, points: int = 200, candidates: int = 50, existing: int = 5,
             k: int = 5) -> Problem:
    rng = np.random.default_rng(seed)
    lat = 43.0 + rng.random(points) * 0.55
    lon = 76.5 + rng.random(points) * 0.85
    visits = rng.lognormal(7.0, 0.6, points).round()
    demand = tuple(DemandPoint(f"d{i}", f"district {i}", float(lat[i]), float(lon[i]),
                               {"vehicle": float(visits[i])}) for i in range(points))
    total = float(visits.sum())
    sites = []
    for j in range(existing + candidates):
        is_old = j < existing
        cap = 0.5 * total / existing if is_old else float(rng.uniform(0.08, 0.20) * total)
        sites.append(Site(f"s{j}", f"site {j}", float(43.0 + rng.random() * 0.55),
                          float(76.5 + rng.random() * 0.85), existing=is_old, capacity=cap))
    return Problem(demand, tuple(sites), k)


def heuristic(problem: Problem) -> tuple[tuple[str, ...], float]:
    """Greedy add + interchange on the uncapacitated objective; then the capacitated LP."""
    dist = problem.distance_matrix()
    w = np.array([d.total for d in problem.demand])
    old = [j for j, s in enumerate(problem.sites) if s.existing]
    cand = [j for j, s in enumerate(problem.sites) if not s.existing]
    best_old = dist[:, old].min(axis=1) if old else np.full(len(w), np.inf)

    def cost(chosen: list[int]) -> float:
        near = np.minimum(best_old, dist[:, chosen].min(axis=1)) if chosen else best_old
        return float(w @ near)

    chosen: list[int] = []
    for _ in range(problem.k):  # greedy add, vectorised over all candidates at once
        current = (np.minimum(best_old, dist[:, chosen].min(axis=1)) if chosen else best_old)
        rest = [j for j in cand if j not in chosen]
        gains = w @ np.minimum(current[:, None], dist[:, rest])
        chosen.append(rest[int(np.argmin(gains))])
    value, improved = cost(chosen), True
    while improved:  # Teitz-Bart interchange: first improving swap, until none
        improved = False
        for pos in range(len(chosen)):
            for j in cand:
                if j in chosen:
                    continue
                trial = [*chosen[:pos], j, *chosen[pos + 1:]]
                v = cost(trial)
                if v < value - 1e-9:
                    chosen, value, improved = trial, v, True
    sites = [s if s.existing else Site(s.id, s.name, s.lat, s.lon, True, s.capacity,
                                       s.sector_capacity, s.opening_cost, s.windows)
             for j, s in enumerate(problem.sites) if problem.sites[j].existing or j in chosen]
    ids = tuple(sorted(problem.sites[j].id for j in chosen))
    try:
        return ids, solve(with_sites(problem, sites, 0)).objective
    except PlanningError:
        return ids, float("inf")  # the uncapacitated choice cannot hold the demand


def best_of(n: int, fn: Callable[[], T]) -> tuple[float, T]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def spread(seeds: range) -> list[tuple[int, float, float, Solution]]:
    """(seed, exact s, heuristic s, solution) for each seed, one run each."""
    rows = []
    for seed in seeds:
        problem = instance(seed)
        exact_s, sol = best_of(1, lambda p=problem: solve(p))  # type: ignore[misc]
        heur_s, _ = best_of(1, lambda p=problem: heuristic(p))  # type: ignore[misc]
        rows.append((seed, exact_s, heur_s, sol))
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.planning", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="one repetition, no spread over seeds; RESULTS.md untouched")
    p.add_argument("--seed", type=int, default=5)
    args = p.parse_args(argv)
    reps = 1 if args.quick else 3
    problem = instance(args.seed)
    exact_s, sol = best_of(reps, lambda: solve(problem))
    heur_s, (heur_ids, heur_obj) = best_of(reps, lambda: heuristic(problem))
    plain_s, plain = best_of(1, lambda: solve(problem, reduce=False))
    if abs(plain.objective - sol.objective) > 1e-7 * abs(plain.objective):
        raise SystemExit(f"objectives differ: {sol.objective} vs plain MILP {plain.objective}")
    gap = (heur_obj - sol.objective) / sol.objective
    rows = [] if args.quick else spread(range(1, 11))
    report = render(args.seed, problem, sol, exact_s, heur_s, heur_ids, heur_obj, gap,
                    plain_s, rows)
    print(report)
    if not args.quick:
        write_section("planning", report)
    return 0 if exact_s < TARGET_SECONDS else 1


def render(seed: int, problem: Problem, sol: Solution, exact_s: float, heur_s: float,
           heur_ids: tuple[str, ...], heur_obj: float, gap: float, plain_s: float,
           rows: list[tuple[int, float, float, Solution]]) -> str:
    n_c = len(problem.candidates)
    met = "met" if exact_s < TARGET_SECONDS else "NOT met"
    how = (f"{sol.method}: {sol.pairs_dropped:,} of {len(problem.demand) * len(problem.sites):,}"
           f" pairs dropped, {sol.ruled_out} of {n_c} candidates ruled out, {sol.nodes} "
           "transport LPs" if sol.method == "search" else f"{sol.method}, {sol.nodes} nodes")
    lines = [
        "## Planning: exact capacitated p-median", "",
        f"Date: {time.strftime('%Y-%m-%d')}. Machine: {os.cpu_count()} cores, shared. "
        f"Instance: {len(problem.demand)} demand points, {len(problem.existing)} existing + "
        f"{n_c} candidate sites with capacities, k = {problem.k} (seed {seed}).", "",
        f"Rerun: `.venv/bin/python -m bench.planning --seed {seed}` (from the repository root).",
        "",
        "| method | time | objective, visit-km | proven optimal | sites |",
        "|---|---|---|---|---|",
        f"| Kezek: bounds + exact search (best of 3) | {exact_s * 1000:.0f} ms | "
        f"{sol.objective:,.0f} | yes (gap {sol.mip_gap:.1g}; {how}) | "
        f"{', '.join(sol.opened)} |",
        f"| the whole MILP on HiGHS, no reductions (1 run) | {plain_s * 1000:.0f} ms | "
        f"same | yes | same |",
        f"| reference: greedy add + interchange (numpy), then capacitated LP (best of 3) | "
        f"{heur_s * 1000:.0f} ms | {heur_obj:,.0f} | no | {', '.join(heur_ids)} |",
        "",
        f"- Target: exact solve under {TARGET_SECONDS:g} s: {met} ({exact_s:.3f} s; "
        f"{exact_s / heur_s:.1f}x the heuristic's time; the plain MILP took "
        f"{plain_s / exact_s:.1f}x as long).",
        f"- The heuristic's plan costs {100 * gap:.2f} % more travel than the proven optimum "
        "(it chooses sites ignoring capacity, then has to send the overflow further).",
    ]
    if rows:
        times = np.array([r[1] for r in rows])
        heur = np.array([r[2] for r in rows])
        slow = [f"seed {r[0]} ({r[1]:.2f} s)" for r in rows if r[1] >= TARGET_SECONDS]
        lines += [
            f"- Seeds {rows[0][0]}-{rows[-1][0]}, one run each: exact median "
            f"{np.median(times):.2f} s, max {times.max():.2f} s (seed "
            f"{rows[int(times.argmax())][0]}); heuristic median {np.median(heur) * 1000:.0f} "
            f"ms; exact/heuristic median ratio {np.median(times / heur):.0f}x. "
            + ("Every seed under the target." if not slow
               else "Above the target: " + ", ".join(slow) + "."),
            "- Per seed (s): " + ", ".join(f"{r[0]}: {r[1]:.2f} ({r[3].method})"
                                            for r in rows) + ".",
        ]
    lines.append(
        "- How: pairs no optimal plan uses are dropped (exchange argument), the LP "
        "relaxation's prices rule out candidates against the best plan among the sites the LP "
        "uses, and the few thousand remaining 5-sets are searched cheapest bound first, each "
        "transport LP solved also bounding all the others; proofs in "
        "src/kezek/planning/bounds.py.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
