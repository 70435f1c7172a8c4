"""Whole days: one centre, or a network of independent centres in one call.

Each centre gets its own child generator spawned from the one passed in, so a centre's
day does not change when another centre is added or removed before it in the list
(its stream is fixed by its position and the parent seed), and runs stay reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kezek.sim.demand import Demand, generate
from kezek.sim.engine import run
from kezek.sim.kpi import CenterKpi, NetworkKpi, center_kpi, network_kpi
from kezek.sim.model import CenterModel
from kezek.sim.records import VISIT_DTYPE, Visits


@dataclass(frozen=True, slots=True)
class DayResult:
    model: CenterModel
    visits: Visits
    kpi: CenterKpi


@dataclass(frozen=True, slots=True)
class NetworkResult:
    models: tuple[CenterModel, ...]
    visits: Visits  # all centres, ordered by the `centre` column
    kpi: NetworkKpi

    def centre(self, index: int) -> DayResult:
        """One centre's records and KPIs, sliced out of the network's records."""
        part = self.visits[self.visits["centre"] == index]
        model = self.models[index]
        return DayResult(model, part, center_kpi(model, part))


def simulate_day(model: CenterModel, demand: Demand, rng: np.random.Generator,
                 centre: int = 0) -> DayResult:
    """A centre's day: draw the arrivals from `rng`, run the floor, measure."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator (np.random.default_rng(seed))")
    visits = run(model, generate(model, demand, rng), centre=centre)
    return DayResult(model, visits, center_kpi(model, visits))


def simulate_network(days: Sequence[tuple[CenterModel, Demand]], rng: np.random.Generator
                     ) -> NetworkResult:
    """Every centre's day, each on its own spawned stream; records concatenated, KPIs pooled."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator (np.random.default_rng(seed))")
    streams = rng.spawn(len(days))
    parts = [run(model, generate(model, demand, stream), centre=c)
             for c, ((model, demand), stream) in enumerate(zip(days, streams, strict=True))]
    visits = np.concatenate(parts) if parts else np.empty(0, dtype=VISIT_DTYPE)
    models = tuple(m for m, _ in days)
    return NetworkResult(models, visits, network_kpi(models, visits))
