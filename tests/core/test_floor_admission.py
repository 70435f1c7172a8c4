"""The door's small-group rule: where a newcomer waits, and who comes in from outside."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kezek.core.errors import ValidationFailed
from kezek.core.floor import (
    ACTIVE,
    FloorRules,
    TicketStatus,
    Waiting,
    arrival_status,
    ordered,
    place_outside,
    room,
    to_admit,
)

T0 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)
RULES = FloorRules()
A = frozenset({"a"})


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def w(tid: int, arrived: float, booked: float | None = None, privileged: bool = False
      ) -> Waiting:
    return Waiting(tid, A, at(arrived), None if booked is None else at(booked), privileged)


def ids(tickets: list[Waiting]) -> list[int]:
    return [t.ticket_id for t in tickets]


def test_outside_is_neither_inside_nor_callable() -> None:
    assert TicketStatus.OUTSIDE.value == "outside"
    assert TicketStatus.OUTSIDE not in ACTIVE


@pytest.mark.parametrize(("inside", "outside", "limit", "expected"), [
    (0, 0, None, TicketStatus.WAITING),  # no limit
    (0, 0, 2, TicketStatus.WAITING),
    (1, 0, 2, TicketStatus.WAITING),
    (2, 0, 2, TicketStatus.OUTSIDE),  # full
    (3, 0, 2, TicketStatus.OUTSIDE),  # over (the limit was lowered)
    (1, 1, 2, TicketStatus.OUTSIDE),  # room, but a line: nobody passes it
    (0, 4, None, TicketStatus.OUTSIDE),  # a line left from when there was a limit
])
def test_arrival_status(inside: int, outside: int, limit: int | None,
                        expected: TicketStatus) -> None:
    assert arrival_status(inside, outside, limit) is expected


def test_room() -> None:
    assert room(3, None) is None
    assert (room(0, 5), room(3, 5), room(5, 5), room(7, 5)) == (5, 2, 0, 0)


def test_admits_booked_for_now_then_walk_ins_by_arrival_then_early_bookings() -> None:
    now = at(30)
    line = [w(1, 0), w(2, 1, booked=60), w(3, 2, booked=30), w(4, 3), w(5, 4, booked=20)]
    # booked now: 5 (slot 20), 3 (slot 30); walk-ins 1, 4; booked early: 2 (slot 60)
    assert ids(to_admit(line, 0, 10, None, now, RULES)) == [5, 3, 1, 4, 2]
    assert ids(to_admit(line, 7, 10, None, now, RULES)) == [5, 3, 1]
    assert ids(to_admit(line, 7, 10, 2, now, RULES)) == [5, 3]
    assert ids(to_admit(line, 0, None, 4, now, RULES)) == [5, 3, 1, 4]


def test_early_lead_makes_a_booked_person_due() -> None:
    line = [w(1, 0), w(2, 5, booked=35)]
    assert ids(to_admit(line, 0, 1, None, at(29), RULES)) == [1]  # due at 30
    assert ids(to_admit(line, 0, 1, None, at(30), RULES)) == [2]


def test_admits_nobody_without_room_or_without_a_line() -> None:
    line = [w(1, 0), w(2, 1)]
    assert to_admit(line, 5, 5, None, at(9), RULES) == []
    assert to_admit(line, 6, 5, 3, at(9), RULES) == []
    assert to_admit([], 0, 5, 3, at(9), RULES) == []
    assert to_admit(line, 0, 5, 0, at(9), RULES) == []


def test_negative_count_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        to_admit([w(1, 0)], 0, 5, -1, at(9), RULES)


def test_place_outside() -> None:
    line = [w(1, 0), w(2, 1, booked=5), w(3, 2)]
    assert [place_outside(line, t, at(10), RULES) for t in (1, 2, 3, 99)] == [2, 1, 3, None]


@pytest.mark.parametrize("bad", [{"auto_admit": "yes"}, {"auto_admit": 1}])
def test_auto_admit_must_be_a_boolean(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationFailed):
        RULES.merged(bad)


def test_auto_admit_is_off_by_default_and_can_be_set() -> None:
    assert RULES.auto_admit is False
    assert RULES.merged({"auto_admit": True}).auto_admit is True


@st.composite
def lines(draw: st.DrawFn) -> list[Waiting]:
    n = draw(st.integers(0, 25))
    out = []
    for tid in range(1, n + 1):
        arrived = draw(st.integers(0, 120))
        booked = draw(st.one_of(st.none(), st.integers(0, 180)))
        out.append(w(tid, arrived, booked, draw(st.booleans())))
    return out


@settings(max_examples=300, deadline=None)
@given(lines(), st.integers(0, 30), st.one_of(st.none(), st.integers(0, 30)),
       st.one_of(st.none(), st.integers(0, 40)), st.integers(0, 200),
       st.sampled_from([0, 5, 15]))
def test_property_admission_is_the_head_of_the_floor_order_and_never_overfills(
        line: list[Waiting], inside: int, limit: int | None, count: int | None,
        minute: int, lead: int) -> None:
    rules = FloorRules(early_lead_minutes=lead)
    now = at(minute)
    chosen = to_admit(line, inside, limit, count, now, rules)
    head = ordered(line, now, rules)
    assert chosen == head[:len(chosen)]  # nobody is passed over
    if limit is not None:
        assert inside + len(chosen) <= max(inside, limit)  # never beyond the limit
    expected = len(line)
    if limit is not None:
        expected = min(expected, max(0, limit - inside))
    if count is not None:
        expected = min(expected, count)
    assert len(chosen) == expected  # as many as fit and were asked for, no fewer
    for t in chosen:
        assert place_outside(line, t.ticket_id, now, rules) == head.index(t) + 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["arrive", "admit", "exit"]), max_size=60),
       st.integers(1, 6), st.booleans())
def test_property_a_day_at_the_door_keeps_the_limit_and_the_line(
        steps: list[str], limit: int, auto: bool) -> None:
    """Arrivals, presses of Admit and people leaving, played against the rules: inside
    never exceeds the limit, and people come in in arrival order (all walk-ins)."""
    inside: list[int] = []
    outside: list[Waiting] = []
    admitted_order: list[int] = []
    next_id = 1
    for i, step in enumerate(steps):
        now = at(i)
        if step == "arrive":
            status = arrival_status(len(inside), len(outside), limit)
            ticket = w(next_id, i)
            next_id += 1
            if status is TicketStatus.WAITING:
                inside.append(ticket.ticket_id)
                admitted_order.append(ticket.ticket_id)
            else:
                outside.append(ticket)
        elif step == "exit" and inside:
            inside.pop(0)
        if step == "admit" or (auto and step in ("arrive", "exit")):
            for t in to_admit(outside, len(inside), limit, None, now, RULES):
                outside.remove(t)
                inside.append(t.ticket_id)
                admitted_order.append(t.ticket_id)
        assert len(inside) <= limit
        if auto:  # with auto-admit nobody stands outside while there is room
            assert not outside or len(inside) == limit
    assert admitted_order == sorted(admitted_order)
