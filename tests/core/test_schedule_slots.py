"""Opening hours and the bookable slot starts they generate."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kezek.core.errors import OutsideSchedule
from kezek.core.network import Center, CenterFormat, CenterKind
from kezek.core.registry import Names
from kezek.core.schedule import (
    DayException,
    Hours,
    WeeklySchedule,
    hours_on,
    parse_time,
)
from kezek.core.slots import (
    block_end,
    bookable_days,
    check_start,
    day_starts,
    local_today,
    slots_needed,
)

ALMATY = ZoneInfo("Asia/Almaty")
MONDAY = dt.date(2025, 6, 2)
SATURDAY = MONDAY + dt.timedelta(days=5)
SUNDAY = MONDAY + dt.timedelta(days=6)
NO_EXC: dict[dt.date, DayException] = {}
NO_HOLIDAYS: frozenset[dt.date] = frozenset()


def center(**kw: Any) -> Center:
    base = Center(
        id=1,
        slug="almaty-alatau",
        names=Names(kk="Алатау ХҚО", ru="ЦОН Алатауского района", en="Alatau PSC"),
        city="almaty",
        kind=CenterKind.GENERAL,
        format=CenterFormat.MIXED,
    )
    return dataclasses.replace(base, **kw)


def local(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), ALMATY)


# --- WeeklySchedule ---------------------------------------------------------------------------


def test_standard_week() -> None:
    week = WeeklySchedule.standard()
    for day in week.days[:5]:
        assert day == Hours(dt.time(9), dt.time(18))
    assert week.days[5] is None and week.days[6] is None


def test_duty_week() -> None:
    week = WeeklySchedule.duty()
    for day in week.days[:5]:
        assert day == Hours(dt.time(9), dt.time(20))
    assert week.days[5] == Hours(dt.time(9), dt.time(13))
    assert week.days[6] is None


def test_to_dict() -> None:
    assert WeeklySchedule.duty().to_dict() == {
        "mon": ["09:00", "20:00"], "tue": ["09:00", "20:00"], "wed": ["09:00", "20:00"],
        "thu": ["09:00", "20:00"], "fri": ["09:00", "20:00"], "sat": ["09:00", "13:00"],
        "sun": None,
    }


@pytest.mark.parametrize("week", [WeeklySchedule.standard(), WeeklySchedule.duty()])
def test_dict_round_trip(week: WeeklySchedule) -> None:
    assert WeeklySchedule.from_dict(week.to_dict()) == week


def test_from_dict_missing_days_are_closed_and_tuples_accepted() -> None:
    week = WeeklySchedule.from_dict({"tue": ("8:30", " 12:15 "), "sun": None})
    assert week.days[1] == Hours(dt.time(8, 30), dt.time(12, 15))
    assert [d is None for d in week.days] == [True, False, True, True, True, True, True]


@pytest.mark.parametrize(
    "data",
    [
        {"mon": "09:00-18:00"},
        {"mon": ["09:00"]},
        {"mon": ["09:00", "18:00", "19:00"]},
        {"mon": ["18:00", "09:00"]},
        {"mon": ["09:00", "09:00"]},
        {"mon": ["9", "18:00"]},
        {"mon": ["25:00", "26:00"]},
    ],
)
def test_from_dict_refuses_bad_days(data: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        WeeklySchedule.from_dict(data)


def test_week_needs_seven_days() -> None:
    with pytest.raises(ValueError):
        WeeklySchedule((None,) * 6)


def test_parse_time() -> None:
    assert parse_time(" 09:05 ") == dt.time(9, 5)
    with pytest.raises(ValueError):
        parse_time("0905")


@st.composite
def _hours(draw: st.DrawFn) -> Hours:
    opens = draw(st.integers(0, 23 * 60 + 58))
    closes = draw(st.integers(opens + 1, 23 * 60 + 59))
    return Hours(dt.time(*divmod(opens, 60)), dt.time(*divmod(closes, 60)))


@given(st.lists(st.one_of(st.none(), _hours()), min_size=7, max_size=7))
@settings(max_examples=100)
def test_weekly_round_trip_property(days: list[Hours | None]) -> None:
    week = WeeklySchedule(tuple(days))
    assert WeeklySchedule.from_dict(week.to_dict()) == week


# --- hours_on precedence ----------------------------------------------------------------------


def test_hours_on_weekly_pattern() -> None:
    week = WeeklySchedule.standard()
    assert hours_on(MONDAY, week, NO_EXC, NO_HOLIDAYS) == Hours(dt.time(9), dt.time(18))
    assert hours_on(SATURDAY, week, NO_EXC, NO_HOLIDAYS) is None
    assert hours_on(SATURDAY, WeeklySchedule.duty(), NO_EXC, NO_HOLIDAYS) == Hours(
        dt.time(9), dt.time(13)
    )


def test_holiday_closes_a_working_day() -> None:
    assert hours_on(MONDAY, WeeklySchedule.standard(), NO_EXC, frozenset({MONDAY})) is None


def test_exception_beats_holiday() -> None:
    special = Hours(dt.time(10), dt.time(14))
    exceptions = {MONDAY: DayException(MONDAY, special, "open on the holiday")}
    got = hours_on(MONDAY, WeeklySchedule.standard(), exceptions, frozenset({MONDAY}))
    assert got == special


def test_exception_beats_weekly() -> None:
    week = WeeklySchedule.standard()
    closed = {MONDAY: DayException(MONDAY, None, "sanitary day")}
    assert hours_on(MONDAY, week, closed, NO_HOLIDAYS) is None
    short = Hours(dt.time(9), dt.time(12))
    assert hours_on(MONDAY, week, {MONDAY: DayException(MONDAY, short)}, NO_HOLIDAYS) == short
    sunday = Hours(dt.time(10), dt.time(12))
    opened = {SUNDAY: DayException(SUNDAY, sunday)}
    assert hours_on(SUNDAY, week, opened, NO_HOLIDAYS) == sunday
    # an exception on another date changes nothing
    assert hours_on(MONDAY, week, opened, NO_HOLIDAYS) == Hours(dt.time(9), dt.time(18))


def test_hours_must_close_after_opening() -> None:
    with pytest.raises(ValueError):
        Hours(dt.time(18), dt.time(9))


# --- day_starts -------------------------------------------------------------------------------


def test_almaty_is_utc_plus_five() -> None:
    assert local(MONDAY, 9).utcoffset() == dt.timedelta(hours=5)


def test_standard_day_starts() -> None:
    starts = day_starts(center(), MONDAY, NO_EXC, NO_HOLIDAYS)
    assert len(starts) == 34
    assert starts[0] == local(MONDAY, 9)
    assert starts[-1] == local(MONDAY, 17, 15)
    assert all(b - a == dt.timedelta(minutes=15) for a, b in itertools.pairwise(starts))
    assert all(s.tzinfo is not None and s.utcoffset() == dt.timedelta(hours=5) for s in starts)
    assert starts[0].astimezone(dt.UTC) == dt.datetime(2025, 6, 2, 4, 0, tzinfo=dt.UTC)


def test_specialised_latest_booking_1530() -> None:
    starts = day_starts(center(latest_booking=dt.time(15, 30)), MONDAY, NO_EXC, NO_HOLIDAYS)
    assert starts[0] == local(MONDAY, 9)
    assert starts[-1] == local(MONDAY, 15, 15)
    assert len(starts) == 26
    assert local(MONDAY, 15, 30) not in starts


def test_latest_booking_after_closing_stops_at_closing() -> None:
    starts = day_starts(center(latest_booking=dt.time(23)), MONDAY, NO_EXC, NO_HOLIDAYS)
    assert starts[-1] == local(MONDAY, 17, 45)
    assert len(starts) == 36


def test_duty_saturday_and_weekday() -> None:
    duty = center(schedule=WeeklySchedule.duty(), latest_booking=dt.time(19, 30))
    saturday = day_starts(duty, SATURDAY, NO_EXC, NO_HOLIDAYS)
    assert saturday[0] == local(SATURDAY, 9)
    assert saturday[-1] == local(SATURDAY, 12, 45)
    assert len(saturday) == 16
    weekday = day_starts(duty, MONDAY, NO_EXC, NO_HOLIDAYS)
    assert weekday[-1] == local(MONDAY, 19, 15)
    assert len(weekday) == 42
    assert day_starts(duty, SUNDAY, NO_EXC, NO_HOLIDAYS) == []


def test_standard_weekend_and_holidays_have_no_slots() -> None:
    c = center()
    assert day_starts(c, SATURDAY, NO_EXC, NO_HOLIDAYS) == []
    assert day_starts(c, SUNDAY, NO_EXC, NO_HOLIDAYS) == []
    assert day_starts(c, MONDAY, NO_EXC, frozenset({MONDAY})) == []
    assert len(day_starts(c, MONDAY + dt.timedelta(days=1), NO_EXC, frozenset({MONDAY}))) == 34


def test_exception_hours_shape_slots() -> None:
    exc = {MONDAY: DayException(MONDAY, Hours(dt.time(10), dt.time(11, 10)))}
    starts = day_starts(center(), MONDAY, exc, frozenset({MONDAY}))
    assert starts == [local(MONDAY, 10), local(MONDAY, 10, 15), local(MONDAY, 10, 30),
                      local(MONDAY, 10, 45)]


def test_slot_length_follows_centre() -> None:
    starts = day_starts(center(slot_minutes=30), MONDAY, NO_EXC, NO_HOLIDAYS)
    assert len(starts) == 17
    assert starts[-1] == local(MONDAY, 17)


@given(
    st.integers(5, 90),
    st.times(),
    st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2030, 12, 31)),
)
@settings(max_examples=100)
def test_day_starts_property(slot: int, latest: dt.time, day: dt.date) -> None:
    c = center(slot_minutes=slot, latest_booking=latest, schedule=WeeklySchedule.duty())
    starts = day_starts(c, day, NO_EXC, NO_HOLIDAYS)
    hours = WeeklySchedule.duty().days[day.weekday()]
    if hours is None:
        assert starts == []
        return
    step = dt.timedelta(minutes=slot)
    for s in starts:
        assert s.date() == day
        assert s.time() >= hours.opens
        assert s + step <= dt.datetime.combine(day, hours.closes, ALMATY)
        assert s.time() < latest
    assert all(b - a == step for a, b in itertools.pairwise(starts))


# --- check_start ------------------------------------------------------------------------------

NOW = local(MONDAY, 8)  # Monday 08:00 in Almaty


def _reason(exc: pytest.ExceptionInfo[OutsideSchedule]) -> object:
    return exc.value.params.get("reason")


def test_check_start_valid_returns_utc() -> None:
    got = check_start(center(), local(MONDAY, 10, 15), NOW, NO_EXC, NO_HOLIDAYS)
    assert got == dt.datetime(2025, 6, 2, 5, 15, tzinfo=dt.UTC)
    assert got.tzinfo is dt.UTC


def test_check_start_accepts_a_utc_start() -> None:
    start = dt.datetime(2025, 6, 3, 4, 0, tzinfo=dt.UTC)  # Tuesday 09:00 local
    assert check_start(center(), start, NOW, NO_EXC, NO_HOLIDAYS) == start


def test_check_start_naive_refused() -> None:
    with pytest.raises(OutsideSchedule) as exc:
        check_start(center(), dt.datetime(2025, 6, 2, 10), NOW, NO_EXC, NO_HOLIDAYS)
    assert _reason(exc) == "timezone"


@pytest.mark.parametrize("start", [local(MONDAY, 8), local(MONDAY, 7, 45), local(MONDAY, 9)])
def test_check_start_past_refused(start: dt.datetime) -> None:
    now = local(MONDAY, 9) if start.hour == 9 else NOW
    with pytest.raises(OutsideSchedule) as exc:
        check_start(center(), start, now, NO_EXC, NO_HOLIDAYS)
    assert _reason(exc) == "past"


def test_check_start_horizon() -> None:
    c = center(horizon_days=10)
    last = MONDAY + dt.timedelta(days=10)  # Thursday: still in the horizon
    assert check_start(c, local(last, 9), NOW, NO_EXC, NO_HOLIDAYS)
    beyond = MONDAY + dt.timedelta(days=11)  # Friday
    with pytest.raises(OutsideSchedule) as exc:
        check_start(c, local(beyond, 9), NOW, NO_EXC, NO_HOLIDAYS)
    assert _reason(exc) == "horizon"


def test_horizon_counts_from_local_date() -> None:
    # 23:30 UTC on Sunday is already Monday 04:30 in Almaty.
    now = dt.datetime(2025, 6, 1, 23, 30, tzinfo=dt.UTC)
    assert local_today(center(), now) == MONDAY
    last = MONDAY + dt.timedelta(days=10)
    assert check_start(center(), local(last, 9), now, NO_EXC, NO_HOLIDAYS)


@pytest.mark.parametrize(
    "start",
    [
        local(MONDAY, 10, 5),
        local(MONDAY, 10, 0) + dt.timedelta(seconds=30),
        local(MONDAY, 17, 30),
        local(MONDAY, 17, 45),
        local(MONDAY, 18),
        local(MONDAY, 8, 45) + dt.timedelta(days=1),
    ],
)
def test_check_start_not_a_slot(start: dt.datetime) -> None:
    with pytest.raises(OutsideSchedule) as exc:
        check_start(center(), start, NOW, NO_EXC, NO_HOLIDAYS)
    assert _reason(exc) == "not_a_slot"


def test_check_start_closed_days() -> None:
    c = center()
    tuesday = MONDAY + dt.timedelta(days=1)
    for start, holidays in [
        (local(SATURDAY, 10), NO_HOLIDAYS),
        (local(SUNDAY, 10), NO_HOLIDAYS),
        (local(tuesday, 10), frozenset({tuesday})),
    ]:
        with pytest.raises(OutsideSchedule) as exc:
            check_start(c, start, NOW, NO_EXC, holidays)
        assert _reason(exc) == "not_a_slot"
    closed = {tuesday: DayException(tuesday, None)}
    with pytest.raises(OutsideSchedule):
        check_start(c, local(tuesday, 10), NOW, closed, NO_HOLIDAYS)


def test_check_start_saturday_at_duty_centre() -> None:
    duty = center(schedule=WeeklySchedule.duty())
    got = check_start(duty, local(SATURDAY, 12, 45), NOW, NO_EXC, NO_HOLIDAYS)
    assert got == dt.datetime(2025, 6, 7, 7, 45, tzinfo=dt.UTC)
    with pytest.raises(OutsideSchedule):
        check_start(duty, local(SATURDAY, 13), NOW, NO_EXC, NO_HOLIDAYS)


@given(st.integers(0, 14 * 24 * 4))
@settings(max_examples=200)
def test_check_start_accepts_exactly_the_listed_slots(quarter: int) -> None:
    c = center()
    start = NOW + dt.timedelta(minutes=15 * quarter)
    day = start.date()
    in_horizon = day <= MONDAY + dt.timedelta(days=c.horizon_days)
    listed = start in day_starts(c, day, NO_EXC, NO_HOLIDAYS)
    if start > NOW and in_horizon and listed:
        assert check_start(c, start, NOW, NO_EXC, NO_HOLIDAYS) == start.astimezone(dt.UTC)
    else:
        with pytest.raises(OutsideSchedule):
            check_start(c, start, NOW, NO_EXC, NO_HOLIDAYS)


# --- bookable_days ----------------------------------------------------------------------------


def test_bookable_days_stop_at_horizon() -> None:
    c = center(horizon_days=3)
    assert list(bookable_days(c, MONDAY, 7)) == [MONDAY + dt.timedelta(days=i) for i in range(4)]
    assert list(bookable_days(c, MONDAY, 2)) == [MONDAY, MONDAY + dt.timedelta(days=1)]
    assert list(bookable_days(c, MONDAY, 0)) == []
    assert list(bookable_days(c, MONDAY, -5)) == []


@pytest.mark.parametrize(("grid", "standard", "expected"), [
    (15, 15, 1), (15, 5, 1), (15, 16, 2), (15, 30, 2), (15, 31, 3), (20, 60, 3), (30, 240, 8)])
def test_slots_needed_rounds_up(grid: int, standard: int, expected: int) -> None:
    assert slots_needed(center(slot_minutes=grid), standard) == expected


@given(slots=st.integers(1, 6), grid=st.sampled_from([10, 15, 20, 30]))
@settings(max_examples=60, deadline=None)
def test_a_block_always_ends_by_closing(slots: int, grid: int) -> None:
    c = center(slot_minutes=grid, latest_booking=dt.time(23, 0))
    hours = hours_on(MONDAY, c.schedule, NO_EXC, NO_HOLIDAYS)
    assert hours is not None
    closes = dt.datetime.combine(MONDAY, hours.closes, ALMATY)
    one = day_starts(c, MONDAY, NO_EXC, NO_HOLIDAYS)
    block = day_starts(c, MONDAY, NO_EXC, NO_HOLIDAYS, slots)
    assert block == one[:len(one) - slots + 1]
    assert all(block_end(c, s, slots) <= closes for s in block)
    if block:
        late = block[-1] + dt.timedelta(minutes=grid)
        with pytest.raises(OutsideSchedule):
            check_start(c, late, dt.datetime.combine(MONDAY, dt.time(0), ALMATY), NO_EXC,
                        NO_HOLIDAYS, slots)
