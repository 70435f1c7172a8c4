"""Small hand-made days whose right answer can be worked out on paper."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kezek.core.floor import FloorRules
from kezek.core.network import CenterFormat
from kezek.sim import (
    Arrivals,
    CenterModel,
    Deterministic,
    Klass,
    Outcome,
    ServiceSpec,
    WindowSpec,
    run,
)
from kezek.sim.kpi import center_kpi

NAN = math.nan


def model(windows: list[WindowSpec], *, limit: int | None = None,
          fmt: CenterFormat = CenterFormat.MIXED, rules: FloorRules | None = None
          ) -> CenterModel:
    services = (ServiceSpec("A", Deterministic(10.0), 15), ServiceSpec("B", Deterministic(10.0)))
    covered = set().union(*(w.services for w in windows))
    services = tuple(s for s in services if s.code in covered)
    return CenterModel("t", services, tuple(windows), opens=0, closes=120, occupancy_limit=limit,
                       format=fmt, rules=rules or FloorRules(grace_minutes=15,
                                                             early_lead_minutes=5))


def people(rows: list[tuple[float, int, float, bool]], *, no_show: list[bool] | None = None,
           patience: list[float] | None = None, minutes: float = 10.0) -> Arrivals:
    """(arrival, service, slot or NaN, privileged) per person; 10-minute service each."""
    n = len(rows)
    slot = np.array([r[2] for r in rows])
    return Arrivals(
        time=np.array([r[0] for r in rows]), service=np.array([r[1] for r in rows], np.int32),
        booked=~np.isnan(slot), slot=slot, privileged=np.array([r[3] for r in rows]),
        no_show=np.array(no_show or [False] * n), service_time=np.full(n, minutes),
        patience=np.array(patience or [math.inf] * n))


ONE = [WindowSpec(frozenset({"A", "B"}), label="1")]


def test_booked_for_now_before_an_earlier_walk_in() -> None:
    # Window busy 0-10. Walk-in at 1; booked person (slot 10, due from 5) at 2.
    v = run(model(ONE), people([(0, 0, NAN, False), (1, 0, NAN, False), (2, 0, 10, False)]))
    assert v["start"].tolist() == [0, 20, 10]


def test_walk_in_before_someone_early_for_a_later_slot() -> None:
    # The booked person's slot is at 60 (due 55): at 10 the walk-in goes first; the early
    # booked person is still served at 20 rather than leaving the window idle.
    v = run(model(ONE), people([(0, 0, NAN, False), (1, 0, 60, False), (2, 0, NAN, False)]))
    assert v["start"].tolist() == [0, 20, 10]


def test_early_booked_person_becomes_due_at_slot_minus_lead() -> None:
    # Window busy 0-10 and 10-20 (second walk-in). Booked early at 1 for slot 15 (due 10);
    # walk-in at 2. At 10 the booked person is due: served before the walk-in.
    v = run(model(ONE), people([(0, 0, NAN, False), (1, 0, 15, False), (2, 0, NAN, False)]))
    assert v["start"].tolist() == [0, 10, 20]


def test_booked_people_by_slot_then_arrival() -> None:
    v = run(model(ONE), people([(0, 0, NAN, False), (1, 0, 10, False), (2, 0, 5, False),
                                (3, 0, 5, False)]))
    assert v["start"].tolist() == [0, 30, 10, 20]


def test_late_past_grace_is_a_walk_in_and_waits_from_arrival() -> None:
    v = run(model(ONE), people([(0, 0, NAN, False), (3, 0, NAN, False), (4, 0, -15, False)]))
    assert v["klass"].tolist() == [Klass.WALK_IN, Klass.WALK_IN, Klass.WALK_IN]
    assert v["start"].tolist() == [0, 10, 20]  # no priority left: behind the earlier walk-in


def test_privilege_window_takes_privileged_first_and_others_when_none_wait() -> None:
    wins = [WindowSpec(frozenset({"A"}), privilege=True, label="L")]
    rows = [(0, 0, NAN, False), (1, 0, NAN, False), (2, 0, NAN, True), (3, 0, NAN, False)]
    v = run(model(wins), people(rows))
    assert v["start"].tolist() == [0, 20, 10, 30]
    # The same people at an ordinary window: first come, first served.
    v = run(model([WindowSpec(frozenset({"A"}), label="1")]), people(rows))
    assert v["start"].tolist() == [0, 10, 20, 30]


def test_privilege_window_that_serves_only_the_privileged() -> None:
    rules = FloorRules(privilege_serves_others=False)
    wins = [WindowSpec(frozenset({"A"}), privilege=True), WindowSpec(frozenset({"A"}))]
    v = run(model(wins, rules=rules), people([(0, 0, NAN, False), (1, 0, NAN, False),
                                              (2, 0, NAN, True)]))
    # The second person waits for the ordinary window although the privilege one is idle.
    assert v["window"].tolist() == [1, 1, 0]
    assert v["start"].tolist() == [0, 10, 2]


def test_a_window_serves_only_its_services() -> None:
    wins = [WindowSpec(frozenset({"A"})), WindowSpec(frozenset({"B"}))]
    v = run(model(wins), people([(0, 0, NAN, False), (1, 0, NAN, False), (2, 1, NAN, False)]))
    assert v["window"].tolist() == [0, 0, 1]
    assert v["start"].tolist() == [0, 10, 2]


def test_occupancy_limit_keeps_people_outside_until_a_place_frees() -> None:
    wins = [WindowSpec(frozenset({"A"})), WindowSpec(frozenset({"A"}))]
    v = run(model(wins, limit=1), people([(0, 0, NAN, False), (1, 0, NAN, False)]))
    assert v["admitted"].tolist() == [0, 10]
    assert v["start"].tolist() == [0, 10]  # a window stood idle: the door was the limit
    assert center_kpi(model(wins, limit=1), v).peak_occupancy == 1


def test_no_show_is_recorded_and_never_served() -> None:
    v = run(model(ONE), people([(0, 0, 0, False), (1, 0, NAN, False)], no_show=[True, False]))
    assert v["outcome"].tolist() == [Outcome.NO_SHOW, Outcome.SERVED]
    assert math.isnan(v["start"][0]) and v["start"][1] == 1


def test_booking_only_turns_walk_ins_and_the_very_late_away() -> None:
    m = model(ONE, fmt=CenterFormat.BOOKING_ONLY)
    v = run(m, people([(0, 0, 0, False), (1, 0, NAN, False), (40, 0, 20, False)]))
    assert v["outcome"].tolist() == [Outcome.SERVED, Outcome.TURNED_AWAY, Outcome.TURNED_AWAY]
    assert center_kpi(m, v).outcomes["turned_away"] == 2


def test_patience_runs_out_inside_and_outside() -> None:
    wins = [WindowSpec(frozenset({"A"}))]
    v = run(model(wins, limit=2), people([(0, 0, NAN, False), (1, 0, NAN, False),
                                          (2, 0, NAN, False)],
                                         patience=[math.inf, 5.0, 3.0]))
    # The second gives up inside at 6, the third outside at 5, before any place frees.
    assert v["outcome"].tolist() == [Outcome.SERVED, Outcome.ABANDONED, Outcome.ABANDONED]
    assert v["end"].tolist() == [10, 6, 5]
    assert math.isnan(v["admitted"][2])


def test_wait_of_an_early_booked_person_runs_from_the_slot() -> None:
    m = model(ONE)
    v = run(m, people([(0, 0, NAN, False), (2, 0, 8, False)]))
    k = center_kpi(m, v)
    assert v["start"].tolist() == [0, 10]
    assert k.services[0].mean_wait == pytest.approx((0 + 2) / 2)  # 10 - 8, not 10 - 2
