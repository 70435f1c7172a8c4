"""What-if runs: change the network, simulate it beside the baseline, compare.

Each change is a frozen scenario object and `apply` is a pure function from a network to
a new one, so a variant is just the baseline with its changes applied in order, and the
comparison (`compare`, in whatif_compare) runs both on the same seeds.

What the changes assume:
- `SetFormat` changes the format (and, if given, the occupancy limit). A booking-only
  centre keeps services that are also on the portal for privileged people only (as the
  Kokshetau pilot and `sim.build` do), so by default the visits for those services shrink
  to the privileged share: the others do them online. How people then arrive is the day
  model's business (whatif_day): at a booking-only centre the former walk-ins must book.
- `SetWindows` adds windows like the centre's general counters (or scoped to the given
  sectors/codes) and removes the highest-numbered ordinary windows; privilege windows
  stay, and a centre keeps at least one ordinary window.
- `ScaleDemand` multiplies the visits of one sector (or all) at the centres of a city, a
  region (ISO code), one centre or the whole network.
- `OpenCentre` copies an existing centre (`like`) or builds one from a window count, then
  takes a share of the visits of the centres it relieves: by default the share that
  evens the load per window over the new centre and those centres (its windows over
  theirs and its own), from the centres named or the `nearest` ones of its kind.
- `CloseCentre` hands its visits to the nearest centres of its kind, in proportion to
  their windows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from kezek.core.network import Center, CenterFormat, CenterKind, Window, WindowScope
from kezek.core.registry import Names, Sector
from kezek.core.schedule import parse_time
from kezek.planning.geo import haversine_km
from kezek.planning.whatif_compare import Comparison, Estimate, Result, compare_networks
from kezek.planning.whatif_model import DemandShape, Network, Place, WhatIfError
from kezek.sim.build import center_model, privileged_only_here

__all__ = [
    "CloseCentre", "Comparison", "DemandShape", "Estimate", "Network", "OpenCentre", "Place",
    "Result", "ScaleDemand", "Scenario", "SetFormat", "SetWindows", "Variant", "WhatIfError",
    "affected", "apply", "apply_all", "compare",
]


@dataclass(frozen=True, slots=True)
class SetFormat:
    centre: str
    format: CenterFormat
    occupancy_limit: int | None = None  # None: keep the centre's own
    online_shift: bool = True  # portal services leave for the portal (privileged stay)


@dataclass(frozen=True, slots=True)
class SetWindows:
    """Exactly one of `delta` (windows to add, negative to remove) or `count` (total)."""

    centre: str
    delta: int | None = None
    count: int | None = None
    sectors: frozenset[Sector] = frozenset()  # scope of added windows; empty: general
    codes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ScaleDemand:
    factor: float = 1.3
    sector: Sector | None = Sector.VEHICLE  # None: every sector
    where: str = "all"  # "all", a region code (KZ-75), a city slug or a centre slug


@dataclass(frozen=True, slots=True)
class OpenCentre:
    slug: str
    city: str
    lat: float
    lon: float
    like: str | None = None  # copy this centre's settings and windows
    windows: int | None = None  # window count (required without `like`)
    kind: CenterKind | None = None  # required without `like`
    format: CenterFormat | None = None
    takes_share_from: tuple[str, ...] = ()  # empty: the `nearest` centres of its kind
    nearest: int = 2
    share: float | None = None  # of each donor's visits; None: even the load per window
    name: str | None = None


@dataclass(frozen=True, slots=True)
class CloseCentre:
    centre: str
    nearest: int = 2


Scenario = SetFormat | SetWindows | ScaleDemand | OpenCentre | CloseCentre


@dataclass(frozen=True, slots=True)
class Variant:
    """A named set of changes to the baseline, applied in order."""

    name: str
    changes: tuple[Scenario, ...]
    title: str = ""


def apply(network: Network, scenario: Scenario) -> Network:
    if isinstance(scenario, SetFormat):
        return _set_format(network, scenario)
    if isinstance(scenario, SetWindows):
        return _set_windows(network, scenario)
    if isinstance(scenario, ScaleDemand):
        return _scale(network, scenario)
    if isinstance(scenario, OpenCentre):
        return _open(network, scenario)
    if isinstance(scenario, CloseCentre):
        return _close(network, scenario)
    raise WhatIfError(f"unknown change {scenario!r}")


def apply_all(network: Network, changes: Iterable[Scenario]) -> Network:
    for change in changes:
        network = apply(network, change)
    return network


def affected(baseline: Network, variant: Network) -> tuple[str, ...]:
    """Centres whose settings, windows or visits differ, with opened and closed ones."""
    before = {p.slug: p for p in baseline.places}
    after = {p.slug: p for p in variant.places}
    out = [s for s in after if before.get(s) != after[s]
           or dict(baseline.visits(s)) != dict(variant.visits(s))]
    return tuple(out + [s for s in before if s not in after])


def _replace_place(network: Network, place: Place) -> Network:
    places = tuple(place if p.slug == place.slug else p for p in network.places)
    return dataclasses.replace(network, places=places)


def _set_format(network: Network, s: SetFormat) -> Network:
    place = network.place(s.centre)
    if not isinstance(s.format, CenterFormat):
        raise WhatIfError(f"unknown format {s.format!r}; use booking_only or mixed")
    if s.occupancy_limit is not None and s.occupancy_limit < 1:
        raise WhatIfError(f"{s.centre}: occupancy limit must be at least 1")
    limit = s.occupancy_limit if s.occupancy_limit is not None else place.center.occupancy_limit
    center = dataclasses.replace(place.center, format=s.format, occupancy_limit=limit)
    demand = {slug: dict(v) for slug, v in network.demand.items()}
    if s.online_shift:
        keep = network.shape.privileged_share[center.kind]
        by_code = {x.code: x for x in network.services}
        visits = demand.get(s.centre, {})
        for code in visits:
            service = by_code.get(code)
            if service is not None and privileged_only_here(center, service) \
                    and not privileged_only_here(place.center, service):
                visits[code] *= keep
    return dataclasses.replace(_replace_place(network, dataclasses.replace(place, center=center)),
                               demand=demand)


def _general_scope(windows: Sequence[Window]) -> WindowScope:
    ordinary = [w for w in windows if not w.privilege]
    for w in reversed(ordinary):
        if w.scope.all:
            return w.scope
    return ordinary[-1].scope if ordinary else WindowScope()


def resize(place: Place, total: int, scope: WindowScope | None = None) -> Place:
    """The place with `total` windows: new ones numbered after the last, removals from the
    highest-numbered ordinary window down."""
    windows = sorted(place.windows, key=lambda w: w.number)
    privileged = sum(w.privilege for w in windows)
    if total < privileged + 1:
        raise WhatIfError(f"{place.slug}: {total} window(s) would leave no ordinary window "
                          f"(it has {privileged} privilege window(s))")
    if total >= len(windows):
        use = scope if scope is not None else _general_scope(windows)
        last = max((w.number for w in windows), default=0)
        windows += [Window(id=place.center.id * 100 + last + k, number=last + k, scope=use)
                    for k in range(1, total - len(windows) + 1)]
    else:
        drop = {w.number for w in [w for w in windows if not w.privilege][
            -(len(windows) - total):]}
        windows = [w for w in windows if w.number not in drop]
    return dataclasses.replace(place, windows=tuple(windows))


def _set_windows(network: Network, s: SetWindows) -> Network:
    place = network.place(s.centre)
    if (s.delta is None) == (s.count is None):
        raise WhatIfError(f"{s.centre}: give either a change of windows or a window count")
    if s.count is not None and s.count < 1:
        raise WhatIfError(f"{s.centre}: window count must be at least 1, got {s.count}")
    total = s.count if s.count is not None else len(place.windows) + (s.delta or 0)
    if total < 1:
        raise WhatIfError(f"{s.centre}: {len(place.windows)} windows {s.delta:+d} leaves none")
    scope = (WindowScope(all=False, sectors=s.sectors, codes=s.codes)
             if s.sectors or s.codes else None)
    new = resize(place, total, scope)
    _check_model(network, new)
    return _replace_place(network, new)


def _check_model(network: Network, place: Place) -> None:
    """The changed centre must still serve every service it has demand for."""
    try:
        model = center_model(place.center, place.windows, network.services)
    except ValueError as exc:
        raise WhatIfError(str(exc)) from None
    lost = sorted(c for c, v in network.visits(place.slug).items() if v > 0
                  and c not in model.codes)
    if lost:
        raise WhatIfError(f"{place.slug}: no window would serve {', '.join(lost[:3])}"
                          + (f" and {len(lost) - 3} more" if len(lost) > 3 else ""))


def _scale(network: Network, s: ScaleDemand) -> Network:
    if isinstance(s.factor, bool) or not isinstance(s.factor, int | float) or s.factor < 0:
        raise WhatIfError(f"demand factor must be a number >= 0, got {s.factor!r}")
    where = s.where
    places = [p for p in network.places if where in ("all", "", p.region, p.center.city, p.slug)]
    if not places:
        raise WhatIfError(f"no centre in {where!r} (a region code, city or centre slug, or all)")
    sector = network.sector_of()
    demand = {slug: dict(v) for slug, v in network.demand.items()}
    for p in places:
        visits = demand.get(p.slug, {})
        for code in visits:
            if s.sector is None or sector.get(code) is s.sector:
                visits[code] *= float(s.factor)
    return dataclasses.replace(network, demand=demand)


def _nearest(network: Network, lat: float, lon: float, kind: CenterKind, n: int,
             exclude: str) -> list[Place]:
    pool = [p for p in network.places if p.center.kind is kind and p.slug != exclude
            and p.center.active]
    if not pool or n < 1:
        return []
    km = haversine_km(np.array([lat]), np.array([lon]), np.array([p.lat for p in pool]),
                      np.array([p.lon for p in pool]))[0]
    return [pool[i] for i in np.argsort(km, kind="stable")[:n]]


def _new_place(network: Network, s: OpenCentre) -> Place:
    next_id = max((p.center.id for p in network.places), default=0) + 1
    region = next((p.region for p in network.places if p.center.city == s.city), "")
    names = Names(s.name or s.slug, s.name or s.slug, s.name or s.slug)
    if s.like is not None:
        like = network.place(s.like)
        center = dataclasses.replace(like.center, id=next_id, slug=s.slug, city=s.city,
                                     names=names)
        if s.kind is not None and s.kind is not center.kind:
            raise WhatIfError(f"{s.slug}: kind {s.kind} differs from {s.like}'s")
        windows = tuple(dataclasses.replace(w, id=next_id * 100 + w.number)
                        for w in like.windows)
        place = Place(center, windows, s.lat, s.lon, region)
        if s.windows is not None:
            place = resize(place, s.windows)
    else:
        if s.kind is None or s.windows is None:
            raise WhatIfError(f"{s.slug}: a new centre needs 'like' or both kind and windows")
        latest = parse_time("15:30" if s.kind is CenterKind.SPECIALISED else "17:30")
        center = Center(id=next_id, slug=s.slug, names=names, city=s.city, kind=s.kind,
                        format=CenterFormat.MIXED, latest_booking=latest)
        scope = (WindowScope(all=False, sectors=frozenset({Sector.VEHICLE}))
                 if s.kind is CenterKind.SPECIALISED else WindowScope())
        place = resize(Place(center, (), s.lat, s.lon, region), s.windows, scope)
    if s.format is not None:
        place = dataclasses.replace(place, center=dataclasses.replace(place.center,
                                                                      format=s.format))
    return place


def _open(network: Network, s: OpenCentre) -> Network:
    if not s.slug or any(p.slug == s.slug for p in network.places):
        raise WhatIfError(f"centre {s.slug!r} already exists (or has no slug)")
    if s.windows is not None and s.windows < 1:
        raise WhatIfError(f"{s.slug}: window count must be at least 1, got {s.windows}")
    if s.share is not None and not 0 <= s.share <= 1:
        raise WhatIfError(f"{s.slug}: share must be 0..1, got {s.share}")
    place = _new_place(network, s)
    donors = ([network.place(d) for d in s.takes_share_from] if s.takes_share_from
              else _nearest(network, s.lat, s.lon, place.center.kind, s.nearest, s.slug))
    if not donors:
        raise WhatIfError(f"{s.slug}: no centre of its kind to take visits from")
    if any(d.center.kind is not place.center.kind for d in donors):
        raise WhatIfError(f"{s.slug}: takes visits only from centres of its own kind")
    try:
        model = center_model(place.center, place.windows, network.services)
    except ValueError as exc:
        raise WhatIfError(str(exc)) from None
    share = s.share if s.share is not None else len(place.windows) / (
        len(place.windows) + sum(len(d.windows) for d in donors))
    demand = {slug: dict(v) for slug, v in network.demand.items()}
    mine: dict[str, float] = {}
    offered = set(model.codes)
    for d in donors:
        visits = demand.setdefault(d.slug, {})
        for code, v in visits.items():
            if code in offered:
                mine[code] = mine.get(code, 0.0) + v * share
                visits[code] = v * (1 - share)
    demand[s.slug] = mine
    return dataclasses.replace(network, places=(*network.places, place), demand=demand)


def _close(network: Network, s: CloseCentre) -> Network:
    place = network.place(s.centre)
    takers = _nearest(network, place.lat, place.lon, place.center.kind, s.nearest, s.centre)
    visits = network.visits(s.centre)
    if not takers and any(v > 0 for v in visits.values()):
        raise WhatIfError(f"{s.centre}: no other centre of its kind to take its visits")
    demand = {slug: dict(v) for slug, v in network.demand.items() if slug != s.centre}
    codes = {t.slug: set(center_model(t.center, t.windows, network.services).codes)
             for t in takers}
    for code, v in visits.items():
        able = [t for t in takers if code in codes[t.slug]]
        if not able:
            raise WhatIfError(f"{s.centre}: no nearby centre serves {code}")
        weight = sum(len(t.windows) for t in able)
        for t in able:
            target = demand.setdefault(t.slug, {})
            target[code] = target.get(code, 0.0) + v * len(t.windows) / weight
    places = tuple(p for p in network.places if p.slug != s.centre)
    return dataclasses.replace(network, places=places, demand=demand)


def compare(baseline: Network, variants: Sequence[Variant], days: int = 5,
            seeds: Sequence[int] | int = 10) -> Comparison:
    """Simulates the baseline and every variant over `days` working days on each seed
    (an int n means seeds 0..n-1) and compares them; see whatif_compare."""
    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    names = [v.name for v in variants]
    if len(set(names)) != len(names) or "baseline" in names:
        raise WhatIfError("variant names must be unique and not 'baseline'")
    applied = [(v.name, v.title, apply_all(baseline, v.changes)) for v in variants]
    return compare_networks(baseline, applied, days, seed_list)
