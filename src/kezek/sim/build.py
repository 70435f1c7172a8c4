"""From Kezek's own network objects (centre, windows, registry) to a simulation model.

So that analytics, planning and what-if runs simulate a real centre with the same
window scopes and the same privilege rules the booking policy applies, instead of
hand-written models that drift from the data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from kezek.core.floor import FloorRules
from kezek.core.network import Center, CenterFormat, Window, center_offers_kind, window_serves
from kezek.core.registry import Delivery, Service
from kezek.core.schedule import Hours
from kezek.sim.demand import BookedDemand, Demand, WalkInDemand
from kezek.sim.distributions import Distribution, LogNormal, Normal
from kezek.sim.model import CenterModel, ServiceSpec, WindowSpec

# A centre's day as reported loads look: a morning peak, a lunch dip, a smaller
# afternoon peak (weights per opening hour, 9:00 first). An assumption until the floor's
# own event record gives measured profiles.
TYPICAL_PROFILE = (0.10, 0.14, 0.14, 0.12, 0.08, 0.11, 0.12, 0.10, 0.09)


def standard_service_time(service: Service) -> Distribution:
    """Counter time when nothing is measured: half the standard's maximum on average, skewed.

    The standard caps service time (20 or 30 minutes); most visits are well under it.
    """
    mean = service.standard.max_service_minutes / 2
    return LogNormal(mean, 0.6 * mean)


def privileged_only_here(center: Center, service: Service) -> bool:
    """Portal services a centre keeps for privileged people only (mirrors eligible_windows)."""
    return service.delivery is Delivery.ONLINE or (
        center.format is CenterFormat.BOOKING_ONLY and service.online)


def center_model(
    center: Center, windows: Sequence[Window], services: Sequence[Service],
    hours: Hours | None = None, *, rules: FloorRules | None = None,
    service_time: Callable[[Service], Distribution] = standard_service_time,
) -> CenterModel:
    """The centre's model for a day with these hours (default: its Monday hours).

    Only services some active window of the centre can serve are kept. A service kept
    for privileged people only is served only at privilege windows, as booking does.
    """
    if hours is None:
        hours = next((h for h in center.schedule.days if h is not None), None)
        if hours is None:
            raise ValueError(f"centre {center.slug}: closed every day of the week")
    offered = [s for s in services if s.active and center_offers_kind(center, s)]
    specs: list[ServiceSpec] = []
    window_sets: list[set[str]] = [set() for _ in windows]
    for s in offered:
        only_priv = privileged_only_here(center, s)
        for i, w in enumerate(windows):
            if window_serves(w, s, center) and (w.privilege or not only_priv):
                window_sets[i].add(s.code)
        if any(s.code in ws for ws in window_sets):
            specs.append(ServiceSpec(s.code, service_time(s), float(s.standard.max_wait_minutes)))
    wins = tuple(WindowSpec(frozenset(ws), privilege=w.privilege, label=str(w.number))
                 for w, ws in zip(windows, window_sets, strict=True) if w.active and ws)
    return CenterModel(
        name=center.slug, services=tuple(specs), windows=wins,
        opens=float(hours.opens.hour * 60 + hours.opens.minute),
        closes=float(hours.closes.hour * 60 + hours.closes.minute),
        occupancy_limit=center.occupancy_limit, format=center.format,
        rules=rules if rules is not None else FloorRules())


@dataclass(frozen=True, slots=True)
class DayDemand:
    """A day's demand as planners state it: expected visits per service and an hourly shape.

    At a mixed centre `booked_share` of visits are booked and the rest walk in; at a
    booking-only centre everyone who is served was booked, and `unbooked_share` more
    people turn up without a booking (they are turned away, and counted).
    """

    visits: Mapping[str, float]
    profile: tuple[float, ...] | None = None  # weights per opening hour; None: flat
    booked_share: float = 0.4
    unbooked_share: float = 0.05
    privileged_share: float = 0.08
    no_show: float = 0.1
    punctuality: Distribution = field(default_factory=lambda: Normal(-5.0, 6.0))
    patience: Distribution | None = None

    def __post_init__(self) -> None:
        for name in ("booked_share", "unbooked_share", "privileged_share", "no_show"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1:
                raise ValueError(f"{name} must be 0..1, got {v!r}")
        for code, v in self.visits.items():
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) \
                    or v < 0:
                raise ValueError(f"visits for {code} must be a number >= 0, got {v!r}")
        if self.profile is not None and (not self.profile or min(self.profile) < 0
                                         or sum(self.profile) <= 0):
            raise ValueError("profile needs non-negative weights with a positive sum")


def _hour_weights(profile: tuple[float, ...] | None, open_minutes: float) -> list[float]:
    """Weights per opening hour, the last hour shortened to the minutes actually open."""
    hours = math.ceil(open_minutes / 60)
    base = list(profile or ()) or [1.0] * hours
    base = (base + [base[-1]] * hours)[:hours]
    lengths = [min(60.0, open_minutes - 60 * h) / 60 for h in range(hours)]
    if profile is None:
        base = lengths
    total = sum(base)
    return [b / total for b in base]


def _rounded(values: list[float]) -> tuple[int, ...]:
    """Whole bookings that add up to the rounded total (largest remainders first)."""
    total = round(sum(values))
    floors = [math.floor(v) for v in values]
    rest = sorted(range(len(values)), key=lambda i: floors[i] - values[i])
    for i in rest[:max(0, total - sum(floors))]:
        floors[i] += 1
    return tuple(floors)


def spread_slots(totals: Mapping[str, int], slot_weights: Sequence[float]
                 ) -> dict[str, tuple[int, ...]]:
    """Each service's whole bookings placed in slots so that every slot holds its share.

    Rounding each service on its own puts every service's remainder on the same first
    slots of the busiest hour (87 bookings in one 15-minute slot at a 12-window centre).
    Instead the slots' totals follow the weights (a rounded running total), and each
    service's k-th booking sits (k + 1/2) / total of the way through the day: in that
    order the services interleave and each slot takes its quota, so both the slot totals
    and the service totals hold exactly.
    """
    codes = sorted(totals)
    n = len(slot_weights)
    w = np.asarray(slot_weights, dtype=np.float64)
    if n == 0 or w.sum() <= 0:
        raise ValueError("need slots with a positive total weight")
    w = w / w.sum()
    counts = np.array([totals[c] for c in codes], dtype=np.int64)
    running = np.floor(np.cumsum(w * counts.sum()) + 0.5).astype(np.int64)
    quota = np.diff(np.concatenate([[0], running]))
    who = np.repeat(np.arange(len(codes)), counts)
    at = (np.concatenate([(np.arange(t) + 0.5) / t for t in counts if t > 0])
          if counts.sum() else np.empty(0))
    order = who[np.argsort(at, kind="stable")]
    slot_of = np.repeat(np.arange(n), quota)
    grid = np.zeros((len(codes), n), dtype=np.int64)
    np.add.at(grid, (order, slot_of), 1)
    return {c: tuple(int(x) for x in grid[i]) for i, c in enumerate(codes)}


def day_demand(model: CenterModel, demand: DayDemand, center: Center,
               services: Sequence[Service]) -> Demand:
    """Bookings per slot (spread by the hourly profile) and walk-in rates per hour.

    Bookings stop at the centre's latest booking time, as the booking service does.
    Services the model does not carry (not offered here) are refused.
    """
    missing = sorted(set(demand.visits) - set(model.codes))
    if missing:
        raise ValueError(f"centre {model.name}: demand for services not offered here: {missing}")
    by_code = {s.code: s for s in services}
    slot = center.slot_minutes
    latest = center.latest_booking.hour * 60 + center.latest_booking.minute
    # As kezek.core.slots does it: a slot must end by closing and start before the cutoff.
    n_slots = 0
    while model.opens + (n_slots + 1) * slot <= model.closes and \
            model.opens + n_slots * slot < latest:
        n_slots += 1
    if n_slots == 0:
        raise ValueError(f"centre {model.name}: no bookable slot in its hours")
    weights = _hour_weights(demand.profile, model.open_minutes)
    slot_w = [weights[min(int(k * slot // 60), len(weights) - 1)] for k in range(n_slots)]
    slot_total = sum(slot_w)
    booking_only = model.format is CenterFormat.BOOKING_ONLY
    share = 1.0 if booking_only else demand.booked_share
    per_hour: dict[str, tuple[float, ...]] = {}
    hour_len = [min(60.0, model.open_minutes - 60 * h) / 60 for h in range(len(weights))]
    privileged_only: set[str] = set()
    booked: dict[str, float] = {}
    for code, expected in sorted(demand.visits.items()):
        service = by_code.get(code)
        if service is not None and privileged_only_here(center, service):
            privileged_only.add(code)
        booked[code] = expected * share / (1 - demand.no_show) if demand.no_show < 1 else 0.0
        walk = expected * (demand.unbooked_share if booking_only else 1 - share)
        # Rates per full hour: the generator scales a short last hour by its length.
        per_hour[code] = tuple(walk * w / hl if hl > 0 else 0.0
                               for w, hl in zip(weights, hour_len, strict=True))
    codes = sorted(booked)
    per_slot = spread_slots(dict(zip(codes, _rounded([booked[c] for c in codes]),
                                     strict=True)), [w / slot_total for w in slot_w])
    return Demand(
        booked=BookedDemand(per_slot, slot, demand.punctuality, demand.no_show),
        walk_ins=WalkInDemand(per_hour), privileged_share=demand.privileged_share,
        patience=demand.patience, privileged_only=frozenset(privileged_only))
