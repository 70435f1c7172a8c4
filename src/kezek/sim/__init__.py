"""Discrete-event simulation of a centre's day and of the whole network: pure and seeded.

Build a `CenterModel` (by hand or with `build.center_model` from the network's own
objects), state a `Demand`, pass an explicit `numpy.random.Generator`; get flat visit
records (numpy structured arrays, `records.VISIT_DTYPE`) and KPIs computed from them.
"""

from kezek.sim.build import DayDemand, center_model, day_demand
from kezek.sim.demand import BookedDemand, Demand, WalkInDemand, generate
from kezek.sim.distributions import (
    Deterministic,
    Distribution,
    Empirical,
    Exponential,
    LogNormal,
    Normal,
    Uniform,
)
from kezek.sim.engine import run
from kezek.sim.kpi import CenterKpi, NetworkKpi, ServiceKpi, center_kpi, network_kpi
from kezek.sim.model import CenterModel, ServiceSpec, WindowSpec
from kezek.sim.network import DayResult, NetworkResult, simulate_day, simulate_network
from kezek.sim.records import VISIT_DTYPE, Arrivals, Klass, Outcome, waits
from kezek.sim.textbook import simulate_mmc, simulate_priority_mmc

__all__ = [
    "VISIT_DTYPE", "Arrivals", "BookedDemand", "CenterKpi", "CenterModel", "DayDemand",
    "DayResult", "Demand", "Deterministic", "Distribution", "Empirical", "Exponential",
    "Klass", "LogNormal", "NetworkKpi", "NetworkResult", "Normal", "Outcome", "ServiceKpi",
    "ServiceSpec", "Uniform", "WalkInDemand", "WindowSpec", "center_kpi", "center_model",
    "day_demand", "generate", "network_kpi", "run", "simulate_day", "simulate_mmc",
    "simulate_network", "simulate_priority_mmc", "waits",
]
