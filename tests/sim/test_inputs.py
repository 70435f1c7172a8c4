"""Bad inputs fail early with a ValueError that says what is wrong."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kezek.core.floor import FloorRules
from kezek.core.network import CenterFormat
from kezek.sim import (
    Arrivals,
    BookedDemand,
    CenterModel,
    DayDemand,
    Demand,
    Deterministic,
    Empirical,
    Exponential,
    LogNormal,
    Normal,
    ServiceSpec,
    Uniform,
    WalkInDemand,
    WindowSpec,
    generate,
    run,
    simulate_day,
)

A = ServiceSpec("A", Exponential(5.0))
WIN = WindowSpec(frozenset({"A"}))


def centre(**kw: object) -> CenterModel:
    args: dict[str, object] = {"name": "c", "services": (A,), "windows": (WIN,)}
    args.update(kw)
    return CenterModel(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Exponential(0), "exponential mean must be > 0"),
    (lambda: Exponential(math.nan), "must be a finite number"),
    (lambda: LogNormal(10, -1), "lognormal sd must be > 0"),
    (lambda: Uniform(5, 1), "uniform needs low <= high"),
    (lambda: Normal(0, -2), "normal sd must be >= 0"),
    (lambda: Empirical(()), "at least one observed value"),
    (lambda: Deterministic(math.inf), "must be a finite number"),
])
def test_bad_distributions(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()  # type: ignore[operator]


@pytest.mark.parametrize(("kw", "message"), [
    ({"services": ()}, "at least one service is needed"),
    ({"windows": ()}, "at least one window is needed"),
    ({"services": (A, A)}, "service codes must be unique"),
    ({"windows": (WindowSpec(frozenset({"A", "Z"})),)}, r"serves unknown services \['Z'\]"),
    ({"services": (A, ServiceSpec("B", Exponential(5)))}, r"no window serves \['B'\]"),
    ({"opens": 600, "closes": 540}, "closes .* must be after opens"),
    ({"opens": -5}, "opens must be a finite number of minutes >= 0"),
    ({"occupancy_limit": 0}, "occupancy_limit must be a whole number >= 1"),
    ({"format": "mixed"}, "format must be a CenterFormat"),
    ({"rules": FloorRules(grace_minutes=-1)}, "cannot be negative"),
])
def test_bad_centre(kw: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        centre(**kw)


def test_bad_service_and_window() -> None:
    with pytest.raises(ValueError, match="can draw negative minutes"):
        ServiceSpec("A", Normal(5, 2))
    with pytest.raises(ValueError, match="must be a distribution"):
        ServiceSpec("A", 5.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_wait_minutes must be >= 0"):
        ServiceSpec("A", Exponential(5), -1)
    with pytest.raises(ValueError, match="serves no service"):
        WindowSpec(frozenset())


def test_bad_demand() -> None:
    with pytest.raises(ValueError, match="no_show must be a probability"):
        BookedDemand({"A": (1,)}, no_show=1.5)
    with pytest.raises(ValueError, match="expected whole numbers >= 0"):
        BookedDemand({"A": (1, -1)})
    with pytest.raises(ValueError, match="slot_minutes must be a whole number"):
        BookedDemand({"A": (1,)}, slot_minutes=0)
    with pytest.raises(ValueError, match="expected numbers >= 0"):
        WalkInDemand({"A": (math.nan,)})
    with pytest.raises(ValueError, match=r"privileged_share must be 0\.\.1"):
        Demand(privileged_share=2)
    with pytest.raises(ValueError, match="patience can draw negative minutes"):
        Demand(patience=Normal(5, 5))
    with pytest.raises(ValueError, match=r"must be 0\.\.1"):
        DayDemand({"A": 3}, booked_share=-0.1)


def test_demand_that_does_not_fit_the_centre() -> None:
    model = centre(opens=540, closes=600)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"booked services not at this centre: \['B'\]"):
        generate(model, Demand(BookedDemand({"B": (1,)})), rng)
    with pytest.raises(ValueError, match="5 slots of 15 min run past closing"):
        generate(model, Demand(BookedDemand({"A": (1,) * 5})), rng)
    with pytest.raises(ValueError, match="2 hours of walk-ins, the centre is open 1 h"):
        generate(model, Demand(walk_ins=WalkInDemand({"A": (1.0, 1.0)})), rng)


def test_rng_must_be_an_explicit_generator() -> None:
    with pytest.raises(ValueError, match=r"numpy.random.Generator"):
        simulate_day(centre(), Demand(), 42)  # type: ignore[arg-type]


def test_people_no_window_would_ever_take() -> None:
    model = centre(windows=(WindowSpec(frozenset({"A"}), privilege=True),),
                   rules=FloorRules(privilege_serves_others=False))
    arrivals = Arrivals.walk_ins(np.array([1.0]), np.array([0], np.int32), np.array([5.0]))
    with pytest.raises(ValueError, match="served only at privilege windows"):
        run(model, arrivals)


def test_inconsistent_arrivals() -> None:
    with pytest.raises(ValueError, match="same length"):
        Arrivals.walk_ins(np.array([1.0, 2.0]), np.array([0], np.int32), np.array([5.0]))
    with pytest.raises(ValueError, match="service time and patience >= 0"):
        Arrivals.walk_ins(np.array([1.0]), np.array([0], np.int32), np.array([-5.0]))


def test_fast_path_refused_where_it_would_be_wrong() -> None:
    model = centre(occupancy_limit=3, format=CenterFormat.MIXED)
    arrivals = Arrivals.walk_ins(np.array([1.0]), np.array([0], np.int32), np.array([5.0]))
    with pytest.raises(ValueError, match="FCFS shortcut does not apply"):
        run(model, arrivals, fast=True)
