"""Request and response bodies of the public API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field

from kezek import clock
from kezek.app.convert import iso_local
from kezek.core import release as release_rules
from kezek.core.booking import display_code
from kezek.core.policy import BookingPolicy, Privilege
from kezek.core.registry import Service
from kezek.store.models import BookingRow, CenterRow, CityRow

ChannelName = Literal["web", "bot", "call_centre", "door"]


# A row id in a path: the columns are 32-bit, so a larger number is a 422 here, not a
# database error (2147483648 was a 500 on PostgreSQL).
MAX_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
CenterId = RowId
# The same bound for an id in a JSON body and in a query string (an optional filter).
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
CenterQuery = Annotated[int, Query(ge=1, le=MAX_ID)]  # a required id in a query
# A wall-clock time of a schedule, as the network document writes it.
HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Request examples (ADR 0022): the OpenAPI document shows one per request body, and
# schemathesis sends them first. Made-up people: the IINs pass the check digit (the API
# would refuse them otherwise) and are the tests' own; the number is a Kazakh mobile.
EXAMPLE_IIN = "900101300017"
EXAMPLE_OTHER_IIN = "850715400129"
EXAMPLE_PHONE = "+77015550123"
EXAMPLE_START = "2027-03-15T10:20:00+05:00"  # a Monday morning slot, Kazakhstan time


def example(**fields: Any) -> ConfigDict:
    """The model's example request body (merged with the base class's config)."""
    return ConfigDict(json_schema_extra={"examples": [fields]})


class NamesOut(BaseModel):
    kk: str
    ru: str
    en: str


class StandardOut(BaseModel):
    slot_minutes: int
    max_wait_minutes: int
    max_service_minutes: int
    fee_mci: float
    term_days: int


class ServiceOut(BaseModel):
    code: str
    name: str
    names: NamesOut
    sector: str
    delivery: Literal["online", "paper", "both"]
    online: bool
    specialised_only: bool
    standard: StandardOut
    active: bool
    situation: str = Field(description="The registry subsection (life situation): the "
                                       "code's first four digits; see /api/v1/situations.")
    documents: list[str] = Field(description="What to bring, in the asked language.")

    @classmethod
    def of(cls, s: Service, lang: str) -> ServiceOut:
        st = s.standard
        return cls(
            code=s.code, name=s.names.get(lang),
            names=NamesOut(kk=s.names.kk, ru=s.names.ru, en=s.names.en),
            sector=s.sector.value, delivery=s.delivery.value, online=s.online,
            specialised_only=s.specialised_only,
            standard=StandardOut(slot_minutes=st.slot_minutes,
                                 max_wait_minutes=st.max_wait_minutes,
                                 max_service_minutes=st.max_service_minutes,
                                 fee_mci=st.fee_mci, term_days=st.term_days),
            active=s.active, situation=s.situation, documents=list(s.documents.get(lang)))


def _pick(row: Any, prefix: str, lang: str) -> str:
    value: str = getattr(row, f"{prefix}_{lang}", "") or getattr(row, f"{prefix}_ru", "")
    return value


class CenterOut(BaseModel):
    id: int
    slug: str
    name: str
    city: str
    city_name: str
    region: str
    kind: Literal["general", "specialised"]
    format: Literal["booking_only", "mixed"]
    address: str
    lat: float | None
    lon: float | None
    timezone: str
    occupancy_limit: int | None
    slot_capacity: int | None = Field(None, description="people per slot across the centre")
    horizon_days: int
    latest_booking: str
    slot_minutes: int
    schedule: dict[str, Any]
    active: bool
    release_time: str | None = Field(None, description="local time at which the newest "
                                     "day of the horizon opens (null: midnight)")
    ballot_minutes: int = Field(0, description="minutes of ballot after each opening")
    next_opening: str | None = Field(None, description="when the next day opens, ISO 8601 "
                                     "with the centre's offset, if it has not yet")

    @classmethod
    def of(cls, c: CenterRow, city: CityRow, lang: str, policy: BookingPolicy | None = None,
           now: dt.datetime | None = None) -> CenterOut:
        release: dict[str, Any] = {}
        if policy is not None:
            release = {"release_time": policy.release_time,
                       "ballot_minutes": policy.ballot_minutes,
                       "next_opening": release_rules.next_opening_iso(
                           c.timezone, policy, now or clock.now())}
        return cls(**release,
            id=c.id, slug=c.slug, name=_pick(c, "name", lang), city=c.city,
            city_name=_pick(city, "name", lang), region=city.region, kind=c.kind,  # type: ignore[arg-type]
            format=c.format, address=_pick(c, "address", lang), lat=c.lat, lon=c.lon,  # type: ignore[arg-type]
            timezone=c.timezone, occupancy_limit=c.occupancy_limit, slot_capacity=c.slot_capacity,
            horizon_days=c.horizon_days, latest_booking=c.latest_booking,
            slot_minutes=c.slot_minutes, schedule=c.schedule, active=c.active)


class SlotOut(BaseModel):
    start: str = Field(description="ISO 8601 with the centre's UTC offset")
    free: int


class BookingIn(Strict):
    iin: str = Field(min_length=1, max_length=32, description="the applicant's 12-digit IIN")
    service: str = Field(min_length=1, max_length=16, description="8-digit service code")
    center: BodyId
    start: dt.datetime = Field(description="slot start, ISO 8601 with offset")
    channel: ChannelName = "web"
    privilege: Privilege | None = None
    identity_checked: bool = Field(False, description=(
        "call_centre only: the operator checked the caller's identity (questions asked)"))
    model_config = example(iin=EXAMPLE_IIN, service="01010001", center=1,
                           start=EXAMPLE_START, channel="web")


class IinIn(Strict):
    iin: str = Field(min_length=1, max_length=32)
    model_config = example(iin=EXAMPLE_IIN)


class RescheduleIn(Strict):
    iin: str = Field(min_length=1, max_length=32)
    start: dt.datetime
    center: BodyId | None = None
    channel: ChannelName | None = None
    identity_checked: bool = False
    model_config = example(iin=EXAMPLE_IIN, start="2027-03-16T11:40:00+05:00")


class BookingOut(BaseModel):
    code: str
    code_display: str
    iin_masked: str
    service: str
    center: int
    start: str
    end: str = Field(description="when the visit's block ends: a service longer than one "
                                 "slot holds its window for consecutive slots")
    status: str
    channel: str
    privilege: str | None
    privilege_status: str | None = Field(
        None, description="verified (by the registry) or claimed (the door checks the "
                          "document), then confirmed or rejected at the door")

    @classmethod
    def of(cls, b: BookingRow, tz: str) -> BookingOut:
        return cls(code=b.code, code_display=display_code(b.code), iin_masked=b.iin_masked,
                   service=b.service_code, center=b.center_id, start=iso_local(b.start_utc, tz),
                   end=iso_local(b.end_utc, tz), status=b.status, channel=b.channel,
                   privilege=b.privilege, privilege_status=b.privilege_status)


class StatusOut(BaseModel):
    code: str
    status: str
