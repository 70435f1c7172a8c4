"""What a what-if run changes and simulates: the centres, the registry, and a day's demand.

The demand is an input (expected visits per centre and service for one working day), not
something this package derives: the national calibration lives in kezek.analytics, which
the pure packages may not import, so the command computes it and hands it in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kezek.core.network import Center, CenterKind
from kezek.core.registry import Sector, Service
from kezek.planning.demo import Place
from kezek.sim.build import TYPICAL_PROFILE, center_model, privileged_only_here
from kezek.sim.model import CenterModel

__all__ = ["DemandShape", "Network", "Place", "WhatIfError", "split_visits"]


class WhatIfError(ValueError):
    """A scenario that cannot be applied or read: one line a person can act on."""


def _share(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise WhatIfError(f"{name} must be a share 0..1, got {value!r}")


@dataclass(frozen=True, slots=True)
class DemandShape:
    """How a day's visits arrive, per kind of centre.

    `booked_share`: of the visits at a mixed centre, the share booked ahead (the rest walk
    in). `unbooked_share`: at a booking-only centre, people who still turn up without a
    booking, as a share of its visits (turned away, and counted). `privileged_share`: people
    served first at privilege windows. `no_show`: booked people who never come.
    """

    booked_share: Mapping[CenterKind, float] = field(default_factory=lambda: {
        CenterKind.GENERAL: 0.42, CenterKind.SPECIALISED: 0.6})
    privileged_share: Mapping[CenterKind, float] = field(default_factory=lambda: {
        CenterKind.GENERAL: 0.07, CenterKind.SPECIALISED: 0.0})
    unbooked_share: float = 0.05
    no_show: float = 0.09
    profile: tuple[float, ...] = TYPICAL_PROFILE

    def __post_init__(self) -> None:
        for kind in CenterKind:
            _share(f"booked_share[{kind}]", self.booked_share.get(kind, math.nan))
            _share(f"privileged_share[{kind}]", self.privileged_share.get(kind, math.nan))
        _share("unbooked_share", self.unbooked_share)
        _share("no_show", self.no_show)
        if self.no_show >= 1:
            raise WhatIfError("no_show must be below 1")
        if not self.profile or min(self.profile) < 0 or sum(self.profile) <= 0:
            raise WhatIfError("profile needs non-negative weights with a positive sum")


@dataclass(frozen=True, slots=True)
class Network:
    """Centres, the registry and a working day's expected visits per centre and service."""

    places: tuple[Place, ...]
    services: tuple[Service, ...]
    demand: Mapping[str, Mapping[str, float]]  # centre slug -> service code -> visits
    shape: DemandShape = field(default_factory=DemandShape)

    def __post_init__(self) -> None:
        object.__setattr__(self, "places", tuple(self.places))
        object.__setattr__(self, "services", tuple(self.services))
        slugs = [p.slug for p in self.places]
        if len(set(slugs)) != len(slugs):
            raise WhatIfError("centre slugs must be unique")
        unknown = sorted(set(self.demand) - set(slugs))
        if unknown:
            raise WhatIfError(f"demand for unknown centres: {unknown}")
        for slug, visits in self.demand.items():
            for code, v in visits.items():
                if isinstance(v, bool) or not isinstance(v, int | float) \
                        or not math.isfinite(v) or v < 0:
                    raise WhatIfError(f"{slug}: visits for {code} must be >= 0, got {v!r}")

    def place(self, slug: str) -> Place:
        for p in self.places:
            if p.slug == slug:
                return p
        raise WhatIfError(f"unknown centre {slug!r}")

    def visits(self, slug: str) -> Mapping[str, float]:
        return self.demand.get(slug, {})

    def model(self, slug: str) -> CenterModel:
        p = self.place(slug)
        return center_model(p.center, p.windows, self.services)

    def sector_of(self) -> dict[str, Sector]:
        return {s.code: s.sector for s in self.services}


def split_visits(center: Center, model: CenterModel, services: Sequence[Service], total: float,
                 sector_weight: Mapping[Sector, float], privileged_only: float = 0.03
                 ) -> dict[str, float]:
    """A centre's day total shared over the services its windows serve.

    Each sector gets its weight, shared equally by the sector's services here; services
    the centre keeps for privileged people only (portal services) get `privileged_only` of
    the total between them, since only a few people come in for what is online.
    """
    if total < 0 or not math.isfinite(total):
        raise WhatIfError(f"{center.slug}: a day's total must be >= 0, got {total!r}")
    by_code = {s.code: s for s in services}
    portal = [c for c in model.codes if privileged_only_here(center, by_code[c])]
    paper = [c for c in model.codes if c not in portal]
    counts: dict[Sector, int] = {}
    for c in paper:
        counts[by_code[c].sector] = counts.get(by_code[c].sector, 0) + 1
    weight = {c: sector_weight.get(by_code[c].sector, 0.05) / counts[by_code[c].sector]
              for c in paper}
    paper_total = total * (1 - privileged_only) if portal else total
    norm = sum(weight.values())
    out = {c: paper_total * w / norm for c, w in weight.items()} if norm > 0 else {}
    for c in portal:
        out[c] = (total - paper_total) / len(portal) if paper else total / len(portal)
    return out
