"""Baseline and variants on the same seeds: KPIs with confidence intervals and differences.

Every centre draws from its own stream, keyed by seed, day and the centre's name
(whatif_day.centre_key), so a variant and the baseline see the same people wherever the
change leaves a centre's demand alone (common random numbers), and a centre the change
does not touch gives exactly the baseline's numbers: it is not simulated twice.

An estimate is the mean over seeds of a KPI (each seed a run of `days` working days) with
a 95 % normal interval, mean +- 1.96 sd / sqrt(n). A difference is taken seed by seed
(variant minus baseline on the same seed) and summarised the same way: with common random
numbers its interval is much narrower than the two intervals side by side.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kezek.planning.whatif_day import Tally, run_days
from kezek.planning.whatif_model import Network, WhatIfError

METRICS = ("mean_wait", "p90_wait", "within_standard", "utilisation", "peak_occupancy",
           "served", "turned_away", "pushed", "no_show", "backlog")


@dataclass(frozen=True, slots=True)
class Estimate:
    """Mean over seeds and the half-width of its 95 % interval (NaN with one seed)."""

    mean: float
    half_width: float
    n: int

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width

    def excludes_zero(self) -> bool:
        return math.isfinite(self.half_width) and (self.low > 0 or self.high < 0)

    @classmethod
    def of(cls, values: Sequence[float]) -> Estimate:
        x = np.array([v for v in values if math.isfinite(v)], dtype=np.float64)
        if len(x) == 0:
            return cls(math.nan, math.nan, 0)
        half = 1.96 * float(x.std(ddof=1)) / math.sqrt(len(x)) if len(x) > 1 else math.nan
        return cls(float(x.mean()), half, len(x))


Kpis = dict[str, float]


def tally_kpis(t: Tally) -> Kpis:
    has = len(t.waits) > 0
    return {
        "mean_wait": float(t.waits.mean()) if has else math.nan,
        "p90_wait": float(np.percentile(t.waits, 90)) if has else math.nan,
        "within_standard": float(t.within.mean()) if has else math.nan,
        "utilisation": t.utilisation, "peak_occupancy": t.peak, "served": t.served,
        "turned_away": t.turned_away, "pushed": t.pushed, "no_show": t.no_show,
        "backlog": float(t.backlog),
    }


def network_kpis(tallies: Sequence[Tally]) -> Kpis:
    """Pooled over centres: waits over everyone served, utilisation over all windows, the
    counts summed; the peak is the highest centre's (people are inside one centre)."""
    w = np.concatenate([t.waits for t in tallies]) if tallies else np.empty(0)
    within = np.concatenate([t.within for t in tallies]) if tallies else np.empty(0, np.bool_)
    windows = sum(t.windows for t in tallies)
    has = len(w) > 0
    return {
        "mean_wait": float(w.mean()) if has else math.nan,
        "p90_wait": float(np.percentile(w, 90)) if has else math.nan,
        "within_standard": float(within.mean()) if has else math.nan,
        "utilisation": sum(t.utilisation * t.windows for t in tallies) / windows
        if windows else math.nan,
        "peak_occupancy": max((t.peak for t in tallies), default=math.nan),
        "served": sum(t.served for t in tallies),
        "turned_away": sum(t.turned_away for t in tallies),
        "pushed": sum(t.pushed for t in tallies),
        "no_show": sum(t.no_show for t in tallies),
        "backlog": float(sum(t.backlog for t in tallies)),
    }


@dataclass(frozen=True, slots=True)
class Result:
    """One scenario (the baseline or a variant) over all seeds."""

    name: str
    title: str
    affected: tuple[str, ...]  # centres changed against the baseline (opened, closed too)
    network: dict[str, Estimate]
    centres: dict[str, dict[str, Estimate]]
    per_seed: tuple[Kpis, ...]  # network KPIs seed by seed, for checks and exports
    diff_network: dict[str, Estimate]  # variant minus baseline, paired by seed
    diff_centres: dict[str, dict[str, Estimate]]  # centres present in both


@dataclass(frozen=True, slots=True)
class Comparison:
    baseline: Result
    variants: tuple[Result, ...]
    days: int
    seeds: tuple[int, ...]


def _summary(rows: Sequence[Kpis]) -> dict[str, Estimate]:
    return {m: Estimate.of([r[m] for r in rows]) for m in METRICS}


def _diff(a: Sequence[Kpis], b: Sequence[Kpis]) -> dict[str, Estimate]:
    return {m: Estimate.of([x[m] - y[m] for x, y in zip(a, b, strict=True)]) for m in METRICS}


def _run(network: Network, days: int, seeds: Sequence[int],
         reuse: Mapping[str, list[Tally]]) -> dict[str, list[Tally]]:
    """Tallies per centre and seed; `reuse` holds the centres known to be unchanged."""
    out: dict[str, list[Tally]] = {}
    for place in network.places:
        if place.slug in reuse:
            out[place.slug] = reuse[place.slug]
            continue
        try:
            model = network.model(place.slug)
        except ValueError as exc:
            raise WhatIfError(str(exc)) from None
        visits = network.visits(place.slug)
        out[place.slug] = [run_days(place, model, visits, network.shape, network.services,
                                    days, seed) for seed in seeds]
    return out


def compare_networks(baseline: Network, variants: Sequence[tuple[str, str, Network]],
                     days: int, seeds: Sequence[int]) -> Comparison:
    """The baseline and each (name, title, network) variant, on the same seeds."""
    if days < 1:
        raise WhatIfError(f"days must be at least 1, got {days}")
    seeds = tuple(seeds)
    if not seeds or len(set(seeds)) != len(seeds):
        raise WhatIfError("give at least one seed, each once")
    base = _run(baseline, days, seeds, {})
    base_rows = [network_kpis([base[s][i] for s in base]) for i in range(len(seeds))]
    base_centres = {s: [tally_kpis(t) for t in ts] for s, ts in base.items()}
    results = [Result("baseline", "", (), _summary(base_rows),
                      {s: _summary(r) for s, r in base_centres.items()}, tuple(base_rows),
                      {}, {})]
    before = {p.slug: p for p in baseline.places}
    for name, title, net in variants:
        if net.shape != baseline.shape or net.services != baseline.services:
            raise WhatIfError(f"{name}: a variant may change centres and visits only")
        same = {p.slug: base[p.slug] for p in net.places
                if before.get(p.slug) == p
                and dict(baseline.visits(p.slug)) == dict(net.visits(p.slug))}
        tallies = _run(net, days, seeds, same)
        rows = [network_kpis([tallies[s][i] for s in tallies]) for i in range(len(seeds))]
        centres = {s: [tally_kpis(t) for t in ts] for s, ts in tallies.items()}
        changed = tuple(s for s in tallies if s not in same) + tuple(
            s for s in before if s not in tallies)
        results.append(Result(
            name, title, changed, _summary(rows), {s: _summary(r) for s, r in centres.items()},
            tuple(rows), _diff(rows, base_rows),
            {s: _diff(r, base_centres[s]) for s, r in centres.items() if s in base_centres}))
    return Comparison(results[0], tuple(results[1:]), days, seeds)
