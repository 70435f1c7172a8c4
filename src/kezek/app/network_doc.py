"""The network document's shape, typed: what `network import` accepts, checked before a row.

The document is how an admin moves a whole network between deployments (the demo's
format, the export's output). Its shape is checked here, whole, before anything is
written: a list where an object belongs, a missing slug, a date that is not one, a
key nobody knows (a typo that would otherwise be dropped silently), a name longer than
its column. The API takes this model as its request body, so the OpenAPI document
shows the format and a wrong shape is a 422 with the field's path; the command line and
the demo load go through the same model. Values that need the catalog or the rules
(a known region, a city that exists, a schedule's hours, a centre's policy) are checked
where those rules live, as before.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from kezek.core.errors import ValidationFailed
from kezek.core.network import CityKind
from kezek.logs import redact

Slug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                                        pattern=r"^[A-Za-z0-9_.-]+$")]
Text = Annotated[str, StringConstraints(max_length=300)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
DayHours = list[str] | None


class _Doc(BaseModel):
    """Unknown keys are refused: a misspelt key would otherwise be ignored in silence."""

    model_config = ConfigDict(extra="forbid")


class Names(_Doc):
    kk: Text = ""
    ru: Text = ""
    en: Text = ""


class CityDoc(_Doc):
    slug: Slug
    region: Annotated[str, StringConstraints(max_length=8)]
    kind: CityKind = CityKind.CITY
    names: Names = Names()


class ScopeDoc(_Doc):
    sectors: list[Annotated[str, StringConstraints(max_length=40)]] = []
    codes: list[Annotated[str, StringConstraints(max_length=20)]] = []


class WindowDoc(_Doc):
    number: Annotated[int, Field(ge=1, le=9999)]
    privilege: bool = False
    seats: Annotated[int, Field(ge=1, le=100)] = 1
    scope: Literal["all"] | ScopeDoc = "all"

    def scope_json(self) -> Any:
        """The scope as the window columns' parser takes it ("all" or the object)."""
        if isinstance(self.scope, ScopeDoc):
            return self.scope.model_dump(exclude_defaults=True)
        return self.scope


class CenterDoc(_Doc):
    slug: Slug
    city: Slug
    kind: Annotated[str, StringConstraints(max_length=20)]
    format: Annotated[str, StringConstraints(max_length=20)]
    names: Names = Names()
    address: Names = Names()
    lat: Latitude | None = None
    lon: Longitude | None = None
    timezone: Annotated[str, StringConstraints(max_length=64)] = "Asia/Almaty"
    occupancy_limit: Annotated[int, Field(ge=1, le=100_000)] | None = None
    slot_capacity: Annotated[int, Field(ge=1, le=10_000)] | None = None
    horizon_days: Annotated[int, Field(ge=1, le=366)] = 10
    latest_booking: Annotated[str, StringConstraints(max_length=5)] = "17:30"
    slot_minutes: Annotated[int, Field(ge=1, le=366)] = 15
    schedule: dict[str, DayHours] | None = None
    policy: dict[str, Any] | None = None
    floor: dict[str, Any] | None = None
    windows: list[WindowDoc] = []


class PointDoc(_Doc):
    slug: Slug
    city: Slug
    names: Names = Names()
    address: Names = Names()
    lat: Latitude | None = None
    lon: Longitude | None = None
    hours: dict[str, DayHours] | None = None


class HolidayDoc(_Doc):
    date: dt.date
    names: Names = Names()


class NetworkDoc(_Doc):
    """A whole network, or a part of it: every key may be left out.

    `no_show_rule` absent leaves the rule as it is; `null` turns it off (so the model
    remembers which keys were given: `model_fields_set`).
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "cities": [{"slug": "kokshetau", "region": "KZ-11", "kind": "city",
                    "names": {"kk": "Көкшетау", "ru": "Кокшетау", "en": "Kokshetau"}}],
        "centers": [{"slug": "kokshetau-1", "city": "kokshetau", "kind": "general",
                     "format": "booking_only",
                     "names": {"kk": "Көкшетау №1 ХҚКО", "ru": "ЦОН №1 г. Кокшетау",
                               "en": "Kokshetau PSC No. 1"},
                     "address": {"kk": "Абай көшесі, 96", "ru": "ул. Абая, 96",
                                 "en": "96 Abai Street"},
                     "lat": 53.2853, "lon": 69.3857, "slot_minutes": 15,
                     "schedule": {"mon": ["09:00", "18:00"], "sat": None, "sun": None},
                     "windows": [{"number": 1, "scope": "all"},
                                 {"number": 2, "privilege": True,
                                  "scope": {"sectors": ["identity"]}}]}],
        "holidays": [{"date": "2027-03-22",
                      "names": {"kk": "Наурыз", "ru": "Наурыз", "en": "Nauryz"}}],
    }]})

    privilege_policy: dict[str, Any] | None = None
    policy: dict[str, Any] | None = None
    cities: list[CityDoc] = []
    centers: list[CenterDoc] = []
    self_service_points: list[PointDoc] = []
    holidays: list[HolidayDoc] = []
    no_show_rule: dict[str, Any] | None = None


def parse_document(doc: object) -> NetworkDoc:
    """A document read from a file or built in code, checked as the API checks its body.

    A wrong shape is a ValidationFailed naming the first few fields at fault (their
    paths, like `centers.3.windows.0.number`), so a file is refused whole in one line.
    """
    if isinstance(doc, NetworkDoc):
        return doc
    try:
        return NetworkDoc.model_validate(doc)
    except ValidationError as exc:
        raise ValidationFailed(detail=describe(exc)) from exc


def describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{loc or 'document'}: {err.get('msg', 'invalid')}")
    more = len(exc.errors()) - 3
    # A key is the sender's text too: never echo an IIN sent as one.
    return redact("; ".join(parts) + (f" (and {more} more)" if more > 0 else ""))
