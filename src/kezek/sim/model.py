"""The centre as the simulator sees it: services, windows, hours, occupancy, format, rules.

Frozen and validated on construction, so a bad model fails with a readable ValueError
where it is built, not as a wrong number at the end of a run. The floor's own
`FloorRules` (grace, early lead, privilege order) are reused as they are, so the
simulated queue and the live one read the same settings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from kezek.core.floor import FloorRules
from kezek.core.network import CenterFormat
from kezek.sim.distributions import Distribution, check_distribution

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """One service at this centre: its waiting standard and its counter-time distribution."""

    code: str
    service_time: Distribution
    max_wait_minutes: float = 30.0

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not self.code.strip():
            raise ValueError("service code must be a non-empty string")
        check_distribution(f"service {self.code}: service_time", self.service_time,
                           nonnegative=True)
        wait = self.max_wait_minutes
        if isinstance(wait, bool) or not isinstance(wait, int | float) or not wait >= 0:
            raise ValueError(f"service {self.code}: max_wait_minutes must be >= 0, got {wait!r}")


@dataclass(frozen=True, slots=True)
class WindowSpec:
    """A window (counter): the services it may take and whether it is a privilege window."""

    services: frozenset[str]
    privilege: bool = False
    label: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.services, frozenset):
            object.__setattr__(self, "services", frozenset(self.services))
        if not self.services:
            raise ValueError(f"window {self.label or '?'} serves no service")


@dataclass(frozen=True, slots=True)
class CenterModel:
    """A centre for one day. Times are minutes from midnight (9:00 is 540).

    `occupancy_limit` counts people inside at once (waiting in the hall or at a window);
    those over it wait outside and are let in, first come first in, as places free up.
    """

    name: str
    services: tuple[ServiceSpec, ...]
    windows: tuple[WindowSpec, ...]
    opens: float = 9 * 60
    closes: float = 18 * 60
    occupancy_limit: int | None = None
    format: CenterFormat = CenterFormat.MIXED
    rules: FloorRules = field(default_factory=FloorRules)

    def __post_init__(self) -> None:
        object.__setattr__(self, "services", tuple(self.services))
        object.__setattr__(self, "windows", tuple(self.windows))
        problems = list(_problems(self))
        if problems:
            raise ValueError(f"centre {self.name!r}: " + "; ".join(problems))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.services)

    @property
    def open_minutes(self) -> float:
        return self.closes - self.opens

    def index_of(self, code: str) -> int:
        for i, s in enumerate(self.services):
            if s.code == code:
                return i
        raise ValueError(f"centre {self.name!r} has no service {code!r}")


def _problems(m: CenterModel) -> Iterable[str]:
    if not m.services:
        yield "at least one service is needed"
    if not m.windows:
        yield "at least one window is needed"
    if not all(isinstance(s, ServiceSpec) for s in m.services):
        yield "services must be ServiceSpec objects"
        return
    if not all(isinstance(w, WindowSpec) for w in m.windows):
        yield "windows must be WindowSpec objects"
        return
    codes = [s.code for s in m.services]
    if len(set(codes)) != len(codes):
        yield "service codes must be unique"
    known = set(codes)
    for n, w in enumerate(m.windows, 1):
        unknown = sorted(w.services - known)
        if unknown:
            yield f"window {w.label or n} serves unknown services {unknown}"
    served = set().union(*(w.services for w in m.windows)) if m.windows else set()
    idle = sorted(known - served)
    if idle:
        yield f"no window serves {idle}"
    for name, value in (("opens", m.opens), ("closes", m.closes)):
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value) or value < 0:
            yield f"{name} must be a finite number of minutes >= 0, got {value!r}"
            return
    if m.closes <= m.opens:
        yield f"closes ({m.closes}) must be after opens ({m.opens})"
    limit = m.occupancy_limit
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        yield f"occupancy_limit must be a whole number >= 1 or None, got {limit!r}"
    if not isinstance(m.format, CenterFormat):
        yield f"format must be a CenterFormat, got {m.format!r}"
    if not isinstance(m.rules, FloorRules):
        yield "rules must be kezek.core.floor.FloorRules"
    elif min(m.rules.grace_minutes, m.rules.early_lead_minutes) < 0:
        yield "grace and early-lead minutes cannot be negative"
