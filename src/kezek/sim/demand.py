"""Who comes to a centre on a day: booked appointments, walk-ins, privileged share, patience.

Generation is vectorised: one draw per distribution and service, never a Python loop
per person, so a national day is generated in milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from kezek.sim.distributions import Distribution, Normal, check_distribution
from kezek.sim.model import CenterModel
from kezek.sim.records import Arrivals


def _counts(name: str, values: Sequence[float], *, whole: bool) -> tuple[float, ...]:
    out = tuple(values)
    for v in out:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) \
                or v < 0 or (whole and int(v) != v):
            kind = "whole numbers" if whole else "numbers"
            raise ValueError(f"{name}: expected {kind} >= 0, got {v!r}")
    return out


@dataclass(frozen=True, slots=True)
class BookedDemand:
    """Appointments: per service, how many people booked each slot (slot 0 starts at opening).

    `punctuality` is minutes after the slot start a person arrives (negative: early);
    `no_show` is the probability a booked person never comes.
    """

    per_slot: Mapping[str, tuple[int, ...]]
    slot_minutes: int = 15
    punctuality: Distribution = field(default_factory=lambda: Normal(-5.0, 5.0))
    no_show: float = 0.1

    def __post_init__(self) -> None:
        object.__setattr__(self, "per_slot", {
            code: tuple(int(v) for v in _counts(f"booked {code}", counts, whole=True))
            for code, counts in dict(self.per_slot).items()})
        sm = self.slot_minutes
        if isinstance(sm, bool) or not isinstance(sm, int) or not 1 <= sm <= 240:
            raise ValueError(f"slot_minutes must be a whole number 1..240, got {sm!r}")
        check_distribution("punctuality", self.punctuality, nonnegative=False)
        p = self.no_show
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0 <= p <= 1:
            raise ValueError(f"no_show must be a probability 0..1, got {p!r}")


@dataclass(frozen=True, slots=True)
class WalkInDemand:
    """Walk-ins as a Poisson process: per service, the mean number in each hour from opening."""

    per_hour: Mapping[str, tuple[float, ...]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "per_hour", {
            code: _counts(f"walk-ins {code}", rates, whole=False)
            for code, rates in dict(self.per_hour).items()})


@dataclass(frozen=True, slots=True)
class Demand:
    """A centre's day of demand. At a booking-only centre the walk-ins are turned away."""

    booked: BookedDemand | None = None
    walk_ins: WalkInDemand | None = None
    privileged_share: float = 0.0
    patience: Distribution | None = None  # None: nobody abandons
    # Services that only privileged people come for here (portal services a centre keeps
    # for its privilege windows): everyone demanding them is privileged.
    privileged_only: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "privileged_only", frozenset(self.privileged_only))
        p = self.privileged_share
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0 <= p <= 1:
            raise ValueError(f"privileged_share must be 0..1, got {p!r}")
        if self.patience is not None:
            check_distribution("patience", self.patience, nonnegative=True)


def check_demand(model: CenterModel, demand: Demand) -> None:
    """Refuses demand the centre cannot even receive: unknown services, slots after closing."""
    known = set(model.codes)
    problems: list[str] = []
    unknown_priv = sorted(demand.privileged_only - known)
    if unknown_priv:
        problems.append(f"privileged-only services not at this centre: {unknown_priv}")
    if demand.booked is not None:
        b = demand.booked
        unknown = sorted(set(b.per_slot) - known)
        if unknown:
            problems.append(f"booked services not at this centre: {unknown}")
        slots = max((len(v) for v in b.per_slot.values()), default=0)
        if model.opens + slots * b.slot_minutes > model.closes + 1e-9:
            problems.append(f"{slots} slots of {b.slot_minutes} min run past closing")
    if demand.walk_ins is not None:
        unknown = sorted(set(demand.walk_ins.per_hour) - known)
        if unknown:
            problems.append(f"walk-in services not at this centre: {unknown}")
        hours = max((len(v) for v in demand.walk_ins.per_hour.values()), default=0)
        if hours > math.ceil(model.open_minutes / 60):
            problems.append(f"{hours} hours of walk-ins, the centre is open "
                            f"{model.open_minutes / 60:g} h")
    if problems:
        raise ValueError(f"centre {model.name!r}: demand: " + "; ".join(problems))


def generate(model: CenterModel, demand: Demand, rng: np.random.Generator) -> Arrivals:
    """Draws the day's arrivals. The same generator state gives the same people."""
    check_demand(model, demand)
    parts: list[Arrivals] = []
    if demand.booked is not None:
        parts.append(_booked(model, demand.booked, rng))
    if demand.walk_ins is not None:
        parts.append(_walk_ins(model, demand.walk_ins, rng))
    if not parts:
        return _finish(model, demand, rng, np.empty(0), np.empty(0, np.int32),
                       np.empty(0), np.empty(0, np.bool_))
    time = np.concatenate([p.time for p in parts])
    service = np.concatenate([p.service for p in parts])
    slot = np.concatenate([p.slot for p in parts])
    no_show = np.concatenate([p.no_show for p in parts])
    return _finish(model, demand, rng, time, service, slot, no_show)


def _booked(model: CenterModel, b: BookedDemand, rng: np.random.Generator) -> Arrivals:
    index = {c: i for i, c in enumerate(model.codes)}
    codes = sorted(b.per_slot)
    width = max((len(b.per_slot[c]) for c in codes), default=0)
    counts = np.zeros((len(codes), width), dtype=np.int64)
    for row, code in enumerate(codes):
        counts[row, :len(b.per_slot[code])] = b.per_slot[code]
    flat = counts.ravel()
    service = np.repeat(np.repeat(np.array([index[c] for c in codes], dtype=np.int32), width),
                        flat)
    slot = model.opens + b.slot_minutes * np.repeat(np.tile(np.arange(width), len(codes)), flat)
    n = len(slot)
    time = np.maximum(slot + b.punctuality.sample(rng, n), model.opens)
    no_show = rng.random(n) < b.no_show
    return _columns(time, service, slot.astype(np.float64), no_show)


def _walk_ins(model: CenterModel, w: WalkInDemand, rng: np.random.Generator) -> Arrivals:
    """Poisson counts per service and hour, then uniform times within each hour."""
    index = {c: i for i, c in enumerate(model.codes)}
    codes = sorted(w.per_hour)
    width = max((len(w.per_hour[c]) for c in codes), default=0)
    rates = np.zeros((len(codes), width))
    for row, code in enumerate(codes):
        rates[row, :len(w.per_hour[code])] = w.per_hour[code]
    hour_start = model.opens + 60.0 * np.arange(width)
    hour_len = np.clip(model.closes - hour_start, 0.0, 60.0)
    k = rng.poisson(rates * hour_len / 60.0).ravel()
    starts = np.repeat(np.tile(hour_start, len(codes)), k)
    time = starts + rng.random(len(starts)) * np.repeat(np.tile(hour_len, len(codes)), k)
    service = np.repeat(np.repeat(np.array([index[c] for c in codes], dtype=np.int32), width), k)
    return _columns(time, service, np.full(len(time), np.nan), np.zeros(len(time), np.bool_))


def _columns(time: np.ndarray, service: np.ndarray, slot: np.ndarray,
             no_show: np.ndarray) -> Arrivals:
    n = len(time)
    return Arrivals(time=time, service=service.astype(np.int32), booked=~np.isnan(slot),
                    slot=slot, privileged=np.zeros(n, np.bool_), no_show=no_show,
                    service_time=np.zeros(n), patience=np.full(n, np.inf))


def _finish(model: CenterModel, demand: Demand, rng: np.random.Generator, time: np.ndarray,
            service: np.ndarray, slot: np.ndarray, no_show: np.ndarray) -> Arrivals:
    """Privilege, counter times and patience, drawn per person in one pass per service."""
    n = len(time)
    privileged = rng.random(n) < demand.privileged_share
    if demand.privileged_only:
        index = {c: i for i, c in enumerate(model.codes)}
        only = [index[c] for c in sorted(demand.privileged_only)]
        privileged |= np.isin(service, only)
    service_time = np.zeros(n)
    # One draw per distinct distribution (equal frozen specs compare equal), not per service.
    kinds: dict[Distribution, int] = {}
    kind_of = np.array([kinds.setdefault(spec.service_time, len(kinds))
                        for spec in model.services], dtype=np.int64)[service]
    for dist, k in kinds.items():
        idx = np.flatnonzero(kind_of == k)
        if len(idx):
            service_time[idx] = dist.sample(rng, len(idx))
    patience = (np.full(n, np.inf) if demand.patience is None
                else demand.patience.sample(rng, n))
    order = np.argsort(time, kind="stable")
    return Arrivals(time=time[order], service=service[order].astype(np.int32),
                    booked=~np.isnan(slot[order]), slot=slot[order],
                    privileged=privileged[order], no_show=no_show[order],
                    service_time=service_time[order], patience=patience[order])
