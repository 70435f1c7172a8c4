"""Pluggable distributions of minutes: service times, punctuality, patience.

Each one draws a whole vector at once from the generator it is given, so a day of a
centre costs one numpy call per service rather than one Python call per visit, and
the same generator state always gives the same draws (no global seed anywhere).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@runtime_checkable
class Distribution(Protocol):
    """Anything that can draw `size` values in minutes from an explicit generator.

    Implementations should be frozen (hashable, compared by value): demand generation
    draws once per distinct distribution, so equal specs of many services share a draw.
    """

    @property
    def mean(self) -> float: ...

    @property
    def nonnegative(self) -> bool:
        """True when no draw can be below zero (required of service times and patience)."""
        ...

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray: ...


def _finite(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


@dataclass(frozen=True, slots=True)
class Exponential:
    """Memoryless times: the M in M/M/c, and the usual model of patience (Erlang A)."""

    mean_minutes: float

    def __post_init__(self) -> None:
        if _finite("exponential mean", self.mean_minutes) <= 0:
            raise ValueError(f"exponential mean must be > 0, got {self.mean_minutes!r}")

    @property
    def mean(self) -> float:
        return float(self.mean_minutes)

    @property
    def nonnegative(self) -> bool:
        return True

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.exponential(self.mean_minutes, size)


@dataclass(frozen=True, slots=True)
class LogNormal:
    """Counter times as measured in practice: skewed, never negative; given by mean and sd."""

    mean_minutes: float
    sd_minutes: float

    def __post_init__(self) -> None:
        if _finite("lognormal mean", self.mean_minutes) <= 0:
            raise ValueError(f"lognormal mean must be > 0, got {self.mean_minutes!r}")
        if _finite("lognormal sd", self.sd_minutes) <= 0:
            raise ValueError(f"lognormal sd must be > 0, got {self.sd_minutes!r}")

    @property
    def mean(self) -> float:
        return float(self.mean_minutes)

    @property
    def nonnegative(self) -> bool:
        return True

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        # Parameters of the underlying normal that give this mean and sd.
        s2 = math.log1p((self.sd_minutes / self.mean_minutes) ** 2)
        mu = math.log(self.mean_minutes) - s2 / 2
        return rng.lognormal(mu, math.sqrt(s2), size)


@dataclass(frozen=True, slots=True)
class Deterministic:
    """A fixed time (M/D/c checks, or 'everyone comes exactly on time' with 0)."""

    value: float

    def __post_init__(self) -> None:
        _finite("deterministic value", self.value)

    @property
    def mean(self) -> float:
        return float(self.value)

    @property
    def nonnegative(self) -> bool:
        return self.value >= 0

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return np.full(size, float(self.value))


@dataclass(frozen=True, slots=True)
class Normal:
    """Punctuality: minutes late (negative = early) around a mean; may be below zero."""

    mean_minutes: float
    sd_minutes: float

    def __post_init__(self) -> None:
        _finite("normal mean", self.mean_minutes)
        if _finite("normal sd", self.sd_minutes) < 0:
            raise ValueError(f"normal sd must be >= 0, got {self.sd_minutes!r}")

    @property
    def mean(self) -> float:
        return float(self.mean_minutes)

    @property
    def nonnegative(self) -> bool:
        return False

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.normal(self.mean_minutes, self.sd_minutes, size)


@dataclass(frozen=True, slots=True)
class Uniform:
    """Equally likely anywhere in [low, high)."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if _finite("uniform high", self.high) < _finite("uniform low", self.low):
            raise ValueError(f"uniform needs low <= high, got {self.low!r} > {self.high!r}")

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    @property
    def nonnegative(self) -> bool:
        return self.low >= 0

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.uniform(self.low, self.high, size)


@dataclass(frozen=True, slots=True)
class Empirical:
    """Resampling of observed minutes (e.g. counter times from the floor's event record)."""

    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.values:
            raise ValueError("empirical distribution needs at least one observed value")
        for v in self.values:
            _finite("empirical value", v)

    @classmethod
    def of(cls, values: Sequence[float] | FloatArray) -> Empirical:
        return cls(tuple(float(v) for v in values))

    @property
    def mean(self) -> float:
        return math.fsum(self.values) / len(self.values)

    @property
    def nonnegative(self) -> bool:
        return min(self.values) >= 0

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        pool = np.asarray(self.values, dtype=np.float64)
        return pool[rng.integers(0, len(pool), size)]


def check_distribution(name: str, dist: object, *, nonnegative: bool) -> None:
    """Refuses a non-distribution, or one that can draw negative minutes where none may be."""
    if not isinstance(dist, Distribution):
        raise ValueError(f"{name} must be a distribution (Exponential, LogNormal, ...), "
                         f"got {type(dist).__name__}")
    if nonnegative and not dist.nonnegative:
        raise ValueError(f"{name} can draw negative minutes; use a non-negative distribution")
