"""Real demo centres through the builder, and a network day in one call."""

from __future__ import annotations

import numpy as np
import pytest

from kezek.core.network import CenterFormat, window_serves
from kezek.core.registry import Delivery
from kezek.sim import DayDemand, Outcome, center_model, day_demand, simulate_day, simulate_network
from kezek.sim.build import TYPICAL_PROFILE, privileged_only_here
from tests.sim.demo_network import demo_centres, demo_services
from tests.sim.floor_oracle import floor_violations

SERVICES = demo_services()
CENTRES = demo_centres()


def _centre(slug: str):  # type: ignore[no-untyped-def]
    return next((c, w) for c, w in CENTRES if c.slug == slug)


def _paper_demand(model, center, per_service: float) -> DayDemand:  # type: ignore[no-untyped-def]
    by_code = {s.code: s for s in SERVICES}
    visits = {code: per_service for code in model.codes
              if not privileged_only_here(center, by_code[code])}
    return DayDemand(visits, profile=TYPICAL_PROFILE)


def test_builder_mirrors_window_scopes_and_privilege_policy() -> None:
    center, windows = _centre("kokshetau-1")
    assert center.format is CenterFormat.BOOKING_ONLY
    model = center_model(center, windows, SERVICES)
    by_code = {s.code: s for s in SERVICES}
    assert (model.opens, model.closes, model.occupancy_limit) == (540, 1080, 20)
    for spec, window in zip(model.windows, windows, strict=True):
        assert spec.privilege == window.privilege
        for code in spec.services:
            service = by_code[code]
            assert window_serves(window, service, center)
            # Portal services at a booking-only centre stay at the privilege windows.
            if not window.privilege:
                assert service.delivery is Delivery.PAPER
    assert not any(by_code[c].specialised_only for c in model.codes)


def test_demo_centre_day_from_the_builder() -> None:
    center, windows = _centre("kokshetau-1")
    model = center_model(center, windows, SERVICES)
    demand = day_demand(model, _paper_demand(model, center, 12.0), center, SERVICES)
    booked = demand.booked
    assert booked is not None and booked.slot_minutes == 15
    # Bookings stop at 17:30 (the centre's latest booking): 34 slots from 9:00.
    assert max(len(v) for v in booked.per_slot.values()) == 34
    day = simulate_day(model, demand, np.random.default_rng(7))
    outcomes = day.kpi.outcomes
    # Booking-only: walk-ins turned away, everybody else booked; the occupancy limit holds.
    assert outcomes["turned_away"] > 0 and outcomes["served"] > 200
    assert day.kpi.peak_occupancy <= 20
    assert floor_violations(model, day.visits) == []


def test_demand_for_a_service_not_offered_is_refused() -> None:
    center, windows = _centre("kokshetau-1")
    model = center_model(center, windows, SERVICES)
    vehicle = next(s.code for s in SERVICES if s.specialised_only)
    with pytest.raises(ValueError, match="not offered here"):
        day_demand(model, DayDemand({vehicle: 5.0}), center, SERVICES)


def test_network_day_over_every_demo_centre() -> None:
    days = []
    for center, windows in CENTRES:
        model = center_model(center, windows, SERVICES)
        days.append((model, day_demand(model, _paper_demand(model, center, 4.0), center,
                                       SERVICES)))
    result = simulate_network(days, np.random.default_rng(11))
    visits = result.visits
    assert result.kpi.centres == len(CENTRES) == 58
    assert (np.diff(visits["centre"]) >= 0).all()
    assert result.kpi.visits == len(visits)
    assert sum(result.kpi.outcomes.values()) == len(visits)
    assert 0 < result.kpi.mean_utilisation < 1
    # Pooled KPIs agree with the per-centre records they come from.
    per_centre = [result.centre(i).kpi for i in range(len(CENTRES))]
    served = sum(k.outcomes["served"] for k in per_centre)
    assert served == result.kpi.outcomes["served"]
    weighted = sum(k.mean_wait * k.outcomes["served"] for k in per_centre if k.outcomes["served"])
    assert result.kpi.mean_wait == pytest.approx(weighted / served)
    _, worst_p90 = result.kpi.worst_centres[0]
    assert worst_p90 == pytest.approx(max(k.p90_wait for k in per_centre))
    # A centre's day depends only on its own stream: run alone on the same spawned stream.
    alone = simulate_day(days[5][0], days[5][1], np.random.default_rng(11).spawn(58)[5],
                         centre=5)
    assert alone.visits.tobytes() == visits[visits["centre"] == 5].tobytes()
    assert (visits["outcome"][visits["centre"] == 5] == Outcome.SERVED).any()


def test_spread_slots_keeps_totals_and_levels_the_slots() -> None:
    from kezek.sim.build import spread_slots

    totals = {f"s{i}": 1 + i % 3 for i in range(40)}  # many services, a few bookings each
    weights = [1.0] * 8 + [2.0] * 8
    spread = spread_slots(totals, weights)
    assert {c: sum(v) for c, v in spread.items()} == totals
    per_slot = [sum(v[k] for v in spread.values()) for k in range(16)]
    assert sum(per_slot) == sum(totals.values())
    # Slots follow the weights: the second half holds twice the first, give or take one.
    assert all(abs(x - 79 / 24) <= 1 for x in per_slot[:8])
    assert all(abs(x - 2 * 79 / 24) <= 1 for x in per_slot[8:])
