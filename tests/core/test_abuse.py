"""The pure abuse rules: when missed visits suspend, and how origins are shown."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kezek.core.abuse import (
    NoShowRule,
    active_suspension,
    mask_address,
    short_digest,
    suspension_end,
)

T0 = dt.datetime(2026, 3, 1, 5, 0, tzinfo=dt.UTC)
RULE = NoShowRule(count=3, days=30, suspend_days=14)


def days(*offsets: float) -> list[dt.datetime]:
    return [T0 + dt.timedelta(days=d) for d in offsets]


def test_three_within_the_window_suspend_from_the_third() -> None:
    assert suspension_end(days(0, 10, 29), RULE) == T0 + dt.timedelta(days=29 + 14)


def test_spread_wider_than_the_window_does_not_suspend() -> None:
    assert suspension_end(days(0, 16, 31), RULE) is None  # 31 days from first to third
    assert suspension_end(days(0, 10), RULE) is None  # only two


def test_the_latest_run_decides_and_order_does_not_matter() -> None:
    missed = days(80, 0, 5, 10, 70, 75)
    assert suspension_end(missed, RULE) == T0 + dt.timedelta(days=80 + 14)


def test_in_force_only_until_the_end_and_off_without_a_rule() -> None:
    missed = days(0, 1, 2)
    end = T0 + dt.timedelta(days=16)
    assert active_suspension(missed, RULE, end - dt.timedelta(seconds=1)) == end
    assert active_suspension(missed, RULE, end) is None
    assert active_suspension(missed, None, T0) is None


@given(st.lists(st.floats(min_value=0, max_value=200), max_size=12))
def test_a_suspension_needs_count_visits_within_days(offsets: list[float]) -> None:
    end = suspension_end(days(*offsets), RULE)
    times = sorted(days(*offsets))
    runs = [times[i] for i in range(2, len(times))
            if times[i] - times[i - 2] <= dt.timedelta(days=30)]
    assert (end is None) == (not runs)
    if runs:
        assert end == max(runs) + dt.timedelta(days=14)


def test_rule_from_its_setting() -> None:
    assert NoShowRule.from_dict({"count": 3, "days": 30, "suspend_days": 14}) == RULE
    assert RULE.to_dict() == {"count": 3, "days": 30, "suspend_days": 14}
    for bad in ({"count": 0, "days": 30, "suspend_days": 14},
                {"count": 3, "days": 30},
                {"count": 3, "days": 30, "suspend_days": 14, "extra": 1},
                {"count": True, "days": 30, "suspend_days": 14},
                {"count": "3", "days": 30, "suspend_days": 14},
                {"count": 3, "days": 400, "suspend_days": 14}):
        with pytest.raises(ValueError):
            NoShowRule.from_dict(bad)


def test_addresses_masked_for_exports_and_digests_shortened() -> None:
    assert mask_address("10.1.2.3") == "10.1.2.x"
    assert mask_address("2001:db8:abcd:12::1") == "2001:db8:abcd::x"
    assert mask_address("not-an-ip") == "?"
    assert short_digest("0123456789abcdef") == "01234567"
