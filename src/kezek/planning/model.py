"""The inputs of a planning problem, validated when built.

Why frozen dataclasses with their own checks: a plan is only as good as its input, and a
negative capacity or a site at latitude 430 (a lost decimal point) would still give an
"optimal" answer. Every figure is checked here once, so the solver can trust it.

Units: demand and capacity in visits per planning period (for example half a year);
distances in km.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from kezek.planning.geo import haversine_km


class PlanningError(ValueError):
    """An input that cannot be planned, or an instance with no feasible plan; one clear line."""


def _finite(name: str, value: float, *, positive: bool = False, nonneg: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PlanningError(f"{name} must be a finite number, got {value!r}")
    if positive and value <= 0:
        raise PlanningError(f"{name} must be positive, got {value:g}")
    if nonneg and value < 0:
        raise PlanningError(f"{name} must not be negative, got {value:g}")


def _coordinates(what: str, lat: float, lon: float) -> None:
    _finite(f"{what}: latitude", lat)
    _finite(f"{what}: longitude", lon)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise PlanningError(f"{what}: coordinates ({lat}, {lon}) are not on the Earth")


@dataclass(frozen=True, slots=True)
class DemandPoint:
    """A district: where people start from, and how many visits per sector they need."""

    id: str
    name: str
    lat: float
    lon: float
    demand: Mapping[str, float]

    def __post_init__(self) -> None:
        if not self.id:
            raise PlanningError("a demand point needs an id")
        _coordinates(f"demand point {self.id}", self.lat, self.lon)
        if not self.demand:
            raise PlanningError(f"demand point {self.id}: no demand given")
        for sector, visits in self.demand.items():
            _finite(f"demand point {self.id}: demand for {sector}", visits, nonneg=True)

    @property
    def total(self) -> float:
        return float(sum(self.demand.values()))


@dataclass(frozen=True, slots=True)
class Site:
    """An existing centre (always open) or a candidate site (opened only if chosen).

    `capacity` caps all visits; `sector_capacity` caps each sector it names, and a site that
    names sectors serves only those. Neither: no limit. `opening_cost` is in the objective's
    unit (visit-km), for comparing a site's cost with the travel it saves. `windows` feeds
    the waiting-time estimate.
    """

    id: str
    name: str
    lat: float
    lon: float
    existing: bool
    capacity: float | None = None
    sector_capacity: Mapping[str, float] = field(default_factory=dict)
    opening_cost: float = 0.0
    windows: int | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise PlanningError("a site needs an id")
        _coordinates(f"site {self.id}", self.lat, self.lon)
        if self.capacity is not None:
            _finite(f"site {self.id}: capacity", self.capacity, nonneg=True)
        for sector, cap in self.sector_capacity.items():
            _finite(f"site {self.id}: capacity for {sector}", cap, nonneg=True)
        _finite(f"site {self.id}: opening cost", self.opening_cost, nonneg=True)
        if self.windows is not None and (isinstance(self.windows, bool)
                                         or not isinstance(self.windows, int)
                                         or self.windows < 1):
            raise PlanningError(f"site {self.id}: windows must be a positive whole number")

    def serves(self, sector: str) -> bool:
        return not self.sector_capacity or self.sector_capacity.get(sector, 0.0) > 0

    def sector_limit(self, sector: str) -> float:
        """Most visits of `sector` this site can take (inf when nothing limits it)."""
        limits = [math.inf if self.capacity is None else self.capacity]
        if self.sector_capacity:
            limits.append(self.sector_capacity.get(sector, 0.0))
        return min(limits)


@dataclass(frozen=True, slots=True)
class Problem:
    """Open `k` candidates (exactly k, or at most k) and assign all demand within capacity.

    `distances_km`, when given, is a road (or any) matrix: one row per demand point, one
    column per site, in input order; otherwise great-circle km. `single_assignment` sends all
    of a point's visits of one sector to one site; otherwise they may split (a transport
    problem). `within_km` sets the "share of visits within X km" figure.
    """

    demand: tuple[DemandPoint, ...]
    sites: tuple[Site, ...]
    k: int
    exactly: bool = True
    single_assignment: bool = False
    distances_km: tuple[tuple[float, ...], ...] | None = None
    within_km: float = 20.0

    def __post_init__(self) -> None:
        if not self.demand:
            raise PlanningError("no demand points")
        if not self.sites:
            raise PlanningError("no sites")
        for kind, ids in (("demand point", [d.id for d in self.demand]),
                          ("site", [s.id for s in self.sites])):
            if len(set(ids)) != len(ids):
                dup = next(i for i in ids if ids.count(i) > 1)
                raise PlanningError(f"{kind} id {dup!r} appears twice")
        if isinstance(self.k, bool) or not isinstance(self.k, int) or self.k < 0:
            raise PlanningError(f"k must be a whole number >= 0, got {self.k!r}")
        if self.exactly and self.k > len(self.candidates):
            raise PlanningError(f"k = {self.k} but only {len(self.candidates)} candidate sites")
        _finite("within_km", self.within_km, nonneg=True)
        if self.distances_km is not None:
            m = self.distances_km
            if len(m) != len(self.demand) or any(len(r) != len(self.sites) for r in m):
                raise PlanningError(f"the distance matrix must be {len(self.demand)} x "
                                    f"{len(self.sites)} (demand points x sites)")
            for row in m:
                for v in row:
                    if not (isinstance(v, int | float) and (v >= 0)):
                        raise PlanningError(f"distances must be >= 0 km, got {v!r}")

    @property
    def candidates(self) -> tuple[Site, ...]:
        return tuple(s for s in self.sites if not s.existing)

    @property
    def existing(self) -> tuple[Site, ...]:
        return tuple(s for s in self.sites if s.existing)

    @property
    def sectors(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for d in self.demand:
            for s in d.demand:
                seen.setdefault(s, None)
        return tuple(seen)

    def distance_matrix(self) -> NDArray[np.float64]:
        """km, demand points x sites (inf marks a pair that cannot be travelled)."""
        if self.distances_km is not None:
            return np.asarray(self.distances_km, dtype=np.float64)
        return haversine_km(np.array([d.lat for d in self.demand]),
                            np.array([d.lon for d in self.demand]),
                            np.array([s.lat for s in self.sites]),
                            np.array([s.lon for s in self.sites]))


def with_sites(problem: Problem, sites: Sequence[Site], k: int) -> Problem:
    """The same demand with another site list (for the existing-only "before" picture)."""
    index = {s.id: j for j, s in enumerate(problem.sites)}
    matrix = None
    if problem.distances_km is not None:
        cols = [index[s.id] for s in sites]
        matrix = tuple(tuple(row[c] for c in cols) for row in problem.distances_km)
    return Problem(problem.demand, tuple(sites), k, problem.exactly, problem.single_assignment,
                   matrix, problem.within_km)
