"""Flat records: the people who come (arrivals) and what happened to each (visits).

Both are column data in numpy, not Python objects per person, so a national day of
140,000 visits is a handful of arrays that KPIs, DuckDB or pandas read directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray


class Outcome(IntEnum):
    SERVED = 0
    NO_SHOW = 1  # booked and never came
    ABANDONED = 2  # ran out of patience while waiting
    TURNED_AWAY = 3  # a walk-in (or a booked person past the grace) at a booking-only centre


class Klass(IntEnum):
    """How the floor treated the person on arrival (floor.Rank without the 'early' phase)."""

    BOOKED = 0  # kept the booking (came before slot start + grace)
    WALK_IN = 1  # came without a booking, or past the grace


VISIT_DTYPE = np.dtype([
    ("centre", np.int32),  # index of the centre in the run (0 for a single centre)
    ("service", np.int32),  # index into CenterModel.services
    ("klass", np.int8),  # Klass
    ("booked", np.bool_),  # had a booking (even if treated as a walk-in later)
    ("privileged", np.bool_),
    ("slot", np.float64),  # booked slot start, minutes of the day; NaN for walk-ins
    ("arrival", np.float64),  # NaN for no-shows
    ("admitted", np.float64),  # let inside (occupancy limit); NaN if never
    ("start", np.float64),  # at the window; NaN if not served
    ("end", np.float64),  # left the window, or the moment of abandoning
    ("window", np.int16),  # index into CenterModel.windows; -1 if not served
    ("outcome", np.int8),  # Outcome
])

Visits = NDArray[np.void]


@dataclass(frozen=True, slots=True)
class Arrivals:
    """Everyone expected at a centre for a day, with their drawn times, in columns.

    Service time and patience are drawn up front, so a run of the engine over given
    arrivals is deterministic: the generator is used once, in generation only.
    """

    time: NDArray[np.float64]  # arrival minute (ignored for no-shows)
    service: NDArray[np.int32]
    booked: NDArray[np.bool_]
    slot: NDArray[np.float64]  # NaN for walk-ins
    privileged: NDArray[np.bool_]
    no_show: NDArray[np.bool_]
    service_time: NDArray[np.float64]
    patience: NDArray[np.float64]  # inf when people do not abandon

    def __post_init__(self) -> None:
        n = len(self.time)
        cols = (self.service, self.booked, self.slot, self.privileged, self.no_show,
                self.service_time, self.patience)
        if any(len(c) != n for c in cols):
            raise ValueError("arrival columns must all have the same length")
        if n and (np.isnan(self.time[~self.no_show]).any() or (self.service_time < 0).any()
                  or np.isnan(self.service_time).any() or (self.patience < 0).any()):
            raise ValueError("arrival times must be numbers; service time and patience >= 0")
        if n and (np.isnan(self.slot[self.booked]).any() or
                  not np.isnan(self.slot[~self.booked]).all()):
            raise ValueError("booked arrivals need a slot, walk-ins must not have one")

    def __len__(self) -> int:
        return len(self.time)

    @classmethod
    def walk_ins(cls, time: NDArray[np.float64], service: NDArray[np.int32],
                 service_time: NDArray[np.float64],
                 privileged: NDArray[np.bool_] | None = None,
                 patience: NDArray[np.float64] | None = None) -> Arrivals:
        """Unbooked arrivals only: the shape of textbook queues (M/M/c, priority M/M/c)."""
        n = len(time)
        return cls(
            time=np.asarray(time, dtype=np.float64),
            service=np.asarray(service, dtype=np.int32),
            booked=np.zeros(n, dtype=np.bool_), slot=np.full(n, np.nan),
            privileged=(np.zeros(n, dtype=np.bool_) if privileged is None
                        else np.asarray(privileged, dtype=np.bool_)),
            no_show=np.zeros(n, dtype=np.bool_),
            service_time=np.asarray(service_time, dtype=np.float64),
            patience=(np.full(n, np.inf) if patience is None
                      else np.asarray(patience, dtype=np.float64)),
        )

    @classmethod
    def concat(cls, parts: list[Arrivals]) -> Arrivals:
        def cat(name: str) -> NDArray[np.generic]:
            return np.concatenate([getattr(p, name) for p in parts])
        return cls(
            time=cat("time").astype(np.float64), service=cat("service").astype(np.int32),
            booked=cat("booked").astype(np.bool_), slot=cat("slot").astype(np.float64),
            privileged=cat("privileged").astype(np.bool_),
            no_show=cat("no_show").astype(np.bool_),
            service_time=cat("service_time").astype(np.float64),
            patience=cat("patience").astype(np.float64),
        )


def waits(visits: Visits) -> NDArray[np.float64]:
    """Minutes waited for the window, NaN for people not served.

    A booked person who comes early is not waiting for the centre before the slot: their
    wait runs from the later of arrival and slot start. A walk-in waits from arrival.
    """
    start = visits["start"]
    since = np.where(visits["klass"] == Klass.BOOKED,
                     np.fmax(visits["arrival"], visits["slot"]), visits["arrival"])
    out: NDArray[np.float64] = np.where(visits["outcome"] == Outcome.SERVED,
                                        np.maximum(start - since, 0.0), np.nan)
    return out
