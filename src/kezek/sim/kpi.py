"""Measures of a simulated day, computed from the flat visit records alone.

Kept apart from the engine so that the same numbers can be taken from any records of
the same shape (a real day's floor events, converted, can be measured the same way).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kezek.sim.model import CenterModel
from kezek.sim.records import Outcome, Visits, waits


@dataclass(frozen=True, slots=True)
class ServiceKpi:
    code: str
    served: int
    mean_wait: float  # minutes; NaN when nobody was served
    p90_wait: float
    within_standard: float  # share of the served who waited no longer than the standard
    standard_minutes: float


@dataclass(frozen=True, slots=True)
class CenterKpi:
    name: str
    visits: int
    outcomes: dict[str, int]  # served, no_show, abandoned, turned_away
    mean_wait: float
    p90_wait: float
    within_standard: float
    services: tuple[ServiceKpi, ...]
    utilisation: tuple[float, ...]  # per window: busy minutes within opening / open minutes
    peak_occupancy: int
    last_end: float  # when the last person left the window (overtime shows here)


def outcome_counts(visits: Visits) -> dict[str, int]:
    counts = np.bincount(visits["outcome"].astype(np.int64), minlength=len(Outcome))
    return {o.name.lower(): int(counts[o]) for o in Outcome}


def peak_occupancy(visits: Visits) -> int:
    """Most people inside at once: each is inside from admission to leaving (or abandoning).

    At equal times a departure is counted before an admission, as the door lets a person
    in only once someone has left.
    """
    inside = ~np.isnan(visits["admitted"])
    if not inside.any():
        return 0
    t_in = visits["admitted"][inside]
    t_out = visits["end"][inside]
    times = np.concatenate([t_out, t_in])
    steps = np.concatenate([-np.ones(len(t_out)), np.ones(len(t_in))])
    order = np.lexsort((steps, times))
    return int(np.cumsum(steps[order]).max())


def utilisation(visits: Visits, windows: int, opens: float, closes: float
                ) -> NDArray[np.float64]:
    served = visits[visits["outcome"] == Outcome.SERVED]
    busy = np.clip(np.minimum(served["end"], closes) - np.maximum(served["start"], opens), 0, None)
    per_window = np.bincount(served["window"].astype(np.int64), weights=busy, minlength=windows)
    out: NDArray[np.float64] = per_window[:windows] / (closes - opens)
    return out


def _stats(w: NDArray[np.float64], standard: NDArray[np.float64] | float
           ) -> tuple[float, float, float]:
    if len(w) == 0:
        return (float("nan"), float("nan"), float("nan"))
    return (float(w.mean()), float(np.percentile(w, 90)), float(np.mean(w <= standard)))


def grouped_stats(group: NDArray[np.int64], w: NDArray[np.float64], within: NDArray[np.bool_],
                  groups: int) -> tuple[NDArray[np.int64], NDArray[np.float64],
                                        NDArray[np.float64], NDArray[np.float64]]:
    """Count, mean, P90 (numpy's linear rule) and share within standard for every group
    at once: one sort instead of a percentile call per service or centre."""
    count = np.bincount(group, minlength=groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(group, weights=w, minlength=groups) / count
        share = np.bincount(group, weights=within.astype(np.float64), minlength=groups) / count
    order = np.lexsort((w, group))
    ordered = w[order]
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    p90 = np.full(groups, np.nan)
    has = count > 0
    pos = first[has] + 0.9 * (count[has] - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, first[has] + count[has] - 1)
    frac = pos - lo
    p90[has] = ordered[lo] + (ordered[hi] - ordered[lo]) * frac
    return count, mean, p90, share


def center_kpi(model: CenterModel, visits: Visits) -> CenterKpi:
    """Mean and P90 wait per service and overall, share within standard, windows, peak."""
    served = visits["outcome"] == Outcome.SERVED
    w = waits(visits)[served]
    svc = visits["service"][served].astype(np.int64)
    standards = np.array([s.max_wait_minutes for s in model.services], dtype=np.float64)
    within = w <= standards[svc]
    count, mean_s, p90_s, share_s = grouped_stats(svc, w, within, len(model.services))
    per_service = tuple(
        ServiceKpi(spec.code, int(count[i]), float(mean_s[i]), float(p90_s[i]),
                   float(share_s[i]), spec.max_wait_minutes)
        for i, spec in enumerate(model.services))
    mean, p90, share = _stats(w, standards[svc])
    return CenterKpi(
        name=model.name, visits=len(visits), outcomes=outcome_counts(visits),
        mean_wait=mean, p90_wait=p90, within_standard=share, services=per_service,
        utilisation=tuple(utilisation(visits, len(model.windows), model.opens,
                                      model.closes).tolist()),
        peak_occupancy=peak_occupancy(visits),
        last_end=float(np.nanmax(visits["end"])) if served.any() else float("nan"),
    )


@dataclass(frozen=True, slots=True)
class NetworkKpi:
    centres: int
    visits: int
    outcomes: dict[str, int]
    mean_wait: float
    p90_wait: float
    within_standard: float
    mean_utilisation: float  # over all windows of the network
    worst_centres: tuple[tuple[str, float], ...]  # (name, P90 wait), longest first


def network_kpi(models: Sequence[CenterModel], visits: Visits, worst: int = 10) -> NetworkKpi:
    """Aggregates over centres from one concatenated record array (its `centre` column)."""
    served = visits["outcome"] == Outcome.SERVED
    w = waits(visits)
    standard = np.concatenate([[s.max_wait_minutes for s in m.services] for m in models]) \
        if models else np.empty(0)
    offsets = np.cumsum([0] + [len(m.services) for m in models])[:-1]
    flat_service = offsets[visits["centre"]] + visits["service"] if len(visits) else \
        np.empty(0, np.int64)
    mean, p90, share = _stats(w[served], standard[flat_service[served]])
    starts = np.searchsorted(visits["centre"], np.arange(len(models) + 1))
    util: list[float] = []
    for c, m in enumerate(models):
        part = visits[starts[c]:starts[c + 1]]
        util.extend(utilisation(part, len(m.windows), m.opens, m.closes).tolist())
    centre = visits["centre"][served].astype(np.int64)
    _, _, p90_c, _ = grouped_stats(centre, w[served], np.zeros(len(centre), np.bool_),
                                   len(models))
    p90s = [(m.name, float(np.nan_to_num(p90_c[c]))) for c, m in enumerate(models)]
    p90s.sort(key=lambda x: -x[1])
    return NetworkKpi(
        centres=len(models), visits=len(visits), outcomes=outcome_counts(visits),
        mean_wait=mean, p90_wait=p90, within_standard=share,
        mean_utilisation=float(np.mean(util)) if util else float("nan"),
        worst_centres=tuple(p90s[:worst]),
    )
