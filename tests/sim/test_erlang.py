"""Erlang B/C/A against hand arithmetic, exact rational sums and an independent Markov chain."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.linalg import expm

from kezek.sim.erlang import (
    ErlangA,
    erlang_b,
    erlang_c,
    mmc_mean_wait,
    mmc_service_level,
    mmc_wait_probability,
)


def erlang_c_exact(c: int, a: Fraction) -> Fraction:
    """The textbook formula with exact rationals: (a^c/c! * c/(c-a)) / (sum_{k<c} a^k/k! + same)."""
    top = a**c / math.factorial(c) * Fraction(c) / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def erlang_c_logspace(c: int, a: float) -> float:
    """The same formula, each term in log space with lgamma: no recursion shared with the code."""
    logs = [k * math.log(a) - math.lgamma(k + 1) for k in range(c)]
    log_top = c * math.log(a) - math.lgamma(c + 1) + math.log(c / (c - a))
    m = max(*logs, log_top)
    total = sum(math.exp(v - m) for v in logs) + math.exp(log_top - m)
    return math.exp(log_top - m) / total


def test_erlang_b_by_hand() -> None:
    # B(1, 1) = 1/(1+1) = 1/2; B(2, 1) = (1*1/2)/(2 + 1/2) = 1/5; B(3, 1) = (1/5)/(3 + 1/5) = 1/16
    assert erlang_b(1, 1.0) == pytest.approx(0.5, abs=1e-15)
    assert erlang_b(2, 1.0) == pytest.approx(0.2, abs=1e-15)
    assert erlang_b(3, 1.0) == pytest.approx(1 / 16, abs=1e-15)


def test_erlang_c_by_hand() -> None:
    # c = 1: C = rho. c = 2, a = 1: C = 2B/(2 - 1(1 - B)) = (2/5)/(6/5) = 1/3.
    # c = 3, a = 1: sum_{k<3} 1/k! = 5/2, top = 1/6 * 3/2 = 1/4, C = (1/4)/(11/4) = 1/11.
    assert erlang_c(1, 0.7) == pytest.approx(0.7, abs=1e-15)
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3, abs=1e-15)
    assert erlang_c(3, 1.0) == pytest.approx(1 / 11, abs=1e-15)


def test_mmc_wait_measures_by_hand() -> None:
    # M/M/2, lambda = 1/min, mean service 1 min: C = 1/3, E[W] = C/(c mu - lambda) = 1/3 min;
    # P(W <= t) = 1 - (1/3) e^{-(2-1) t}; at t = ln 2: 1 - 1/6 = 5/6.
    assert mmc_wait_probability(2, 1.0, 1.0) == pytest.approx(1 / 3, abs=1e-15)
    assert mmc_mean_wait(2, 1.0, 1.0) == pytest.approx(1 / 3, abs=1e-15)
    assert mmc_service_level(2, 1.0, 1.0, math.log(2)) == pytest.approx(5 / 6, abs=1e-15)
    assert mmc_service_level(2, 1.0, 1.0, 0.0) == pytest.approx(2 / 3, abs=1e-15)
    # M/M/1, lambda = 0.5, mean service 1: E[W] = rho/(mu - lambda) = 0.5/0.5 = 1.
    assert mmc_mean_wait(1, 0.5, 1.0) == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize(("c", "a"), [(5, Fraction(3)), (14, Fraction(10)), (29, Fraction(24)),
                                      (40, Fraction(79, 2)), (60, Fraction(1, 4))])
def test_erlang_c_equals_exact_rational_sum(c: int, a: Fraction) -> None:
    assert erlang_c(c, float(a)) == pytest.approx(float(erlang_c_exact(c, a)), rel=1e-12)


@pytest.mark.parametrize(("c", "a"), [(171, 160.0), (300, 290.5), (500, 480.0), (800, 799.0),
                                      (900, 100.0)])
def test_erlang_c_large_counts_stay_finite_and_exact(c: int, a: float) -> None:
    # Beyond c = 170, a^c/c! overflows a float in the naive formula; log space does not.
    value = erlang_c(c, a)
    assert 0.0 <= value <= 1.0
    assert value == pytest.approx(erlang_c_logspace(c, a), rel=1e-10, abs=1e-300)


def test_erlang_c_refuses_unstable_and_bad_input() -> None:
    with pytest.raises(ValueError, match="unstable"):
        erlang_c(3, 3.0)
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError):
            erlang_c(bad, 1.0)  # type: ignore[arg-type]
    for load in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError):
            erlang_c(3, load)
    with pytest.raises(ValueError):
        mmc_service_level(3, 1.0, 1.0, -1.0)


# --- Erlang A against a truncated birth-death chain, solved without any of the formulas -------


def chain(c: int, lam: float, s: float, patience: float, size: int) -> np.ndarray:
    mu, theta = 1 / s, 1 / patience
    w = [1.0]
    for j in range(1, size):
        w.append(w[-1] * lam / (min(j, c) * mu + max(j - c, 0) * theta))
    p = np.array(w)
    return np.asarray(p / p.sum())


def served_within_by_chain(c: int, lam: float, s: float, patience: float, t: float) -> float:
    """Arrivals see the stationary state (PASTA); a tagged arrival with k ahead is then followed
    through a small absorbing chain (ahead count; served; abandoned) with a matrix exponential."""
    ahead = 250
    p = chain(c, lam, s, patience, c + ahead + 10)
    mu, theta = 1 / s, 1 / patience
    n = ahead + 1
    q = np.zeros((n + 2, n + 2))
    for k in range(n):
        move = c * mu + k * theta  # a window frees up, or someone ahead gives up
        q[k, n if k == 0 else k - 1] += move
        q[k, n + 1] += theta  # the tagged arrival gives up
        q[k, k] = -(move + theta)
    reach = expm(q * t)
    return float(p[:c].sum() + sum(p[c + k] * reach[k, n] for k in range(n)))


@pytest.mark.parametrize(("c", "lam", "s", "patience"),
                         [(3, 0.5, 4.0, 6.0), (10, 2.2, 5.0, 3.0), (5, 3.0, 2.0, 1.5),
                          (1, 0.8, 1.0, 0.5)])
def test_erlang_a_against_markov_chain(c: int, lam: float, s: float, patience: float) -> None:
    q = ErlangA(c, lam, s, patience)
    p = chain(c, lam, s, patience, 600)
    queue = sum((j - c) * p[j] for j in range(c, len(p)))
    assert q.wait_probability() == pytest.approx(p[c:].sum(), rel=1e-12)
    assert q.abandon_probability() == pytest.approx(queue / patience / lam, rel=1e-12)
    assert q.mean_wait() == pytest.approx(queue / lam, rel=1e-12)  # Little's law
    for t in (0.0, 0.5, 2.0):
        assert q.served_within(t) == pytest.approx(served_within_by_chain(c, lam, s, patience, t),
                                                   abs=1e-12)


def test_erlang_a_by_hand_single_window() -> None:
    # c = 1, lambda = mu = theta = 1: in state j >= 1 one person is served (rate 1) and j - 1
    # wait (each gives up at rate 1), so the way down is j and p_j = p_0 / j!: Poisson(1),
    # p_0 = 1/e. P(W > 0) = P(N >= 1) = 1 - 1/e. E[Q] = E[N] - P(N >= 1) = 1 - (1 - 1/e) = 1/e,
    # P(abandon) = theta E[Q] / lambda = 1/e, and nobody waits with probability 1/e.
    q = ErlangA(1, 1.0, 1.0, 1.0)
    assert q.wait_probability() == pytest.approx(1 - 1 / math.e, rel=1e-13)
    assert q.abandon_probability() == pytest.approx(1 / math.e, rel=1e-13)
    assert q.mean_wait() == pytest.approx(1 / math.e, rel=1e-13)
    assert q.served_within(0.0) == pytest.approx(1 / math.e, rel=1e-13)


def test_erlang_a_tends_to_erlang_c_for_patient_people() -> None:
    q = ErlangA(10, 1.5, 6.0, 1e7)
    assert q.wait_probability() == pytest.approx(erlang_c(10, 9.0), rel=1e-5)
    assert q.served_within(1.0) == pytest.approx(mmc_service_level(10, 1.5, 6.0, 1.0), rel=1e-5)
    assert q.abandon_probability() < 1e-6


def test_erlang_a_overload_and_large_counts() -> None:
    # Erlang A stays defined above capacity: people give up instead of the queue exploding.
    over = ErlangA(40, 70.0, 6.0, 3.0)  # 420 Erlangs on 40 windows
    assert over.wait_probability() == pytest.approx(1.0, abs=1e-9)
    assert over.abandon_probability() == pytest.approx(1 - 40 / 420, rel=1e-3)
    big = ErlangA(400, 70.0, 6.0, 3.0)
    assert 0 < big.abandon_probability() < big.wait_probability() < 1
    assert 0 < big.served_within(0.3) < 1
    with pytest.raises(ValueError):
        ErlangA(3, 1.0, 1.0, 0.0)
    with pytest.raises(ValueError):
        ErlangA(3, 1.0, 1.0, 1.0).served_within(-1.0)
