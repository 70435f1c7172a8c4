"""Who is near their turn (core/turn_near.py): the people before a ticket in its line who
want one of its services, inside first and then outside; 0 turns the notice off."""

from __future__ import annotations

import datetime as dt

import pytest

from kezek.core.errors import ValidationFailed
from kezek.core.floor import FloorRules, Waiting
from kezek.core.turn_near import ahead_counts, near

NOW = dt.datetime(2026, 12, 8, 5, 0, tzinfo=dt.UTC)
RULES = FloorRules()


def w(tid: int, services: str, minutes: int) -> Waiting:
    return Waiting(tid, frozenset(services.split(",")), NOW - dt.timedelta(minutes=minutes))


def test_only_people_wanting_the_same_services_count() -> None:
    inside = [w(1, "a", 30), w(2, "b", 25), w(3, "a", 20), w(4, "a,b", 10)]
    assert ahead_counts(inside, [], NOW, RULES) == {1: 0, 2: 0, 3: 1, 4: 3}


def test_the_line_outside_comes_after_everyone_inside() -> None:
    inside, outside = [w(1, "a", 5)], [w(2, "a", 50), w(3, "a", 40)]
    assert ahead_counts(inside, outside, NOW, RULES) == {1: 0, 2: 1, 3: 2}
    assert near(inside, outside, 1, NOW, RULES) == {1: 0, 2: 1}
    assert near(inside, outside, 0, NOW, RULES) == {}


@pytest.mark.parametrize("bad", [-1, 51, True, "3"])
def test_the_centres_number_is_checked(bad: object) -> None:
    with pytest.raises(ValidationFailed):
        RULES.merged({"turn_near_ahead": bad})
    assert RULES.merged({"turn_near_ahead": 5}).turn_near_ahead == 5
    assert RULES.merged({"turn_near_ahead": None}).turn_near_ahead is None
