"""Fair release rules (ADR 13), pure: when a day opens, its ballot, the re-release delay."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from kezek.core.errors import ValidationFailed
from kezek.core.network import Center, CenterFormat, CenterKind, Names
from kezek.core.policy import BookingPolicy
from kezek.core.release import (
    BallotOpen,
    NotReleased,
    Phase,
    check_open,
    next_opening,
    opens_at,
    phase,
    rerelease_delay,
)


def centre(zone: str = "Asia/Almaty", horizon: int = 10) -> Center:
    return Center(id=1, slug="c", names=Names("c", "c", "c"), city="x",
                  kind=CenterKind.GENERAL, format=CenterFormat.MIXED, timezone=zone,
                  horizon_days=horizon)


POLICY = BookingPolicy(release_time="08:00")
DAY = dt.date(2026, 12, 20)


def test_the_newest_day_opens_at_the_local_release_time() -> None:
    c = centre()
    opens = opens_at(c, POLICY, DAY)
    assert opens == dt.datetime(2026, 12, 10, 3, 0, tzinfo=dt.UTC)  # 08:00 at UTC+5
    assert phase(c, POLICY, DAY, opens - dt.timedelta(seconds=1)) is Phase.CLOSED
    assert phase(c, POLICY, DAY, opens) is Phase.OPEN
    with pytest.raises(NotReleased) as refused:
        check_open(c, POLICY, DAY, opens - dt.timedelta(seconds=1))
    assert refused.value.params["at"] == "10.12.2026 08:00"
    check_open(c, POLICY, DAY - dt.timedelta(days=1), opens - dt.timedelta(seconds=1))


def test_the_opening_follows_the_centres_zone() -> None:
    tokyo = centre("Asia/Tokyo")
    assert opens_at(tokyo, POLICY, DAY) == dt.datetime(2026, 12, 9, 23, 0, tzinfo=dt.UTC)
    # At 23:30 UTC it is already 08:30 on the 10th in Tokyo, 04:30 in Almaty.
    now = dt.datetime(2026, 12, 9, 23, 30, tzinfo=dt.UTC)
    assert phase(tokyo, POLICY, DAY, now) is Phase.OPEN
    assert phase(centre(), POLICY, DAY, now) is Phase.CLOSED
    assert next_opening(centre(), POLICY, now) == dt.datetime(2026, 12, 10, 3, 0,
                                                              tzinfo=dt.UTC)
    assert next_opening(tokyo, POLICY, now) is None  # today's day is open already


def test_without_a_release_time_a_day_opens_at_midnight() -> None:
    c = centre()
    midnight = dt.datetime(2026, 12, 10, 0, 0, tzinfo=c_zone(c))
    assert opens_at(c, BookingPolicy(), DAY) == midnight.astimezone(dt.UTC)


def c_zone(c: Center) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(c.timezone)


def test_a_ballot_takes_the_first_minutes_after_the_opening() -> None:
    c = centre()
    policy = dataclasses.replace(POLICY, ballot_minutes=30)
    opens = opens_at(c, policy, DAY)
    assert phase(c, policy, DAY, opens + dt.timedelta(minutes=29)) is Phase.BALLOT
    with pytest.raises(BallotOpen) as refused:
        check_open(c, policy, DAY, opens)
    assert refused.value.params["at"] == "10.12.2026 08:30"
    assert phase(c, policy, DAY, opens + dt.timedelta(minutes=30)) is Phase.OPEN


def test_the_rerelease_delay_stays_in_its_range_and_varies() -> None:
    policy = BookingPolicy(rerelease_min_minutes=2, rerelease_max_minutes=10)
    rng = random.SystemRandom()
    delays = {rerelease_delay(policy, rng) for _ in range(200)}
    assert all(dt.timedelta(minutes=2) <= d <= dt.timedelta(minutes=10) for d in delays)
    assert len(delays) > 50  # to the second, not a handful of fixed values
    assert rerelease_delay(BookingPolicy(rerelease_min_minutes=0, rerelease_max_minutes=0),
                           rng) == dt.timedelta(0)


@pytest.mark.parametrize("bad", [{"release_time": "8"}, {"release_time": "24:00"},
                                 {"release_time": "07:5"}, {"ballot_minutes": -1},
                                 {"ballot_minutes": 241}, {"rerelease_min_minutes": 5,
                                                           "rerelease_max_minutes": 4}])
def test_bad_release_settings_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationFailed):
        BookingPolicy().merged(bad)
