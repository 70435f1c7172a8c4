from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kezek.analytics.calibration import (
    CentreFacts,
    Targets,
    allocate,
    bucket_totals,
    largest_remainder,
)


@given(st.integers(0, 10_000_000),
       st.lists(st.floats(0.01, 1000, allow_nan=False), min_size=1, max_size=60))
def test_largest_remainder_hits_the_total_and_stays_proportional(total, weights):
    w = np.array(weights)
    got = largest_remainder(total, w)
    assert got.sum() == total
    assert (got >= 0).all()
    # Each share is within one of its exact value.
    assert np.all(np.abs(got - w / w.sum() * total) < 1.0 + 1e-9)


def test_largest_remainder_refuses_nonsense():
    with pytest.raises(ValueError):
        largest_remainder(5, np.array([0.0, 0.0]))
    with pytest.raises(ValueError):
        largest_remainder(-1, np.array([1.0]))


def test_targets_scale_from_the_half_year():
    assert Targets.for_period(6) == Targets(17_500_000, 3_500_000, 1_500_000, 360_000)
    assert Targets.for_period(12).national == 35_000_000
    assert Targets.for_period(3, scale=0.1) == Targets(875_000, 175_000, 75_000, 18_000)
    with pytest.raises(ValueError):
        Targets.for_period(0)


CENTRES = [CentreFacts("almaty", False, 10), CentreFacts("almaty", True, 8),
           CentreFacts("astana", False, 12), CentreFacts("astana", True, 6),
           CentreFacts("shymkent", True, 6), CentreFacts("oral", False, 9)]


def test_buckets_add_up_to_every_target():
    t = Targets.for_period(6)
    b = bucket_totals(CENTRES, t)
    assert sum(b.values()) == t.national
    assert b["vehicle_almaty"] == t.vehicle_almaty
    assert b["vehicle_almaty"] + b["vehicle_astana"] + b["vehicle_rest"] == t.vehicle
    assert b["general_big"] + b["vehicle_almaty"] + b["vehicle_astana"] == t.almaty_astana
    # Astana's vehicle share of the non-Almaty vehicle load follows its windows: 6 of 12.
    assert b["vehicle_astana"] == round((t.vehicle - t.vehicle_almaty) * 6 / 12)


def test_allocation_is_exact_and_respects_closed_days():
    days = 14
    weekdays = np.arange(days) % 7
    open_days = np.ones((len(CENTRES), days), dtype=bool)
    open_days[:, weekdays == 6] = False  # Sundays closed
    open_days[5, 3] = False  # one centre closed one day
    t = Targets.for_period(0.5, scale=0.01)
    counts = allocate(CENTRES, open_days, weekdays, t)
    assert counts.sum() == t.national
    assert counts[:, weekdays == 6].sum() == 0 and counts[5, 3] == 0
    assert counts[[0, 1, 2, 3]].sum() == t.almaty_astana
    assert counts[[1, 3, 4]].sum() == t.vehicle
    assert counts[1].sum() == t.vehicle_almaty


def test_a_network_without_vehicle_centres_is_refused():
    with pytest.raises(ValueError, match="vehicle centres"):
        bucket_totals([CentreFacts("almaty", False, 10)], Targets.for_period(6))
