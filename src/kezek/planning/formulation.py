"""The planning problem as arrays, and the linear models built from them.

Why one builder for every model the solver needs: the full MILP, its LP relaxation, the
reduced MILP after the bounds have ruled out sites and pairs, and the transport LP of one
fixed set of open sites are the same rows over different columns. Building them in one place
means a reduction is a smaller `allowed` mask or a shorter candidate list, never a second
formulation that could drift from the first.

Variables: y_j in {0, 1} for each candidate that is still a choice (open sites have none);
x_cj in [0, 1], the share of commodity c (one demand point's visits of one sector) served at
site j, only for allowed pairs. Rows:

    sum_j x_cj = 1                                   every visit is served
    sum_c (d_c / cap_j) x_cj <= y_j                  total capacity (1 for open sites)
    sum_{c in s} (d_c / cap_js) x_cj <= y_j          per-sector capacity
    x_cj <= y_j                                      nobody is sent to a closed site
    sum_j y_j = k  (or <= k)

The x <= y rows are implied by the capacity rows for an integer y, but they make the linear
relaxation much tighter (the "strong" formulation). Capacity rows are divided by the
capacity so that every coefficient is of order one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_array, csr_array

from kezek.planning.model import PlanningError, Problem

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Network:
    """Commodities, sites and the pairs that may carry visits, as arrays."""

    problem: Problem
    point: Ints  # per commodity: its demand point
    sector: tuple[str, ...]  # per commodity
    demand: Floats  # per commodity, visits (> 0)
    km: Floats  # commodities x sites (inf where the pair is not allowed)
    allowed: Bools  # commodities x sites: the site serves the sector and can be reached
    cap: Floats  # per site: total visits it can take (inf when unlimited)
    existing: Bools  # per site
    opening: Floats  # per site: opening cost (0 for existing sites)

    @property
    def cost(self) -> Floats:
        """Visit-km of sending all of commodity c to site j (inf where not allowed)."""
        return np.where(self.allowed, self.demand[:, None] * self.km, np.inf)

    @property
    def candidates(self) -> Ints:
        return np.flatnonzero(~self.existing).astype(np.int64)

    @property
    def has_sector_caps(self) -> bool:
        return any(s.sector_capacity for s in self.problem.sites)


def network(problem: Problem) -> Network:
    """The arrays of `problem`; PlanningError when some visits have nowhere to go."""
    dist = problem.distance_matrix()
    comm = [(i, sector, float(v)) for i, d in enumerate(problem.demand)
            for sector, v in d.demand.items() if v > 0]
    point = np.array([i for i, _, _ in comm], dtype=np.int64)
    sectors = tuple(s for _, s, _ in comm)
    sites = problem.sites
    allowed = np.zeros((len(comm), len(sites)), dtype=bool)
    for j, site in enumerate(sites):
        can = np.array([site.sector_limit(s) > 0 and site.serves(s) for s in sectors], bool)
        allowed[:, j] = can & np.isfinite(dist[point, j]) if comm else can
    for c in np.flatnonzero(~allowed.any(axis=1)):
        d = problem.demand[point[c]]
        raise PlanningError(f"no site can serve {sectors[c]} visits from {d.name or d.id}")
    return Network(
        problem=problem, point=point, sector=sectors,
        demand=np.array([v for _, _, v in comm], dtype=np.float64),
        km=np.where(allowed, dist[point], np.inf),
        allowed=allowed,
        cap=np.array([math.inf if s.capacity is None else s.capacity for s in sites]),
        existing=np.array([s.existing for s in sites], dtype=bool),
        opening=np.array([0.0 if s.existing else s.opening_cost for s in sites]))


@dataclass(frozen=True, slots=True)
class Model:
    """One linear model over x (allowed pairs) and y (candidates still to choose)."""

    c: Floats
    a_eq: csr_array
    b_eq: Floats
    a_ub: csr_array
    b_ub: Floats
    pair_c: Ints  # x column -> commodity
    pair_j: Ints  # x column -> site
    y_sites: Ints  # y column (after the x columns) -> site
    cap_row: Ints  # per site: its total-capacity row in a_ub, -1 if none
    fixed_cost: float  # opening costs of candidates forced open

    @property
    def n_x(self) -> int:
        return int(self.pair_c.size)

    @property
    def integrality(self) -> Floats:
        return np.concatenate([np.zeros(self.n_x), np.ones(self.y_sites.size)])


class _Rows:
    """Sparse rows collected as blocks of (local row, column, value) triples."""

    def __init__(self) -> None:
        self.r: list[Ints] = []
        self.c: list[Ints] = []
        self.v: list[Floats] = []
        self.rhs: list[Floats] = []
        self.n = 0

    def block(self, rows: Ints, cols: Ints, vals: Floats, rhs: Floats) -> int:
        """Add rhs.size rows; `rows` numbers them from 0. Returns the first row's index."""
        first = self.n
        self.r.append(first + rows.astype(np.int64))
        self.c.append(cols.astype(np.int64))
        self.v.append(vals.astype(np.float64))
        self.rhs.append(rhs.astype(np.float64))
        self.n += rhs.size
        return first

    def row(self, cols: Ints, vals: Floats, rhs: float, extra: tuple[int, float] | None = None
            ) -> int:
        if extra is not None:
            cols = np.append(cols, extra[0])
            vals = np.append(vals, extra[1])
        return self.block(np.zeros(cols.size, np.int64), cols, vals, np.array([rhs]))

    def matrix(self, n_cols: int) -> tuple[csr_array, Floats]:
        if not self.r:
            return csr_array((0, n_cols)), np.zeros(0)
        data = (np.concatenate(self.v), (np.concatenate(self.r), np.concatenate(self.c)))
        return csr_array(coo_array(data, shape=(self.n, n_cols))), np.concatenate(self.rhs)


def build(net: Network, allowed: Bools, choose: Sequence[int], open_sites: Sequence[int],
          ) -> Model:
    """The model where `open_sites` are open, `choose` are y variables, all others closed.

    The cardinality row counts only the y variables: k minus the candidates already in
    `open_sites` (the transport LP of a chosen set has no y at all and no such row).
    """
    problem = net.problem
    live = np.zeros(len(problem.sites), dtype=bool)
    live[list(open_sites)] = True
    live[list(choose)] = True
    pair_c, pair_j = (a.astype(np.int64) for a in np.nonzero(allowed & live[None, :]))
    n_x = pair_c.size
    y_col = {j: n_x + t for t, j in enumerate(choose)}
    eq, ub = _Rows(), _Rows()
    for_comm = np.bincount(pair_c, minlength=net.demand.size)
    if (for_comm == 0).any():
        raise PlanningError("no feasible plan: some visits have no open site that can serve them")
    eq.block(pair_c, np.arange(n_x), np.ones(n_x), np.ones(net.demand.size))
    cap_row = np.full(len(problem.sites), -1, dtype=np.int64)
    by_site = {j: np.flatnonzero(pair_j == j) for j in np.flatnonzero(live)}
    for j, idx in by_site.items():
        site = problem.sites[j]
        link = (y_col[int(j)], -1.0) if int(j) in y_col else None
        rhs = 0.0 if link else 1.0
        if math.isfinite(net.cap[j]) and idx.size:
            cap_row[j] = ub.row(idx, net.demand[pair_c[idx]] / net.cap[j], rhs, link)
        for only, cap in site.sector_capacity.items():
            sub = idx[np.array([net.sector[c] == only for c in pair_c[idx]], dtype=bool)]
            if sub.size and cap > 0:
                ub.row(sub, net.demand[pair_c[sub]] / cap, rhs, link)
    linked = np.flatnonzero(np.isin(pair_j, np.asarray(choose, dtype=np.int64)))
    if linked.size:  # x_cj - y_j <= 0, two entries per row
        local = np.arange(linked.size)
        y_of = np.array([y_col[int(j)] for j in pair_j[linked]], dtype=np.int64)
        ub.block(np.concatenate([local, local]), np.concatenate([linked, y_of]),
                 np.concatenate([np.ones(linked.size), -np.ones(linked.size)]),
                 np.zeros(linked.size))
    n_cols = n_x + len(choose)
    if choose:
        k_left = float(problem.k - sum(1 for j in open_sites if not net.existing[j]))
        ys = n_x + np.arange(len(choose))
        (eq if problem.exactly else ub).row(ys, np.ones(len(choose)), k_left)
    a_eq, b_eq = eq.matrix(n_cols)
    a_ub, b_ub = ub.matrix(n_cols)
    cost = np.concatenate([net.demand[pair_c] * net.km[pair_c, pair_j],
                           net.opening[np.asarray(choose, dtype=np.int64)]])
    fixed = float(sum(net.opening[j] for j in open_sites))
    return Model(cost, a_eq, b_eq, a_ub, b_ub, pair_c, pair_j,
                 np.asarray(choose, dtype=np.int64), cap_row, fixed)
