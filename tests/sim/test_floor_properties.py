"""Properties of any simulated day, over random centres, demands and seeds (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kezek.core.floor import FloorRules
from kezek.core.network import CenterFormat
from kezek.sim import (
    BookedDemand,
    CenterModel,
    Demand,
    Exponential,
    Klass,
    LogNormal,
    Normal,
    Outcome,
    ServiceSpec,
    WalkInDemand,
    WindowSpec,
    generate,
    run,
)
from kezek.sim.kpi import peak_occupancy
from tests.sim.floor_oracle import floor_violations

CODES = ("A", "B", "C")


@st.composite
def days(draw: st.DrawFn) -> tuple[CenterModel, Demand, int]:
    n_windows = draw(st.integers(1, 4))
    windows = []
    for w in range(n_windows):
        served = draw(st.sets(st.sampled_from(CODES), min_size=1))
        windows.append(WindowSpec(frozenset(served), privilege=draw(st.booleans()), label=str(w)))
    covered = set().union(*(w.services for w in windows))
    services = tuple(ServiceSpec(c, LogNormal(draw(st.sampled_from([4.0, 8.0, 15.0])), 4.0), 20)
                     for c in CODES if c in covered)
    rules = FloorRules(grace_minutes=draw(st.sampled_from([0, 10, 15])),
                       early_lead_minutes=draw(st.sampled_from([0, 5])),
                       privilege_first=draw(st.booleans()), privilege_serves_others=True)
    model = CenterModel(
        "prop", services, tuple(windows), opens=540, closes=660,
        occupancy_limit=draw(st.one_of(st.none(), st.integers(1, 6))),
        format=draw(st.sampled_from(list(CenterFormat))), rules=rules)
    codes = [s.code for s in services]
    booked = BookedDemand({c: tuple(draw(st.lists(st.integers(0, 2), min_size=8, max_size=8)))
                           for c in codes}, 15, Normal(-3.0, 10.0), draw(st.sampled_from([0, .2])))
    walk = WalkInDemand({c: tuple(draw(st.lists(st.floats(0, 6), min_size=2, max_size=2)))
                         for c in codes})
    patience = draw(st.one_of(st.none(), st.just(Exponential(20.0))))
    demand = Demand(booked, walk, draw(st.sampled_from([0.0, 0.3])), patience)
    return model, demand, draw(st.integers(0, 2**32 - 1))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days())
def test_every_day_keeps_the_floor_rules(day: tuple[CenterModel, Demand, int]) -> None:
    model, demand, seed = day
    visits = run(model, generate(model, demand, np.random.default_rng(seed)))
    served = visits[visits["outcome"] == Outcome.SERVED]
    # No one starts before arriving or before being let in; nobody served twice.
    assert (served["start"] >= served["admitted"]).all()
    assert (served["admitted"] >= served["arrival"]).all()
    assert (served["end"] >= served["start"]).all()
    # A window serves one person at a time, and only its services.
    for w, window in enumerate(model.windows):
        mine = np.sort(served[served["window"] == w], order="start")
        assert (mine["start"][1:] >= mine["end"][:-1]).all()
        assert {model.codes[s] for s in mine["service"]} <= window.services
    # The occupancy limit holds.
    if model.occupancy_limit is not None:
        assert peak_occupancy(visits) <= model.occupancy_limit
    # No-shows are never served, never let in; the turned away only at booking-only centres.
    no_show = visits[visits["outcome"] == Outcome.NO_SHOW]
    assert no_show["booked"].all() and np.isnan(no_show["start"]).all()
    assert np.isnan(no_show["admitted"]).all() and (no_show["window"] == -1).all()
    away = visits[visits["outcome"] == Outcome.TURNED_AWAY]
    if model.format is CenterFormat.MIXED:
        assert len(away) == 0
    assert (away["klass"] == Klass.WALK_IN).all()
    # Booked past the grace are walk-ins; within it they keep the booking.
    shown = visits[visits["booked"] & (visits["outcome"] != Outcome.NO_SHOW)]
    late = shown["arrival"] > shown["slot"] + model.rules.grace_minutes
    assert (shown["klass"][late] == Klass.WALK_IN).all()
    assert (shown["klass"][~late] == Klass.BOOKED).all()
    # Abandoning happens only with patience; everyone else inside is served.
    if demand.patience is None:
        assert not (visits["outcome"] == Outcome.ABANDONED).any()
    # Every call is the one the live floor's ordering would make.
    assert floor_violations(model, visits) == []
