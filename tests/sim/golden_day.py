"""The centre day whose seeded results are pinned in test_golden.py."""

from __future__ import annotations

from kezek.core.floor import FloorRules
from kezek.core.network import CenterFormat
from kezek.sim import (
    BookedDemand,
    CenterModel,
    Demand,
    Deterministic,
    Empirical,
    Exponential,
    LogNormal,
    Normal,
    ServiceSpec,
    WalkInDemand,
    WindowSpec,
)


def golden_model() -> CenterModel:
    """Four windows (one a privilege window serving everything), three services with
    different time distributions, an occupancy limit of 7, mixed format, 9:00-13:00."""
    return CenterModel(
        name="golden",
        services=(
            ServiceSpec("01010001", Exponential(8.0), 15),
            ServiceSpec("02010001", LogNormal(12.0, 6.0), 30),
            ServiceSpec("03010001", Empirical.of([4.0, 5.0, 5.0, 6.0, 11.0]), 10),
            ServiceSpec("04010001", Deterministic(6.0), 20),
        ),
        windows=(
            WindowSpec(frozenset({"01010001"}), label="1"),
            WindowSpec(frozenset({"01010001", "02010001"}), label="2"),
            WindowSpec(frozenset({"02010001", "03010001", "04010001"}), label="3"),
            WindowSpec(frozenset({"01010001", "02010001", "03010001", "04010001"}),
                       privilege=True, label="4"),
        ),
        opens=540, closes=780, occupancy_limit=7, format=CenterFormat.MIXED,
        rules=FloorRules(grace_minutes=15, early_lead_minutes=5),
    )


def golden_demand() -> Demand:
    """Bookings every 15 minutes, walk-ins peaking at 10:00, 15 % privileged, 10 % no-show."""
    per_slot = {
        "01010001": (2, 1, 2, 1, 2, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 0),
        "02010001": (1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0),
        "03010001": (0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0),
    }
    per_hour = {
        "01010001": (6.0, 9.0, 8.0, 4.0),
        "02010001": (2.0, 4.0, 3.0, 2.0),
        "04010001": (3.0, 5.0, 4.0, 2.0),
    }
    return Demand(BookedDemand(per_slot, 15, Normal(-4.0, 8.0), 0.1), WalkInDemand(per_hour),
                  privileged_share=0.15)
