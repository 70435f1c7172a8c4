"""Scenario files (JSON) to variants: the checks live beside the model, so the command, the
pages and the API report the same one-line error.

    {"title": "...", "days": 5, "seeds": 10, "load": 0.8,
     "variants": [
       {"name": "a", "title": "...", "changes": [
          {"type": "set_format", "centre": "almaty-almaly", "format": "booking_only",
           "occupancy_limit": 40, "online_shift": true},
          {"type": "set_windows", "centre": "almaty-spec-1", "delta": 2},
          {"type": "set_windows", "centre": "almaty-spec-2", "count": 8,
           "sectors": ["vehicle"], "codes": []},
          {"type": "scale_demand", "sector": "vehicle", "factor": 1.3, "where": "all"},
          {"type": "open_centre", "slug": "almaty-spec-6", "city": "almaty", "lat": 43.2,
           "lon": 76.9, "like": "almaty-spec-5", "windows": 8, "nearest": 2,
           "takes_share_from": ["almaty-spec-1"], "share": 0.3, "name": "..."},
          {"type": "close_centre", "centre": "...", "nearest": 2}]}]}

`sector: null` in scale_demand scales every sector.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from kezek.core.network import CenterFormat, CenterKind
from kezek.core.registry import Sector
from kezek.planning.whatif import (
    CloseCentre,
    OpenCentre,
    ScaleDemand,
    Scenario,
    SetFormat,
    SetWindows,
    Variant,
)
from kezek.planning.whatif_model import WhatIfError

E = TypeVar("E", CenterFormat, CenterKind, Sector)


@dataclass(frozen=True, slots=True)
class ScenarioFile:
    title: str
    variants: tuple[Variant, ...]
    days: int | None = None
    seeds: int | None = None
    load: float | None = None
    titles: Mapping[str, Mapping[str, str]] | None = None  # variant -> language -> title

    def title_of(self, variant: Variant, lang: str) -> str:
        """The variant's title in `lang`, else English, else the plain title."""
        own = (self.titles or {}).get(variant.name, {})
        return own.get(lang) or own.get("en") or variant.title or variant.name


def _obj(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise WhatIfError(f"{where} must be an object")
    return value


def _int(d: Mapping[str, Any], key: str, where: str, default: int | None = None) -> int | None:
    v = d.get(key, default)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise WhatIfError(f"{where}: '{key}' must be a whole number, got {v!r}")
    return v


def _float(d: Mapping[str, Any], key: str, where: str, default: float | None = None
           ) -> float | None:
    v = d.get(key, default)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise WhatIfError(f"{where}: '{key}' must be a number, got {v!r}")
    return float(v)


def _str(d: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    v = d.get(key, default)
    if not isinstance(v, str) or not v:
        raise WhatIfError(f"{where}: '{key}' is missing or not text")
    return v


def _strs(d: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    v = d.get(key) or []
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise WhatIfError(f"{where}: '{key}' must be a list of text")
    return tuple(v)


def _enum(kind: type[E], value: Any, where: str) -> E:
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(str(x.value) for x in kind)
        raise WhatIfError(f"{where}: unknown value {value!r} (use {known})") from None


def _set_format(d: Mapping[str, Any], where: str) -> Scenario:
    online = d.get("online_shift", True)
    if not isinstance(online, bool):
        raise WhatIfError(f"{where}: 'online_shift' must be true or false")
    return SetFormat(_str(d, "centre", where),
                     _enum(CenterFormat, d.get("format"), f"{where}.format"),
                     _int(d, "occupancy_limit", where), online)


def _set_windows(d: Mapping[str, Any], where: str) -> Scenario:
    count = _int(d, "count", where)
    if count is not None and count < 1:
        raise WhatIfError(f"{where}: 'count' must be at least 1, got {count}")
    return SetWindows(_str(d, "centre", where), _int(d, "delta", where), count,
                      frozenset(_enum(Sector, s, f"{where}.sectors")
                                for s in _strs(d, "sectors", where)),
                      frozenset(_strs(d, "codes", where)))


def _scale(d: Mapping[str, Any], where: str) -> Scenario:
    factor = _float(d, "factor", where, 1.3)
    assert factor is not None
    if factor < 0:
        raise WhatIfError(f"{where}: 'factor' must be >= 0, got {factor:g}")
    sector = d.get("sector", "vehicle")
    return ScaleDemand(factor, None if sector is None else _enum(Sector, sector,
                                                                 f"{where}.sector"),
                       _str(d, "where", where, "all"))


def _open(d: Mapping[str, Any], where: str) -> Scenario:
    lat, lon = _float(d, "lat", where), _float(d, "lon", where)
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise WhatIfError(f"{where}: 'lat' and 'lon' must be degrees")
    windows = _int(d, "windows", where)
    if windows is not None and windows < 1:
        raise WhatIfError(f"{where}: 'windows' must be at least 1, got {windows}")
    nearest = _int(d, "nearest", where, 2)
    assert nearest is not None
    return OpenCentre(
        _str(d, "slug", where), _str(d, "city", where), lat, lon,
        like=d.get("like"), windows=windows,
        kind=None if d.get("kind") is None else _enum(CenterKind, d["kind"], f"{where}.kind"),
        format=None if d.get("format") is None
        else _enum(CenterFormat, d["format"], f"{where}.format"),
        takes_share_from=_strs(d, "takes_share_from", where), nearest=nearest,
        share=_float(d, "share", where), name=d.get("name"))


def _close(d: Mapping[str, Any], where: str) -> Scenario:
    nearest = _int(d, "nearest", where, 2)
    assert nearest is not None
    return CloseCentre(_str(d, "centre", where), nearest)


PARSERS: dict[str, Callable[[Mapping[str, Any], str], Scenario]] = {
    "set_format": _set_format, "set_windows": _set_windows, "scale_demand": _scale,
    "open_centre": _open, "close_centre": _close,
}


def change_from_dict(raw: Any, where: str) -> Scenario:
    d = _obj(raw, where)
    kind = d.get("type")
    parser = PARSERS.get(kind) if isinstance(kind, str) else None
    if parser is None:
        raise WhatIfError(f"{where}: unknown change type {kind!r} "
                          f"(use {', '.join(PARSERS)})")
    return parser(d, where)


def scenario_from_dict(doc: Any) -> ScenarioFile:
    d = _obj(doc, "the scenario file")
    raw = d.get("variants")
    if not isinstance(raw, list) or not raw:
        raise WhatIfError("the scenario file needs a non-empty list 'variants'")
    variants = []
    titles: dict[str, dict[str, str]] = {}
    for n, item in enumerate(raw):
        v = _obj(item, f"variants[{n}]")
        name = _str(v, "name", f"variants[{n}]")
        changes = v.get("changes")
        if not isinstance(changes, list) or not changes:
            raise WhatIfError(f"variant {name}: 'changes' must be a non-empty list")
        title = v.get("title") or ""
        if isinstance(title, Mapping):
            titles[name] = {str(k): str(t) for k, t in title.items()}
            title = titles[name].get("en") or next(iter(titles[name].values()), "")
        variants.append(Variant(name, tuple(change_from_dict(c, f"variant {name}, change {i + 1}")
                                            for i, c in enumerate(changes)), str(title)))
    names = [v.name for v in variants]
    if len(set(names)) != len(names) or "baseline" in names:
        raise WhatIfError("variant names must be unique and not 'baseline'")
    days, seeds = _int(d, "days", "the scenario file"), _int(d, "seeds", "the scenario file")
    load = _float(d, "load", "the scenario file")
    if load is not None and not 0 < load <= 2:
        raise WhatIfError(f"'load' must be in (0, 2], got {load:g}")
    return ScenarioFile(str(d.get("title") or ""), tuple(variants), days, seeds, load, titles)
