"""Windows needed: the least number of open windows that meets a service-level target.

Why a dedicated search rather than "round the load up and add a margin": the service
standard fixes a maximum wait per service (for example 30 minutes), so the question a
manager asks is "how many windows so that 80 % wait at most 30 minutes", and the answer
must be the least such number. Public calculators often over-staff by one because they
compare a rounded or accumulated service level with `>` (or start from `ceil(load) + 1`);
here a window count whose service level equals the target, to within `TOLERANCE`, is
enough, and the search starts from the least stable count.

Units: arrivals per hour, service and wait times in minutes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from kezek.sim.erlang import ErlangA, mmc_mean_wait, mmc_service_level, mmc_wait_probability

#: A service level this close below the target still meets it: the formulas carry about
#: 1e-15 of rounding, and a target such as 0.8 is itself not exact in binary.
TOLERANCE = 1e-9
#: The search gives up beyond this many windows: no centre has that many.
MAX_WINDOWS = 10_000

Model = Literal["erlang_c", "erlang_a"]


@dataclass(frozen=True, slots=True)
class Target:
    """`level` of arrivals served within `within_minutes` (e.g. 0.8 within 30 minutes).

    For Erlang A, `max_abandon` optionally caps the share who give up waiting.
    """

    level: float
    within_minutes: float
    max_abandon: float | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.level) and 0 < self.level < 1):
            raise ValueError(f"target level must be strictly between 0 and 1, got {self.level}")
        if not (math.isfinite(self.within_minutes) and self.within_minutes >= 0):
            raise ValueError(f"within_minutes must be >= 0, got {self.within_minutes}")
        if self.max_abandon is not None and not 0 < self.max_abandon < 1:
            raise ValueError(f"max_abandon must be strictly between 0 and 1, got "
                             f"{self.max_abandon}")


@dataclass(frozen=True, slots=True)
class Staffing:
    """One answer: windows and what they give (waits in minutes)."""

    arrivals_per_hour: float
    windows: int
    service_level: float
    wait_probability: float
    mean_wait_minutes: float
    abandon_probability: float
    load_erlangs: float


def _check(arrivals_per_hour: float, mean_service_minutes: float) -> None:
    if not (math.isfinite(arrivals_per_hour) and arrivals_per_hour >= 0):
        raise ValueError(f"arrivals per hour must be >= 0, got {arrivals_per_hour}")
    if not (math.isfinite(mean_service_minutes) and mean_service_minutes > 0):
        raise ValueError(f"mean service time must be > 0 minutes, got {mean_service_minutes}")


def evaluate(windows: int, arrivals_per_hour: float, mean_service_minutes: float,
             target: Target, model: Model = "erlang_c",
             mean_patience_minutes: float | None = None) -> Staffing:
    """What `windows` windows give for this hour's load (Erlang C needs load < windows)."""
    _check(arrivals_per_hour, mean_service_minutes)
    lam = arrivals_per_hour / 60.0
    load = lam * mean_service_minutes
    if lam == 0:
        return Staffing(arrivals_per_hour, windows, 1.0, 0.0, 0.0, 0.0, 0.0)
    if model == "erlang_c":
        if windows <= load:
            return Staffing(arrivals_per_hour, windows, 0.0, 1.0, math.inf, 0.0, load)
        return Staffing(arrivals_per_hour, windows,
                        mmc_service_level(windows, lam, mean_service_minutes,
                                          target.within_minutes),
                        mmc_wait_probability(windows, lam, mean_service_minutes),
                        mmc_mean_wait(windows, lam, mean_service_minutes), 0.0, load)
    if model == "erlang_a":
        if mean_patience_minutes is None:
            raise ValueError("Erlang A needs the mean patience (minutes)")
        q = ErlangA(windows, lam, mean_service_minutes, mean_patience_minutes)
        return Staffing(arrivals_per_hour, windows, q.served_within(target.within_minutes),
                        q.wait_probability(), q.mean_wait(), q.abandon_probability(), load)
    raise ValueError(f"unknown model {model!r}")


def _meets(s: Staffing, target: Target) -> bool:
    if s.service_level < target.level - TOLERANCE:
        return False
    return target.max_abandon is None or s.abandon_probability <= target.max_abandon + TOLERANCE


def windows_needed(arrivals_per_hour: float, mean_service_minutes: float, target: Target,
                   model: Model = "erlang_c",
                   mean_patience_minutes: float | None = None) -> Staffing:
    """The least window count meeting `target` (0 when nobody comes).

    The service level grows with the window count, so the search walks up from the least
    candidate: for Erlang C the least stable count floor(load) + 1, for Erlang A one window.
    """
    _check(arrivals_per_hour, mean_service_minutes)
    if arrivals_per_hour == 0:
        return evaluate(0, 0.0, mean_service_minutes, target, model, mean_patience_minutes)
    load = arrivals_per_hour / 60.0 * mean_service_minutes
    start = math.floor(load) + 1 if model == "erlang_c" else 1
    for windows in range(start, MAX_WINDOWS + 1):
        s = evaluate(windows, arrivals_per_hour, mean_service_minutes, target, model,
                     mean_patience_minutes)
        if _meets(s, target):
            return s
    raise ValueError(f"no window count up to {MAX_WINDOWS} meets the target")


@dataclass(frozen=True, slots=True)
class HourPlan:
    """Windows for one hour of the day (hour = index in the profile, or the clock hour)."""

    hour: int
    staffing: Staffing


def hourly_windows(arrivals_by_hour: Sequence[float], mean_service_minutes: float,
                   target: Target, model: Model = "erlang_c",
                   mean_patience_minutes: float | None = None,
                   first_hour: int = 0) -> list[HourPlan]:
    """Windows needed each hour for a demand profile (arrivals per hour, in clock order).

    Each hour is treated as its own steady state (the usual stationary independent period
    approximation); hours with a load close to the window count need the simulator to see
    the queue carried over into the next hour.
    """
    return [HourPlan(first_hour + i,
                     windows_needed(rate, mean_service_minutes, target, model,
                                    mean_patience_minutes))
            for i, rate in enumerate(arrivals_by_hour)]
