"""Textbook queues on the same engine: M/M/c and non-preemptive priority M/M/c.

These are how the engine is validated (against Erlang C and against Ciw) and what the
planning code uses to check a staffing answer by simulation. Time units are whatever
the rates are in; the "centre" is open long enough for every customer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kezek.core.floor import FloorRules
from kezek.sim.distributions import Distribution, Exponential
from kezek.sim.engine import run
from kezek.sim.model import CenterModel, ServiceSpec, WindowSpec
from kezek.sim.records import Arrivals, Visits


@dataclass(frozen=True, slots=True)
class QueueRun:
    visits: Visits
    waits: np.ndarray  # time from arrival to start of service, per customer, arrival order


def mmc_model(servers: int, service_time: Distribution, *, priority_servers: int = 0,
              privilege_serves_others: bool = True) -> CenterModel:
    """`servers` identical windows serving one service; the first `priority_servers` of them
    are privilege windows (privileged customers first there)."""
    if isinstance(servers, bool) or not isinstance(servers, int) or servers < 1:
        raise ValueError(f"servers must be a whole number >= 1, got {servers!r}")
    if not 0 <= priority_servers <= servers:
        raise ValueError("priority_servers must be between 0 and servers")
    windows = tuple(WindowSpec(frozenset({"q"}), privilege=w < priority_servers, label=str(w))
                    for w in range(servers))
    return CenterModel(
        name=f"M/M/{servers}", services=(ServiceSpec("q", service_time, 0.0),),
        windows=windows, opens=0.0, closes=1.0,
        rules=FloorRules(privilege_serves_others=privilege_serves_others))


def poisson_arrivals(rate: float, customers: int, service_time: Distribution,
                     rng: np.random.Generator, *, priority_share: float = 0.0,
                     patience: Distribution | None = None) -> Arrivals:
    """`customers` Poisson arrivals from time 0; a `priority_share` of them privileged."""
    if not rate > 0 or customers < 0:
        raise ValueError("rate must be > 0 and customers >= 0")
    time = np.cumsum(rng.exponential(1.0 / rate, customers))
    service = service_time.sample(rng, customers)
    privileged = rng.random(customers) < priority_share if priority_share else None
    pat = patience.sample(rng, customers) if patience is not None else None
    return Arrivals.walk_ins(time, np.zeros(customers, np.int32), service, privileged, pat)


def simulate_mmc(arrival_rate: float, service_rate: float, servers: int, customers: int,
                 rng: np.random.Generator, *, fast: bool | None = None) -> QueueRun:
    """M/M/c, first come first served: the Erlang C check."""
    dist = Exponential(1.0 / service_rate)
    arrivals = poisson_arrivals(arrival_rate, customers, dist, rng)
    visits = run(mmc_model(servers, dist), arrivals, fast=fast)
    return QueueRun(visits, visits["start"] - visits["arrival"])


def simulate_priority_mmc(rates: tuple[float, float], service_rate: float, servers: int,
                          customers: int, rng: np.random.Generator) -> QueueRun:
    """Two classes, non-preemptive priority for class 0 at every server (all are privilege
    windows that also serve the others): the classic priority M/M/c. `privileged` marks
    class 0 in the records."""
    total = rates[0] + rates[1]
    dist = Exponential(1.0 / service_rate)
    arrivals = poisson_arrivals(total, customers, dist, rng, priority_share=rates[0] / total)
    visits = run(mmc_model(servers, dist, priority_servers=servers), arrivals)
    return QueueRun(visits, visits["start"] - visits["arrival"])
