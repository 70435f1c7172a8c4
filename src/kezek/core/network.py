"""The network: regions, cities, centres, windows, and which window serves what."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from kezek.core.registry import Names, Sector, Service
from kezek.core.schedule import WeeklySchedule


class CenterKind(StrEnum):
    GENERAL = "general"
    SPECIALISED = "specialised"  # vehicle registration centres (autoPSC)


class CenterFormat(StrEnum):
    BOOKING_ONLY = "booking_only"  # the Kokshetau pilot: no service without a booking
    MIXED = "mixed"  # the old format: walk-in queue plus bookings


class CityKind(StrEnum):
    CITY = "city"
    DISTRICT = "district"


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # ISO 3166-2:KZ, e.g. "KZ-11"
    names: Names
    seat: str  # the administrative centre's name (English)


@dataclass(frozen=True, slots=True)
class City:
    slug: str
    region: str
    names: Names
    kind: CityKind = CityKind.CITY


@dataclass(frozen=True, slots=True)
class WindowScope:
    """What a window serves: everything the centre offers, some sectors, or listed codes."""

    all: bool = True
    sectors: frozenset[Sector] = frozenset()
    codes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Window:
    id: int
    number: int
    privilege: bool = False
    scope: WindowScope = field(default_factory=WindowScope)
    seats: int = 1  # people per slot at this window
    active: bool = True


@dataclass(frozen=True, slots=True)
class Center:
    id: int
    slug: str
    names: Names
    city: str
    kind: CenterKind
    format: CenterFormat
    timezone: str = "Asia/Almaty"
    schedule: WeeklySchedule = field(default_factory=WeeklySchedule.standard)
    occupancy_limit: int | None = None
    slot_capacity: int | None = None  # people per slot across the centre (small groups)
    horizon_days: int = 10
    latest_booking: dt.time = dt.time(17, 30)
    slot_minutes: int = 15
    active: bool = True


def center_offers_kind(center: Center, service: Service) -> bool:
    """A specialised centre serves only specialised services; a general one, the rest."""
    return service.specialised_only == (center.kind is CenterKind.SPECIALISED)


def window_serves(window: Window, service: Service, center: Center) -> bool:
    """Whether a window can take a service at all (privilege rules are the policy's)."""
    if not window.active or not service.active or not center_offers_kind(center, service):
        return False
    scope = window.scope
    if scope.all:
        return True
    return service.code in scope.codes or service.sector in scope.sectors
