"""The live queue of a centre's floor: who is called next, lateness, no-shows, ticket labels."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kezek.core.errors import ValidationFailed
from kezek.core.floor import (
    FloorRules,
    Rank,
    Waiting,
    arrival_is_on_time,
    is_no_show,
    next_for_window,
    ordered,
    prefix_for,
    ticket_label,
)

T0 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)
RULES = FloorRules()
ALL = frozenset({"a", "b", "c"})
A = frozenset({"a"})


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def w(tid: int, arrived: float, booked: float | None = None, services: frozenset[str] = A,
      privileged: bool = False) -> Waiting:
    return Waiting(tid, services, at(arrived), None if booked is None else at(booked), privileged)


def ids(tickets: list[Waiting]) -> list[int]:
    return [t.ticket_id for t in tickets]


def pick(pool: list[Waiting], now: dt.datetime, rules: FloorRules = RULES,
         services: frozenset[str] = ALL, privilege: bool = False) -> int | None:
    chosen = next_for_window(pool, services, privilege, now, rules)
    return None if chosen is None else chosen.ticket_id


# --- classes and order -------------------------------------------------------------------------

def test_booked_now_before_walk_in() -> None:
    pool = [w(1, arrived=-30), w(2, arrived=-1, booked=0)]
    assert pick(pool, at(0)) == 2
    assert ids(ordered(pool, at(0), RULES)) == [2, 1]


def test_walk_in_before_booked_early() -> None:
    pool = [w(1, arrived=-20, booked=60), w(2, arrived=-1)]
    assert pool[0].rank(at(0), RULES) is Rank.BOOKED_EARLY
    assert pick(pool, at(0)) == 2
    assert ids(ordered(pool, at(0), RULES)) == [2, 1]


@pytest.mark.parametrize("lead", [0, 5, 10])
def test_early_lead_boundary(lead: int) -> None:
    rules = FloorRules(early_lead_minutes=lead)
    booked = w(1, arrived=-30, booked=30)
    due = at(30 - lead)
    assert booked.rank(due, rules) is Rank.BOOKED_NOW
    assert booked.rank(due - dt.timedelta(microseconds=1), rules) is Rank.BOOKED_EARLY
    walk_in = w(2, arrived=-40)
    assert pick([walk_in, booked], due, rules) == 1
    assert pick([walk_in, booked], due - dt.timedelta(seconds=1), rules) == 2


def test_fcfs_booked_by_slot_time_then_arrival_then_id() -> None:
    pool = [
        w(1, arrived=-2, booked=0),  # 9:00 slot, came at 8:58
        w(2, arrived=-1, booked=-15),  # earlier slot, came later: still first
        w(3, arrived=-10, booked=0),  # same 9:00 slot, came earlier than 1
        w(9, arrived=-10, booked=0),  # same slot, same arrival as 3: ticket id decides
    ]
    assert ids(ordered(pool, at(0), RULES)) == [2, 3, 9, 1]
    assert pick(pool, at(0)) == 2


def test_fcfs_walk_ins_by_arrival_then_id() -> None:
    pool = [w(9, arrived=-5), w(4, arrived=-3), w(3, arrived=-5), w(1, arrived=-4)]
    assert ids(ordered(pool, at(0), RULES)) == [3, 9, 1, 4]
    assert pick(pool, at(0)) == 3


def test_late_booked_person_counts_as_walk_in() -> None:
    """Beyond the grace period the booking is dropped, so the person queues as a walk-in."""
    def arrive(tid: int, booked: float, arrived: float) -> Waiting:
        on_time = arrival_is_on_time(at(booked), at(arrived), RULES)
        return w(tid, arrived=arrived, booked=booked if on_time else None)

    late = arrive(1, booked=0, arrived=RULES.grace_minutes + 1)
    kept = arrive(2, booked=0, arrived=RULES.grace_minutes)
    walk_in = w(3, arrived=RULES.grace_minutes - 2)
    now = at(RULES.grace_minutes + 2)
    assert late.rank(now, RULES) is Rank.WALK_IN
    assert ids(ordered([late, kept, walk_in], now, RULES)) == [2, 3, 1]


# --- privilege and services ------------------------------------------------------------------

def test_privilege_window_takes_privileged_first() -> None:
    pool = [w(1, arrived=-30, booked=0), w(2, arrived=-40), w(3, arrived=-1, privileged=True)]
    assert pick(pool, at(0), privilege=True) == 3
    assert pick(pool, at(0), privilege=False) == 1


@pytest.mark.parametrize("serves_others", [True, False])
def test_privilege_window_without_privileged(serves_others: bool) -> None:
    rules = FloorRules(privilege_serves_others=serves_others)
    # A privileged person waits, but for a service this window does not give.
    pool = [w(1, arrived=-5), w(2, arrived=-9), w(3, arrived=-20, privileged=True,
                                                  services=frozenset({"c"}))]
    got = pick(pool, at(0), rules, services=frozenset({"a"}), privilege=True)
    assert got == (2 if serves_others else None)


def test_privilege_window_without_privilege_first_uses_normal_order() -> None:
    rules = FloorRules(privilege_first=False, privilege_serves_others=False)
    pool = [w(1, arrived=-5), w(2, arrived=-1, privileged=True)]
    assert pick(pool, at(0), rules, privilege=True) == 1


def test_regular_window_takes_everyone_alike() -> None:
    pool = [w(1, arrived=-1, privileged=True), w(2, arrived=-5), w(3, arrived=-3, booked=0,
                                                                  privileged=True)]
    assert pick(pool, at(0)) == 3
    assert pick(pool[:2], at(0)) == 2
    assert pick(pool[:1], at(0)) == 1


def test_window_serves_only_its_services() -> None:
    multi = w(1, arrived=-1, services=frozenset({"a", "b"}))
    other = w(2, arrived=-9, services=frozenset({"c"}))
    pool = [multi, other]
    assert pick(pool, at(0), services=frozenset({"b"})) == 1
    assert pick(pool, at(0), services=frozenset({"a", "d"})) == 1
    assert pick(pool, at(0), services=frozenset({"c"})) == 2
    assert pick(pool, at(0), services=frozenset({"b", "c"})) == 2
    assert pick(pool, at(0), services=frozenset({"d"})) is None
    assert pick(pool, at(0), services=frozenset()) is None
    assert pick([], at(0)) is None


# --- lateness, no-shows, labels --------------------------------------------------------------

@pytest.mark.parametrize("grace", [0, 15, 30])
def test_arrival_on_time_at_grace_boundary(grace: int) -> None:
    rules = FloorRules(grace_minutes=grace)
    limit = at(grace)
    assert arrival_is_on_time(T0, limit, rules)
    assert not arrival_is_on_time(T0, limit + dt.timedelta(seconds=1), rules)
    assert arrival_is_on_time(T0, at(-45), rules)


@pytest.mark.parametrize("max_calls", [1, 3, 5])
def test_no_show_at_max_calls(max_calls: int) -> None:
    rules = FloorRules(max_calls=max_calls)
    assert not is_no_show(0, rules)
    assert not is_no_show(max_calls - 1, rules)
    assert is_no_show(max_calls, rules)
    assert is_no_show(max_calls + 1, rules)


def test_prefix_for() -> None:
    assert prefix_for("identity", privileged=False, rules=RULES) == "A"
    assert prefix_for("vehicle", privileged=False, rules=RULES) == "V"
    assert prefix_for("identity", privileged=True, rules=RULES) == "L"
    assert prefix_for("no-such-sector", privileged=False, rules=RULES) == "A"
    custom = RULES.merged({"group_prefixes": {"vehicle": "Т"}, "privilege_prefix": "Л"})
    assert prefix_for("vehicle", False, custom) == "Т"
    assert prefix_for("identity", False, custom) == "A"  # the other groups keep theirs
    assert prefix_for("vehicle", True, custom) == "Л"


@pytest.mark.parametrize("bad", [{"nope": 1}, {"max_calls": 0}, {"grace_minutes": -1},
                                 {"privilege_prefix": "L1"}, {"group_prefixes": {"x": ""}}])
def test_floor_rules_refuse_bad_overrides(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationFailed):
        RULES.merged(bad)


@pytest.mark.parametrize(("number", "label"), [
    (7, "B-007"), (0, "B-000"), (42, "B-042"), (999, "B-999"), (1000, "B-1000"),
    (12345, "B-12345"),
])
def test_ticket_label(number: int, label: str) -> None:
    assert ticket_label("B", number) == label


# --- properties ------------------------------------------------------------------------------

ALPHABET = ("a", "b", "c")
service_sets = st.frozensets(st.sampled_from(ALPHABET), min_size=1, max_size=3)
window_sets = st.frozensets(st.sampled_from(ALPHABET), max_size=3)
times = st.integers(-60, 60).map(at)
slots = st.none() | st.integers(-4, 6).map(lambda k: at(15 * k))
nows = st.integers(-30, 90).map(at)
rules_st = st.builds(FloorRules, early_lead_minutes=st.integers(0, 10),
                     privilege_first=st.booleans(), privilege_serves_others=st.booleans())


@st.composite
def pools(draw: st.DrawFn, services: st.SearchStrategy[frozenset[str]] = service_sets,
          max_size: int = 12) -> list[Waiting]:
    tids = draw(st.lists(st.integers(1, 999), max_size=max_size, unique=True))
    return [Waiting(t, draw(services), draw(times), draw(slots), draw(st.booleans()))
            for t in tids]


def spec_key(t: Waiting, now: dt.datetime, rules: FloorRules) -> tuple[object, ...]:
    """The issue's order, written independently of the module's own key."""
    if t.booked_start is None:
        return (1, t.arrived, t.arrived, t.ticket_id)
    due = now >= t.booked_start - dt.timedelta(minutes=rules.early_lead_minutes)
    return (0 if due else 2, t.booked_start, t.arrived, t.ticket_id)


def drain(pool: list[Waiting], windows: list[tuple[frozenset[str], bool]], order: list[int],
          now: dt.datetime, rules: FloorRules) -> list[tuple[int, Waiting]]:
    """Windows call in turn from one shared pool; a called ticket leaves the pool."""
    left, calls = list(pool), []
    for step in range(len(pool) * len(windows) + len(windows)):
        first = order[step % len(order)] % len(windows)
        for i in [first, *(j for j in range(len(windows)) if j != first)]:
            chosen = next_for_window(left, windows[i][0], windows[i][1], now, rules)
            if chosen is not None:
                assert chosen in left
                left.remove(chosen)
                calls.append((i, chosen))
                break
        else:
            break
    return calls


@settings(max_examples=200, deadline=None)
@given(pools(), window_sets, st.booleans(), nows, rules_st)
def test_property_no_unfair_skip(pool: list[Waiting], services: frozenset[str],
                                 privilege: bool, now: dt.datetime, rules: FloorRules) -> None:
    chosen = next_for_window(pool, services, privilege, now, rules)
    eligible = [t for t in pool if t.services & services]
    preferred = eligible
    if privilege and rules.privilege_first:
        preferred = [t for t in eligible if t.privileged] or (
            eligible if rules.privilege_serves_others else [])
    if not preferred:
        assert chosen is None
        return
    assert chosen is not None and chosen in preferred
    mine = spec_key(chosen, now, rules)
    assert not [t for t in preferred if spec_key(t, now, rules) < mine]
    assert chosen.key(now, rules) == min(t.key(now, rules) for t in preferred)


@settings(deadline=None)
@given(pools(), nows, rules_st)
def test_property_draining_a_regular_window_follows_ordered(
        pool: list[Waiting], now: dt.datetime, rules: FloorRules) -> None:
    calls = [t for _, t in drain(pool, [(ALL, False)], [0], now, rules)]
    assert calls == ordered(pool, now, rules)
    assert calls == sorted(pool, key=lambda t: spec_key(t, now, rules))
    assert sorted(ids(calls)) == sorted(ids(pool))


@settings(max_examples=150, deadline=None)
@given(pools(), window_sets, window_sets, st.booleans(), st.booleans(),
       st.lists(st.integers(0, 1), min_size=1, max_size=30), nows, rules_st)
def test_property_two_windows_share_one_pool(
        pool: list[Waiting], s1: frozenset[str], s2: frozenset[str], p1: bool, p2: bool,
        order: list[int], now: dt.datetime, rules: FloorRules) -> None:
    rules = FloorRules(privilege_first=rules.privilege_first, privilege_serves_others=True)
    windows = [(s1, p1), (s2, p2)]
    calls = drain(pool, windows, order, now, rules)
    called = ids([t for _, t in calls])
    assert len(called) == len(set(called))  # nobody is called twice, nor to two windows
    assert all(t.services & windows[i][0] for i, t in calls)
    servable = {t.ticket_id for t in pool if t.services & (s1 | s2)}
    assert set(called) == servable


@settings(deadline=None)
@given(pools(), window_sets, nows, st.booleans(), st.integers(0, 10))
def test_property_privilege_window_prefers_privileged(
        pool: list[Waiting], services: frozenset[str], now: dt.datetime, serves_others: bool,
        lead: int) -> None:
    rules = FloorRules(early_lead_minutes=lead, privilege_first=True,
                       privilege_serves_others=serves_others)
    left = list(pool)
    while True:
        chosen = next_for_window(left, services, True, now, rules)
        waiting_privileged = [t for t in left if t.privileged and t.services & services]
        if waiting_privileged:
            assert chosen is not None and chosen.privileged
        elif not serves_others:
            assert chosen is None
        if chosen is None:
            break
        left.remove(chosen)
    assert all(not (t.privileged and t.services & services) for t in left)


@settings(max_examples=150, deadline=None)
@given(pools(services=st.sampled_from([A, frozenset({"a", "b"}), frozenset({"b"})]), max_size=14),
       st.lists(st.tuples(window_sets, st.booleans()), min_size=1, max_size=3),
       st.lists(st.integers(0, 2), min_size=1, max_size=20), nows, rules_st)
def test_property_walk_ins_called_in_arrival_order(
        pool: list[Waiting], windows: list[tuple[frozenset[str], bool]], order: list[int],
        now: dt.datetime, rules: FloorRules) -> None:
    calls = [t for _, t in drain(pool, windows, order, now, rules)]
    groups = {(t.services, t.privileged) for t in pool if t.booked_start is None}
    for services, privileged in groups:
        group = [t for t in pool
                 if t.booked_start is None and (t.services, t.privileged) == (services, privileged)]
        in_calls = [t for t in calls if t in group]
        expected = sorted(group, key=lambda t: (t.arrived, t.ticket_id))
        assert in_calls == expected[:len(in_calls)]
