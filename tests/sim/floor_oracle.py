"""Checks a simulated day against the live floor's own ordering (kezek.core.floor).

At every moment a window started serving someone, the people then waiting inside are
rebuilt as the floor's `Waiting` snapshots and `candidates_for_window` is asked whom
this window should call: the engine must have called exactly that person.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from kezek.core.floor import Waiting, candidates_for_window
from kezek.sim import CenterModel, Klass, Outcome
from kezek.sim.records import Visits

BASE = dt.datetime(2026, 3, 2)


def at(minutes: float) -> dt.datetime:
    return BASE + dt.timedelta(minutes=minutes)


def floor_violations(model: CenterModel, visits: Visits) -> list[str]:
    """Every call the floor would have made differently; empty when the engine agrees."""
    codes = model.codes
    admitted = visits["admitted"]
    start = visits["start"]
    end = visits["end"]
    inside = ~np.isnan(admitted)
    left = np.where(np.isnan(start), end, start)  # when each stopped waiting
    problems: list[str] = []
    for x in np.flatnonzero(visits["outcome"] == Outcome.SERVED):
        t = float(start[x])
        w = int(visits["window"][x])
        window = model.windows[w]
        waiting_idx = np.flatnonzero(inside & (admitted < t) & (left > t))
        snapshot = [_snapshot(visits, int(i), codes) for i in waiting_idx if i != x]
        snapshot.append(_snapshot(visits, int(x), codes))
        chosen = candidates_for_window(snapshot, window.services, window.privilege, at(t),
                                       model.rules)
        if not chosen or chosen[0].ticket_id != x:
            best = chosen[0].ticket_id if chosen else None
            problems.append(f"t={t:.3f} window {w} took {x}, the floor would take {best}")
    return problems


def _snapshot(visits: Visits, i: int, codes: tuple[str, ...]) -> Waiting:
    v = visits[i]
    booked_start = at(float(v["slot"])) if v["klass"] == Klass.BOOKED else None
    return Waiting(ticket_id=i, services=frozenset({codes[int(v["service"])]}),
                   arrived=at(float(v["arrival"])), booked_start=booked_start,
                   privileged=bool(v["privileged"]))
