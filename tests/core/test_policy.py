"""Booking policy: quotas per IIN and which windows may take whom."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kezek.core.errors import AlreadyBooked, QuotaExceeded, ServiceNotOffered, ValidationFailed
from kezek.core.network import (
    Center,
    CenterFormat,
    CenterKind,
    Window,
    WindowScope,
    center_offers_kind,
    window_serves,
)
from kezek.core.policy import (
    COUNTING_STATUSES,
    BookingPolicy,
    HeldBooking,
    Privilege,
    check_quota,
    eligible_windows,
    validate_policy,
)
from kezek.core.registry import Delivery, Names, Sector, Service

ALMATY = ZoneInfo("Asia/Almaty")
T0 = dt.datetime(2025, 6, 2, 10, 0, tzinfo=ALMATY)
GENERAL = CenterKind.GENERAL
SPECIALISED = CenterKind.SPECIALISED
ALL_STATUSES = ("active", "cancelled", "checked_in", "served", "no_show", "expired")


def service(code: str = "10000001", **kw: Any) -> Service:
    base: dict[str, Any] = {
        "code": code,
        "names": Names(kk="Қызмет", ru="Услуга", en="Service"),
        "sector": Sector.IDENTITY,
        "delivery": Delivery.PAPER,
    }
    base.update(kw)
    return Service(**base)


def held(
    code: str = "10000001",
    start: dt.datetime = T0,
    kind: CenterKind = GENERAL,
    status: str = "active",
) -> HeldBooking:
    return HeldBooking(code, start, start.astimezone(ALMATY).date(), kind, status)


def quota(
    policy: BookingPolicy,
    bookings: list[HeldBooking],
    svc: Service,
    start: dt.datetime,
    kind: CenterKind = GENERAL,
) -> None:
    check_quota(policy, bookings, svc, kind, start, start.astimezone(ALMATY).date())


# --- check_quota ------------------------------------------------------------------------------


def test_empty_history_passes() -> None:
    quota(BookingPolicy(), [], service(), T0)


def test_already_booked_same_service() -> None:
    far = T0 + dt.timedelta(days=30)  # outside the 10-day window: the active rule alone bites
    with pytest.raises(AlreadyBooked):
        quota(BookingPolicy(), [held(start=T0)], service(), far)


def test_already_booked_only_when_active() -> None:
    far = T0 + dt.timedelta(days=30)
    for status in ("served", "checked_in", "no_show", "cancelled", "expired"):
        quota(BookingPolicy(), [held(start=T0, status=status)], service(), far)


def test_one_active_per_service_can_be_switched_off() -> None:
    policy = BookingPolicy(one_active_per_service=False)
    quota(policy, [held(start=T0)], service(), T0 + dt.timedelta(days=30))


@pytest.mark.parametrize(("days", "allowed"), [(9, False), (10, True), (11, True)])
def test_per_period_ten_day_window(days: int, allowed: bool) -> None:
    other = service("20000002")
    for direction in (1, -1):
        start = T0 + direction * dt.timedelta(days=days)
        if allowed:
            quota(BookingPolicy(), [held(start=T0)], other, start)
        else:
            with pytest.raises(QuotaExceeded) as exc:
                quota(BookingPolicy(), [held(start=T0)], other, start)
            assert exc.value.params == {"rule": "per_period", "limit": 1, "days": 10}


def test_per_period_just_under_ten_days_refused() -> None:
    start = T0 + dt.timedelta(days=10) - dt.timedelta(minutes=15)
    with pytest.raises(QuotaExceeded):
        quota(BookingPolicy(), [held(start=T0)], service("20000002"), start)


def test_per_period_counts_up_to_max_bookings() -> None:
    policy = BookingPolicy(max_bookings=3, max_services_per_day=10)
    two = [held("1", T0), held("2", T0 + dt.timedelta(days=1))]
    quota(policy, two, service("3"), T0 + dt.timedelta(days=2))
    three = [*two, held("3", T0 + dt.timedelta(days=2))]
    with pytest.raises(QuotaExceeded):
        quota(policy, three, service("4"), T0 + dt.timedelta(days=3))


@pytest.mark.parametrize("status", ["served", "checked_in", "no_show"])
def test_non_active_counting_statuses_count(status: str) -> None:
    with pytest.raises(QuotaExceeded):
        quota(BookingPolicy(), [held(status=status)], service("2"), T0 + dt.timedelta(days=1))


@pytest.mark.parametrize("status", ["cancelled", "expired"])
def test_cancelled_and_expired_do_not_count(status: str) -> None:
    same_day = T0 + dt.timedelta(hours=1)
    bookings = [held(status=status), held("2", status=status), held("3", status=status)]
    quota(BookingPolicy(), bookings, service(), same_day)
    quota(BookingPolicy(), bookings, service("4"), same_day)


def test_per_day_distinct_service_types() -> None:
    policy = BookingPolicy(max_bookings=10, one_active_per_service=False)
    day = [held("1", T0), held("2", T0 + dt.timedelta(hours=1))]
    later = T0 + dt.timedelta(hours=2)
    with pytest.raises(QuotaExceeded) as exc:
        quota(policy, day, service("3"), later)
    assert exc.value.params == {"rule": "per_day", "limit": 2}
    # a type already held that day is not a new type
    quota(policy, day, service("1"), later)
    # and the next day is a new day
    quota(policy, day, service("3"), T0 + dt.timedelta(days=1))


def test_per_day_limit_is_configurable() -> None:
    policy = BookingPolicy(max_bookings=10, max_services_per_day=1)
    with pytest.raises(QuotaExceeded):
        quota(policy, [held("1", T0)], service("2"), T0 + dt.timedelta(hours=1))
    quota(policy.merged({"max_services_per_day": 2}), [held("1", T0)], service("2"),
          T0 + dt.timedelta(hours=1))


def test_separate_kind_quotas() -> None:
    vehicle = service("30000003", sector=Sector.VEHICLE, specialised_only=True)
    general_booking = [held("1", T0, kind=GENERAL)]
    soon = T0 + dt.timedelta(days=1)
    quota(BookingPolicy(separate_kind_quotas=True), general_booking, vehicle, soon, SPECIALISED)
    with pytest.raises(QuotaExceeded):
        quota(BookingPolicy(separate_kind_quotas=False), general_booking, vehicle, soon,
              SPECIALISED)


def test_separate_kinds_also_separate_already_booked() -> None:
    far = T0 + dt.timedelta(days=30)
    quota(BookingPolicy(), [held(kind=SPECIALISED)], service(), far, GENERAL)
    with pytest.raises(AlreadyBooked):
        quota(BookingPolicy(separate_kind_quotas=False), [held(kind=SPECIALISED)], service(),
              far, GENERAL)


# --- merged / validate ------------------------------------------------------------------------


def test_merged_overrides() -> None:
    base = BookingPolicy()
    got = base.merged({"max_bookings": 2, "per_days": 7, "separate_kind_quotas": False})
    assert got == BookingPolicy(max_bookings=2, per_days=7, separate_kind_quotas=False)
    assert base == BookingPolicy()  # unchanged
    assert base.merged(None) is base
    assert base.merged({}) is base


def test_merged_refuses_unknown_keys() -> None:
    with pytest.raises(ValidationFailed) as exc:
        BookingPolicy().merged({"max_bookings": 2, "bookings_per_fortnight": 1})
    assert "bookings_per_fortnight" in exc.value.params["detail"]


@pytest.mark.parametrize(
    "override",
    [
        {"max_bookings": 0},
        {"per_days": 0},
        {"max_services_per_day": 0},
        {"per_days": -10},
        {"min_lead_minutes": -1},
    ],
)
def test_merged_refuses_invalid_values(override: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        BookingPolicy().merged(override)


def test_defaults_follow_domain_and_to_dict() -> None:
    p = validate_policy(BookingPolicy())
    assert (p.max_bookings, p.per_days, p.max_services_per_day) == (1, 10, 2)
    assert p.separate_kind_quotas is True
    d = p.to_dict()
    assert d["per_days"] == 10
    assert BookingPolicy(**d) == p


# --- eligible_windows -------------------------------------------------------------------------

REG = Window(id=1, number=1)
PRIV = Window(id=2, number=2, privilege=True)
REG2 = Window(id=3, number=3)
OFF = Window(id=4, number=4, active=False)
OFF_PRIV = Window(id=5, number=5, privilege=True, active=False)
WINDOWS = [REG, PRIV, REG2, OFF, OFF_PRIV]


def centre(
    fmt: CenterFormat = CenterFormat.MIXED, kind: CenterKind = GENERAL, **kw: Any
) -> Center:
    return Center(
        id=1, slug="kokshetau-1", names=Names("Көкшетау", "Кокшетау", "Kokshetau"),
        city="kokshetau", kind=kind, format=fmt, **kw,
    )


def _reason_of(c: Center, svc: Service, windows: list[Window], p: Privilege | None) -> object:
    with pytest.raises(ServiceNotOffered) as exc:
        eligible_windows(c, svc, windows, p)
    return exc.value.params.get("reason")


def test_booking_only_online_service_without_privilege_sent_online() -> None:
    svc = service(delivery=Delivery.BOTH)
    assert _reason_of(centre(CenterFormat.BOOKING_ONLY), svc, WINDOWS, None) == "online"


@pytest.mark.parametrize("privilege", list(Privilege))
def test_booking_only_online_service_with_privilege(privilege: Privilege) -> None:
    svc = service(delivery=Delivery.BOTH)
    got = eligible_windows(centre(CenterFormat.BOOKING_ONLY), svc, WINDOWS, privilege)
    assert got == [PRIV]


def test_portal_only_service_at_mixed_centre() -> None:
    svc = service(delivery=Delivery.ONLINE)
    assert _reason_of(centre(CenterFormat.MIXED), svc, WINDOWS, None) == "online"
    assert eligible_windows(centre(), svc, WINDOWS, Privilege.PENSIONER) == [PRIV]


def test_online_service_without_privilege_window() -> None:
    svc = service(delivery=Delivery.ONLINE)
    got = _reason_of(centre(), svc, [REG, REG2, OFF_PRIV], Privilege.DISABILITY)
    assert got == "no_privilege_window"


def test_both_delivery_at_mixed_centre_is_served_normally() -> None:
    svc = service(delivery=Delivery.BOTH)
    assert eligible_windows(centre(), svc, WINDOWS, None) == [REG, REG2]
    assert eligible_windows(centre(), svc, WINDOWS, Privilege.LARGE_FAMILY) == [PRIV, REG, REG2]


@pytest.mark.parametrize("fmt", list(CenterFormat))
def test_paper_service(fmt: CenterFormat) -> None:
    svc = service(delivery=Delivery.PAPER)
    assert eligible_windows(centre(fmt), svc, WINDOWS, None) == [REG, REG2]
    got = eligible_windows(centre(fmt), svc, WINDOWS, Privilege.PENSIONER)
    assert got == [PRIV, REG, REG2]
    # privilege windows come first whatever order the windows are listed in
    reordered = [REG2, OFF, REG, PRIV]
    assert eligible_windows(centre(fmt), svc, reordered, Privilege.PENSIONER) == [PRIV, REG2, REG]


def test_paper_service_with_only_privilege_windows() -> None:
    svc = service(delivery=Delivery.PAPER)
    assert _reason_of(centre(), svc, [PRIV, OFF], None) == "privilege_only"
    assert eligible_windows(centre(), svc, [PRIV, OFF], Privilege.PENSIONER) == [PRIV]


def test_specialised_service_at_general_centre_not_offered() -> None:
    vehicle = service(sector=Sector.VEHICLE, specialised_only=True)
    assert _reason_of(centre(), vehicle, WINDOWS, None) == "not_here"
    assert _reason_of(centre(), vehicle, WINDOWS, Privilege.PENSIONER) == "not_here"
    auto = centre(kind=SPECIALISED)
    assert eligible_windows(auto, vehicle, WINDOWS, None) == [REG, REG2]
    # and a general service at a specialised centre is not offered either
    assert _reason_of(auto, service(), WINDOWS, None) == "not_here"


def test_inactive_service_or_centre_not_offered() -> None:
    assert _reason_of(centre(), service(active=False), WINDOWS, None) == "not_here"
    assert _reason_of(centre(active=False), service(), WINDOWS, None) == "not_here"


def test_inactive_windows_ignored() -> None:
    assert _reason_of(centre(), service(), [OFF, OFF_PRIV], None) == "not_here"
    assert _reason_of(centre(), service(), [], Privilege.PENSIONER) == "not_here"
    got = eligible_windows(centre(), service(), WINDOWS, Privilege.PENSIONER)
    assert OFF not in got and OFF_PRIV not in got


def test_window_scope_by_sector_and_code() -> None:
    land = Window(id=10, number=10, scope=WindowScope(all=False, sectors=frozenset({Sector.LAND})))
    coded = Window(id=11, number=11, scope=WindowScope(all=False, codes=frozenset({"10000001"})))
    nothing = Window(id=12, number=12, scope=WindowScope(all=False))
    windows = [land, coded, nothing]
    assert eligible_windows(centre(), service("10000001"), windows, None) == [coded]
    land_service = service("10000002", sector=Sector.LAND)
    assert eligible_windows(centre(), land_service, windows, None) == [land]
    both = service("10000001", sector=Sector.LAND)
    assert eligible_windows(centre(), both, windows, None) == [land, coded]
    assert _reason_of(centre(), service("10000003"), windows, None) == "not_here"


def test_window_serves_and_center_offers_kind() -> None:
    vehicle = service(sector=Sector.VEHICLE, specialised_only=True)
    assert center_offers_kind(centre(kind=SPECIALISED), vehicle)
    assert not center_offers_kind(centre(kind=SPECIALISED), service())
    assert center_offers_kind(centre(), service())
    assert not center_offers_kind(centre(), vehicle)
    assert window_serves(REG, service(), centre())
    assert not window_serves(OFF, service(), centre())
    assert not window_serves(REG, service(active=False), centre())
    assert not window_serves(REG, vehicle, centre())


# --- properties -------------------------------------------------------------------------------

CODES = ["1", "2", "3", "4"]

_held = st.builds(
    held,
    code=st.sampled_from(CODES),
    start=st.integers(-40 * 24 * 4, 40 * 24 * 4).map(lambda q: T0 + dt.timedelta(minutes=15 * q)),
    kind=st.sampled_from([GENERAL, SPECIALISED]),
    status=st.sampled_from(ALL_STATUSES),
)
_policies = st.builds(
    BookingPolicy,
    one_active_per_service=st.booleans(),
    max_bookings=st.integers(1, 4),
    per_days=st.integers(1, 15),
    max_services_per_day=st.integers(1, 3),
    separate_kind_quotas=st.booleans(),
)
_new_start = st.integers(-3 * 24 * 4, 3 * 24 * 4).map(lambda q: T0 + dt.timedelta(minutes=15 * q))


def _group(
    policy: BookingPolicy, bookings: list[HeldBooking], kind: CenterKind
) -> list[HeldBooking]:
    return [
        h for h in bookings
        if h.status in COUNTING_STATUSES and (not policy.separate_kind_quotas or h.kind == kind)
    ]


def _passes(policy: BookingPolicy, bookings: list[HeldBooking], svc: Service,
            kind: CenterKind, start: dt.datetime) -> bool:
    try:
        quota(policy, bookings, svc, start, kind)
    except (AlreadyBooked, QuotaExceeded):
        return False
    return True


@given(_policies, st.lists(_held, max_size=8), st.sampled_from(CODES), _new_start,
       st.sampled_from([GENERAL, SPECIALISED]))
@settings(max_examples=400)
def test_accepted_booking_keeps_every_window_within_quota(
    policy: BookingPolicy, bookings: list[HeldBooking], code: str, start: dt.datetime,
    kind: CenterKind,
) -> None:
    svc = service(code)
    if not _passes(policy, bookings, svc, kind, start):
        return
    group = _group(policy, bookings, kind)
    width = dt.timedelta(days=policy.per_days)
    times = [h.start for h in group] + [start]
    # Every window of length per_days holding the new start, anchored at any booking time,
    # on either side, holds at most max_bookings counted bookings including the new one.
    anchors = [a for t in times for a in (t, t - width + dt.timedelta(microseconds=1))]
    for a in anchors:
        if not a <= start < a + width:
            continue
        inside = sum(1 for t in times if a <= t < a + width)
        assert inside <= policy.max_bookings
    # a new service type on the day is only taken while the day is under its type limit
    # (the held set is arbitrary, so it may already exceed it with types the new one repeats)
    day = start.astimezone(ALMATY).date()
    before = {h.service_code for h in group if h.local_date == day}
    if code not in before:
        assert len(before | {code}) <= policy.max_services_per_day
    # and never a second active booking of the same service
    if policy.one_active_per_service:
        assert not any(h.service_code == code and h.status == "active" for h in group)


@given(_policies, st.lists(_held, max_size=8), st.sampled_from(CODES), _new_start,
       st.sampled_from([GENERAL, SPECIALISED]))
@settings(max_examples=400)
def test_quota_decision_matches_reference(
    policy: BookingPolicy, bookings: list[HeldBooking], code: str, start: dt.datetime,
    kind: CenterKind,
) -> None:
    group = _group(policy, bookings, kind)
    width = dt.timedelta(days=policy.per_days)
    day = start.astimezone(ALMATY).date()
    dup = policy.one_active_per_service and any(
        h.service_code == code and h.status == "active" for h in group
    )
    near = sum(1 for h in group if -width < h.start - start < width)
    types = {h.service_code for h in group if h.local_date == day}
    expected_ok = (
        not dup and near < policy.max_bookings
        and (code in types or len(types) < policy.max_services_per_day)
    )
    assert _passes(policy, bookings, service(code), kind, start) == expected_ok
    # cancelled and expired bookings never change the decision
    counting = [h for h in bookings if h.status in COUNTING_STATUSES]
    assert _passes(policy, counting, service(code), kind, start) == expected_ok


def test_dataclass_policy_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(BookingPolicy(), "max_bookings", 5)  # noqa: B010
