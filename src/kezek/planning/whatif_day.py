"""A centre's run of working days in a what-if: who books, who is pushed to tomorrow.

At a mixed centre the day is the simulator's own (`sim.build.day_demand`): the booked
share books ahead, the rest walk in and queue.

At a booking-only centre nobody is served without a booking, so the walk-ins of the
mixed format must book. Assumed here (the Kokshetau pilot's rule: a person without a
booking is offered a free place that day or books for the next):
- people who would have booked anyway keep their slots (the profile's spread);
- each former walk-in is drawn as before (Poisson per service and opening hour) and takes
  the first free slot from the hour they would have come, or else the nearest earlier
  one that day (bookings stop before closing, walk-ins came until closing); a slot holds
  as many people as the centre's windows have seats (or its small-group limit, if lower);
- when the day has no free slot left they are pushed to the next day, counted, and take
  that day's first free slots before anyone else (they booked first);
- those bookings miss at the booked no-show rate, like any booking;
- `unbooked_share` of the visits still turn up without a booking and are turned away.
Slots are shared by all services (a centre-wide seat count), not per window scope.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kezek.core.network import CenterFormat
from kezek.core.registry import Service
from kezek.planning.demo import Place
from kezek.planning.whatif_model import DemandShape
from kezek.sim.build import DayDemand, day_demand
from kezek.sim.demand import Demand, WalkInDemand
from kezek.sim.model import CenterModel
from kezek.sim.network import simulate_day
from kezek.sim.records import Outcome, waits


@dataclass(frozen=True, slots=True)
class Tally:
    """One centre over a run of days on one seed: everything the comparison measures."""

    waits: NDArray[np.float64]  # every served person's wait, minutes, all days
    within: NDArray[np.bool_]  # whether that wait met the service's standard
    utilisation: float  # busy share of the open minutes, mean over days and windows
    peak: float  # most people inside at once, mean of the daily peaks
    served: float  # per day, and so on
    turned_away: float
    no_show: float
    abandoned: float
    pushed: float  # bookings that found no slot and moved to the next day, per day
    backlog: int  # still without a slot after the last day
    windows: int


def slot_capacity(place: Place) -> int:
    """People per slot: the seats of the active windows, capped by the small-group limit."""
    seats = sum(w.seats for w in place.windows if w.active)
    cap = place.center.slot_capacity
    return min(seats, cap) if cap is not None else seats


def day_of(place: Place, model: CenterModel, visits: Mapping[str, float], shape: DemandShape,
           services: Sequence[Service]) -> tuple[DayDemand, Demand]:
    """The planner's day and the simulator's demand as the mixed format would have it."""
    kind = place.center.kind
    dd = DayDemand(dict(visits), profile=shape.profile, booked_share=shape.booked_share[kind],
                   unbooked_share=shape.unbooked_share,
                   privileged_share=shape.privileged_share[kind], no_show=shape.no_show)
    mixed = dataclasses.replace(model, format=CenterFormat.MIXED)
    return dd, day_demand(mixed, dd, place.center, services)


def _fill(free: NDArray[np.int64], start: int, count: int) -> tuple[list[tuple[int, int]], int]:
    """Takes up to `count` seats from slot `start` on, then the nearest earlier ones:
    (slot, seats) taken, and how many found no seat that day."""
    taken = []
    order = [*range(start, len(free)), *range(min(start, len(free)) - 1, -1, -1)]
    for j in order:
        if count == 0:
            break
        if free[j] > 0:
            k = min(count, int(free[j]))
            free[j] -= k
            count -= k
            taken.append((j, k))
    return taken, count


def booking_only(base: Demand, open_minutes: float, capacity: int, booked_share: float,
                 unbooked_share: float, backlog: Mapping[str, int], rng: np.random.Generator
                 ) -> tuple[Demand, dict[str, int], int]:
    """The day's demand when everyone must book; returns it, the pushed bookings per
    service and how many former walk-ins booked."""
    assert base.booked is not None and base.walk_ins is not None
    planned = base.booked.per_slot
    slot = base.booked.slot_minutes
    n = max((len(v) for v in planned.values()), default=0)
    free = np.full(n, capacity, dtype=np.int64)
    per_slot = {code: np.zeros(n, dtype=np.int64) for code in planned}
    pushed: dict[str, int] = {}

    def place(code: str, start: int, count: int) -> None:
        taken, rest = _fill(free, start, count)
        row = per_slot.setdefault(code, np.zeros(n, dtype=np.int64))
        for j, k in taken:
            row[j] += k
        if rest:
            pushed[code] = pushed.get(code, 0) + rest

    for code, count in sorted(backlog.items()):
        place(code, 0, count)
    for j in range(n):
        for code in sorted(planned):
            if j < len(planned[code]) and planned[code][j]:
                place(code, j, planned[code][j])
    converted = 0
    codes = sorted(base.walk_ins.per_hour)
    width = max((len(base.walk_ins.per_hour[c]) for c in codes), default=0)
    rates = np.zeros((len(codes), width))
    for row_i, code in enumerate(codes):
        rates[row_i, :len(base.walk_ins.per_hour[code])] = base.walk_ins.per_hour[code]
    hour_len = np.clip(open_minutes - 60.0 * np.arange(width), 0.0, 60.0)
    counts = rng.poisson(rates * hour_len / 60.0)
    for h in range(width):
        for row_i, code in enumerate(codes):
            if counts[row_i, h]:
                converted += int(counts[row_i, h])
                place(code, min(h * 60 // slot, n), int(counts[row_i, h]))
    scale = unbooked_share / (1 - booked_share) if booked_share < 1 else 0.0
    unbooked = {c: tuple(r * scale for r in v) for c, v in base.walk_ins.per_hour.items()}
    demand = dataclasses.replace(
        base, booked=dataclasses.replace(base.booked, per_slot={
            c: tuple(int(x) for x in row) for c, row in per_slot.items()}),
        walk_ins=WalkInDemand(unbooked))
    return demand, pushed, converted


def centre_key(slug: str) -> int:
    """A centre's stream follows its name, not its place in the list: opening or closing
    another centre leaves its random numbers as they were (common random numbers)."""
    return zlib.crc32(slug.encode("utf-8"))


def run_days(place: Place, model: CenterModel, visits: Mapping[str, float], shape: DemandShape,
             services: Sequence[Service], days: int, seed: int) -> Tally:
    """`days` working days in a row, the booking backlog carried from each to the next."""
    dd, base = day_of(place, model, visits, shape, services)
    strict = place.center.format is CenterFormat.BOOKING_ONLY
    capacity = slot_capacity(place)
    key = centre_key(place.slug)
    backlog: dict[str, int] = {}
    all_waits, all_within = [], []
    util = peak = 0.0
    outcomes = dict.fromkeys(("served", "turned_away", "no_show", "abandoned"), 0)
    pushed_total = 0
    standards = np.array([s.max_wait_minutes for s in model.services], dtype=np.float64)
    for day in range(days):
        demand = base
        if strict:
            demand, backlog, _ = booking_only(
                base, model.open_minutes, capacity, dd.booked_share, dd.unbooked_share, backlog,
                np.random.default_rng([seed, day, key, 1]))
            pushed_total += sum(backlog.values())
        result = simulate_day(model, demand, np.random.default_rng([seed, day, key]))
        v = result.visits
        served = v["outcome"] == Outcome.SERVED
        w = waits(v)[served]
        all_waits.append(w)
        all_within.append(w <= standards[v["service"][served]])
        util += float(np.mean(result.kpi.utilisation)) if result.kpi.utilisation else 0.0
        peak += result.kpi.peak_occupancy
        for name in outcomes:
            outcomes[name] += result.kpi.outcomes[name]
    return Tally(
        waits=np.concatenate(all_waits) if all_waits else np.empty(0),
        within=np.concatenate(all_within) if all_within else np.empty(0, np.bool_),
        utilisation=util / days, peak=peak / days,
        served=outcomes["served"] / days, turned_away=outcomes["turned_away"] / days,
        no_show=outcomes["no_show"] / days, abandoned=outcomes["abandoned"] / days,
        pushed=pushed_total / days, backlog=sum(backlog.values()), windows=len(model.windows))

