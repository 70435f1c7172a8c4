"""Booking policy: quotas per IIN and who may book what where.

Reported practice (domain.md) gives the defaults: one booking per IIN per 10 days,
at most two service types per IIN per day, general and specialised (vehicle) centres
counted separately.  The network sets the policy; a centre may override any field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kezek.core.errors import AlreadyBooked, QuotaExceeded, ServiceNotOffered, ValidationFailed
from kezek.core.network import Center, CenterFormat, CenterKind, Window, window_serves
from kezek.core.registry import Delivery, Service
from kezek.core.release import validate_release


class Privilege(StrEnum):
    PENSIONER = "pensioner"
    LARGE_FAMILY = "large_family"
    DISABILITY = "disability"


@dataclass(frozen=True, slots=True)
class BookingPolicy:
    one_active_per_service: bool = True
    max_bookings: int = 1
    per_days: int = 10
    max_services_per_day: int = 2
    separate_kind_quotas: bool = True
    min_lead_minutes: int = 0
    # Fair release (ADR 13, kezek.core.release): the newest day of the horizon opens at
    # this local time of the centre ("HH:MM"; None: at midnight); a ballot for its first
    # minutes (0: none); a cancelled seat returns to the public after a random delay
    # drawn uniformly from [rerelease_min_minutes, rerelease_max_minutes] (0, 0: at once).
    release_time: str | None = None
    ballot_minutes: int = 0
    rerelease_min_minutes: int = 2
    rerelease_max_minutes: int = 10

    def merged(self, overrides: Mapping[str, Any] | None) -> BookingPolicy:
        """This policy with a centre's overrides applied; unknown keys are refused."""
        if not overrides:
            return self
        names = {f.name for f in dataclasses.fields(self)}
        unknown = set(overrides) - names
        if unknown:
            raise ValidationFailed(detail=f"unknown policy fields: {sorted(unknown)}")
        return validate_policy(dataclasses.replace(self, **dict(overrides)))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def validate_policy(policy: BookingPolicy) -> BookingPolicy:
    if policy.max_bookings < 1 or policy.per_days < 1 or policy.max_services_per_day < 1:
        raise ValidationFailed(detail="quota limits must be at least 1")
    if policy.min_lead_minutes < 0:
        raise ValidationFailed(detail="min_lead_minutes cannot be negative")
    validate_release(policy)
    return policy


@dataclass(frozen=True, slots=True)
class HeldBooking:
    """A booking of the same person that counts against their quota."""

    service_code: str
    start: dt.datetime
    local_date: dt.date
    kind: CenterKind
    status: str


COUNTING_STATUSES = frozenset({"active", "checked_in", "served", "no_show"})


def check_quota(
    policy: BookingPolicy,
    held: Iterable[HeldBooking],
    service: Service,
    kind: CenterKind,
    start: dt.datetime,
    local_date: dt.date,
) -> None:
    """Raises AlreadyBooked or QuotaExceeded if a new booking would break the policy.

    `held` must be read under the person's lock, so that concurrent requests for one IIN
    see each other's bookings; this function only decides.
    """
    same_group = [
        h for h in held
        if h.status in COUNTING_STATUSES and (not policy.separate_kind_quotas or h.kind is kind)
    ]
    if policy.one_active_per_service and any(
        h.service_code == service.code and h.status == "active" for h in same_group
    ):
        raise AlreadyBooked()
    window = dt.timedelta(days=policy.per_days)
    near = [h for h in same_group if abs(h.start - start) < window]
    if len(near) >= policy.max_bookings:
        raise QuotaExceeded(rule="per_period", limit=policy.max_bookings, days=policy.per_days)
    same_day = {h.service_code for h in same_group if h.local_date == local_date}
    if service.code not in same_day and len(same_day) >= policy.max_services_per_day:
        raise QuotaExceeded(rule="per_day", limit=policy.max_services_per_day)


def eligible_windows(
    center: Center,
    service: Service,
    windows: Sequence[Window],
    privilege: Privilege | None,
) -> list[Window]:
    """Windows that may take this person for this service, in the order to try them.

    Online services at a booking-only centre, and portal-only services anywhere, are
    kept for privileged people at privilege windows: everyone else is sent online.
    Privileged people try privilege windows first; others never take them.
    """
    if not service.active or not center.active:
        raise ServiceNotOffered(reason="not_here")
    serving = [w for w in windows if window_serves(w, service, center)]
    if not serving:
        raise ServiceNotOffered(reason="not_here")
    online_only_here = service.delivery is Delivery.ONLINE or (
        center.format is CenterFormat.BOOKING_ONLY and service.online
    )
    privileged = [w for w in serving if w.privilege]
    regular = [w for w in serving if not w.privilege]
    if online_only_here:
        if privilege is None:
            raise ServiceNotOffered(reason="online")
        if not privileged:
            raise ServiceNotOffered(reason="no_privilege_window")
        return privileged
    if privilege is not None:
        return privileged + regular
    if not regular:
        raise ServiceNotOffered(reason="privilege_only")
    return regular
