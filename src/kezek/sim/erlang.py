"""Erlang C (M/M/c) and Erlang A (M/M/c+M) in closed form, stable for hundreds of windows.

Why closed forms next to a simulator: staffing searches over many window counts for every
hour of every centre, and a formula answers in microseconds where a simulation needs
thousands of customers; the simulator then checks the answer once.

Numerical care: the textbook Erlang C formula divides a^c / c! by a sum of such terms and
overflows a float near c = 170. Erlang B is computed instead by its recursion
B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), whose every step stays in [0, 1], and Erlang C
follows from it. Erlang A needs the lower incomplete gamma function at large arguments,
which is handled in log space with scipy's regularised `gammainc` and `gammaln`.

Units: any time unit, as long as rates and times agree (Kezek's callers use minutes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.special import gammainc, gammaln


def _check_positive(name: str, value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def _check_servers(servers: int) -> None:
    if isinstance(servers, bool) or not isinstance(servers, int) or servers < 1:
        raise ValueError(f"servers must be a positive integer, got {servers!r}")


def _check_time(t: float) -> None:
    if not (isinstance(t, int | float) and math.isfinite(t) and t >= 0):
        raise ValueError(f"t must be a non-negative finite number, got {t!r}")


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability of M/M/c/c with offered load `load` = lambda / mu (Erlangs)."""
    _check_servers(servers)
    _check_positive("load", load)
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return b


# --- Erlang C ------------------------------------------------------------------------------


def erlang_c(servers: int, load: float) -> float:
    """P(an arrival waits) in M/M/c; needs load < servers (otherwise the queue grows forever)."""
    _check_servers(servers)
    _check_positive("load", load)
    if load >= servers:
        raise ValueError(f"unstable: load {load:g} Erlangs needs more than {servers} servers")
    b = erlang_b(servers, load)
    return servers * b / (servers - load * (1.0 - b))


def _rates(arrival_rate: float, mean_service: float) -> float:
    _check_positive("arrival_rate", arrival_rate)
    _check_positive("mean_service", mean_service)
    return arrival_rate * mean_service


def mmc_wait_probability(servers: int, arrival_rate: float, mean_service: float) -> float:
    """P(W > 0) for M/M/c."""
    return erlang_c(servers, _rates(arrival_rate, mean_service))


def mmc_mean_wait(servers: int, arrival_rate: float, mean_service: float) -> float:
    """E[W] = C / (c mu - lambda), in the unit of `mean_service`."""
    load = _rates(arrival_rate, mean_service)
    c = erlang_c(servers, load)
    return c * mean_service / (servers - load)


def mmc_service_level(servers: int, arrival_rate: float, mean_service: float,
                      t: float) -> float:
    """P(W <= t) = 1 - C exp(-(c mu - lambda) t) for M/M/c (first come, first served)."""
    _check_time(t)
    load = _rates(arrival_rate, mean_service)
    c = erlang_c(servers, load)
    return 1.0 - c * math.exp(-(servers - load) * t / mean_service)


# --- Erlang A ------------------------------------------------------------------------------
#
# Palm's M/M/c+M model (Mandelbaum and Zeltyn, "The Palm/Erlang-A queue"): arrivals at rate
# lambda, exponential service at rate mu, exponential patience at rate theta. With
# x = c mu / theta and y = lambda / theta the queue part of the stationary distribution sums
# to A(x, y) = sum_k y^k / ((x+1)...(x+k)) = x e^y y^-x gamma(x, y), where gamma is the lower
# incomplete gamma function. Then, with B Erlang B for c servers and load lambda / mu:
#   pi_c       = B / (1 + (A - 1) B)                          P(exactly c in system)
#   P(W > 0)   = A pi_c
#   P(abandon) = pi_c (1 + (A - 1)(1 - c mu / lambda))
#   E[W]       = P(abandon) / theta                          (Little: theta E[Q] = lambda P(ab))
#   P(V > t)   = pi_c A(x, y e^{-theta t}) exp(y (1 - e^{-theta t}) - c mu t)   (offered wait)
#   P(0 < W <= t, served) = pi_c x e^y y^-(x+1) [gamma(x+1, y) - gamma(x+1, y q)], q = e^{-theta t}
# The last line integrates the density of the offered wait V times e^{-theta s}, the chance
# that patience outlasts it; it is evaluated through A(x+1, .) (see `served_within`).


def _log_a(x: float, y: float) -> float:
    """log A(x, y); a direct series when the incomplete gamma would underflow (y << x)."""
    p = float(gammainc(x, y))
    if p > 1e-280:
        return math.log(x) + y - x * math.log(y) + float(gammaln(x)) + math.log(p)
    total, term, k = 1.0, 1.0, 0
    while True:
        k += 1
        term *= y / (x + k)
        total += term
        if term < 1e-17 * total:
            return math.log(total)


@dataclass(frozen=True, slots=True)
class ErlangA:
    """M/M/c+M: `servers` windows, arrivals per time unit, mean service and mean patience."""

    servers: int
    arrival_rate: float
    mean_service: float
    mean_patience: float

    def __post_init__(self) -> None:
        _check_servers(self.servers)
        _check_positive("arrival_rate", self.arrival_rate)
        _check_positive("mean_service", self.mean_service)
        _check_positive("mean_patience", self.mean_patience)

    @property
    def _x(self) -> float:
        return self.servers * self.mean_patience / self.mean_service

    @property
    def _y(self) -> float:
        return self.arrival_rate * self.mean_patience

    def _log_pi_c(self) -> float:
        """log P(exactly c in system) = log(B / (1 + (A - 1) B)), without overflowing A."""
        b = erlang_b(self.servers, self.arrival_rate * self.mean_service)
        log_a = _log_a(self._x, self._y)
        # 1 / pi_c = 1/B - 1 + A; both terms are positive (A >= 1), so add them in log space.
        log_rest = math.log(1.0 / b - 1.0) if b < 1.0 else -math.inf
        return -float(_logaddexp(log_rest, log_a))

    def wait_probability(self) -> float:
        """P(an arrival has to wait at all), abandoning or not."""
        return math.exp(self._log_pi_c() + _log_a(self._x, self._y))

    def abandon_probability(self) -> float:
        """P(an arrival gives up before reaching a window)."""
        x, y = self._x, self._y
        log_a = _log_a(x, y)
        a_minus_1 = math.expm1(log_a)
        ratio = x / y  # c mu / lambda
        value = math.exp(self._log_pi_c()) * (1.0 + a_minus_1 * (1.0 - ratio))
        return min(max(value, 0.0), 1.0)

    def mean_wait(self) -> float:
        """E[time in queue] over all arrivals (abandoners count until they leave)."""
        return self.abandon_probability() * self.mean_patience

    def offered_wait_exceeds(self, t: float) -> float:
        """P(V > t): the wait an infinitely patient arrival would face."""
        _check_time(t)
        x, y, theta = self._x, self._y, 1.0 / self.mean_patience
        q = math.exp(-theta * t)
        log_v = (self._log_pi_c() + _log_a(x, y * q) + y * (1.0 - q)
                 - self.servers * t / self.mean_service)
        return math.exp(log_v)

    def served_within(self, t: float) -> float:
        """P(W <= t and served): the share of all arrivals served within t (abandoners miss)."""
        _check_time(t)
        x, y = self._x, self._y
        log_pi = self._log_pi_c()
        no_wait = 1.0 - math.exp(log_pi + _log_a(x, y))
        if t == 0:
            return no_wait
        # P(0 < W <= t, served) = pi_c x/(x+1) [A(x+1, y) - A(x+1, yq) q^(x+1) e^(y(1-q))]:
        # two terms of at most 1 each, so no tiny incomplete-gamma values are subtracted.
        log_q = -t / self.mean_patience
        q = math.exp(log_q)
        head = log_pi + math.log(x / (x + 1.0))
        first = head + _log_a(x + 1.0, y)
        second = head + _log_a(x + 1.0, y * q) + (x + 1.0) * log_q + y * (-math.expm1(log_q))
        waited_served = -math.exp(first) * math.expm1(min(second - first, 0.0))
        return min(no_wait + waited_served, 1.0)


def _logaddexp(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    hi, lo = max(a, b), min(a, b)
    return hi + math.log1p(math.exp(lo - hi))
