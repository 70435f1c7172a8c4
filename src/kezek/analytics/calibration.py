"""The figures the generated data must reproduce, and how volume is shared out to hit them.

The targets come from domain.md (the field articles): in half a year 3.5 million services
in Almaty and Astana together; about 1.5 million vehicle services nationally, 24 % of them
in Almaty; about 35 million transactions a year over the whole network. The generator does
not hope to land near them by sampling: it allocates whole numbers of served visits to each
centre and day with largest-remainder rounding, so the totals are met exactly and only the
mix inside a centre's day is random.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

HALF_YEAR_MONTHS = 6

# Weekday weights (Mon..Sun): Mondays are the busiest, Saturday is a short duty day.
WEEKDAY_WEIGHT = np.array([1.15, 1.05, 1.0, 0.97, 0.93, 0.45, 0.0])


@dataclass(frozen=True)
class Targets:
    """Served services over the generated period, scaled from the article's half-year."""

    national: int
    almaty_astana: int
    vehicle: int
    vehicle_almaty: int

    @classmethod
    def for_period(cls, months: float, scale: float = 1.0) -> Targets:
        if months <= 0 or scale <= 0:
            raise ValueError("months and scale must be positive")
        half = months / HALF_YEAR_MONTHS * scale
        vehicle = round(1_500_000 * half)
        return cls(national=round(17_500_000 * half), almaty_astana=round(3_500_000 * half),
                   vehicle=vehicle, vehicle_almaty=round(vehicle * 0.24))


@dataclass(frozen=True)
class CentreFacts:
    """What the allocation needs to know of a centre."""

    city: str
    specialised: bool
    windows: int


def bucket_totals(centres: list[CentreFacts], targets: Targets) -> dict[str, int]:
    """Splits the targets into disjoint buckets of centres, each with an exact total.

    Buckets: vehicle centres in Almaty, in Astana and elsewhere; general centres in Almaty
    and Astana together, and elsewhere. Astana's vehicle share is set by its windows.
    """
    def windows(bucket: str) -> int:
        return sum(c.windows for c in centres if bucket_of(c) == bucket)

    if not windows("vehicle_almaty") or not windows("vehicle_rest"):
        raise ValueError("the network needs vehicle centres in Almaty and elsewhere")
    other_vehicle = targets.vehicle - targets.vehicle_almaty
    astana_w = windows("vehicle_astana")
    astana_vehicle = round(other_vehicle * astana_w / (astana_w + windows("vehicle_rest")))
    big_general = targets.almaty_astana - targets.vehicle_almaty - astana_vehicle
    rest_general = targets.national - targets.almaty_astana - (other_vehicle - astana_vehicle)
    if big_general <= 0 or rest_general <= 0:
        raise ValueError("targets are inconsistent")
    totals = {"vehicle_almaty": targets.vehicle_almaty, "vehicle_astana": astana_vehicle,
              "vehicle_rest": other_vehicle - astana_vehicle, "general_big": big_general,
              "general_rest": rest_general}
    return {k: v for k, v in totals.items() if v or windows(k)}


def bucket_of(c: CentreFacts) -> str:
    if c.specialised:
        return f"vehicle_{c.city}" if c.city in ("almaty", "astana") else "vehicle_rest"
    return "general_big" if c.city in ("almaty", "astana") else "general_rest"


def largest_remainder(total: int, weights: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Whole numbers proportional to the weights that add up to exactly `total`."""
    if total < 0 or weights.size == 0 or (weights < 0).any() or weights.sum() <= 0:
        raise ValueError("need a non-negative total and positive weights")
    exact = weights / weights.sum() * total
    base: npt.NDArray[np.int64] = np.floor(exact).astype(np.int64)
    short = total - int(base.sum())
    if short:
        order = np.argsort(-(exact - base), kind="stable")
        base[order[:short]] += 1
    return base


def allocate(centres: list[CentreFacts], open_days: npt.NDArray[np.bool_],
             weekdays: npt.NDArray[np.int64], targets: Targets) -> npt.NDArray[np.int64]:
    """Served visits per (centre, day): exact bucket totals, shared by windows and weekday.

    `open_days[c, d]` says whether centre c works on day d; `weekdays[d]` is 0 for Monday.
    """
    totals = bucket_totals(centres, targets)
    counts = np.zeros(open_days.shape, dtype=np.int64)
    day_weight = WEEKDAY_WEIGHT[weekdays]
    for bucket, total in totals.items():
        rows = [i for i, c in enumerate(centres) if bucket_of(c) == bucket]
        win = np.array([centres[i].windows for i in rows], dtype=np.float64)
        weights = open_days[rows] * win[:, None] * day_weight[None, :]
        counts[rows] = largest_remainder(total, weights.ravel()).reshape(weights.shape)
    return counts
