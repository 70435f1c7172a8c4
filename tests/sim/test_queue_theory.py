"""The engine against queueing theory (Erlang C) and against Ciw (priority M/M/c)."""

from __future__ import annotations

import math

import ciw
import numpy as np
import pytest

from kezek.sim import Exponential, run, simulate_mmc, simulate_priority_mmc
from kezek.sim.engine import is_plain_fcfs
from kezek.sim.textbook import mmc_model, poisson_arrivals


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of M/M/c, written out here independently of kezek.sim."""
    a = lam / mu
    rho = a / c
    head = sum(a**k / math.factorial(k) for k in range(c))
    tail = a**c / math.factorial(c) / (1 - rho)
    p_wait = tail / (head + tail)
    return p_wait / (c * mu - lam)


def test_erlang_c_formula_itself() -> None:
    # M/M/1: Wq = rho / (mu - lam); a check that the reference is right before using it.
    assert erlang_c_wait(0.5, 1.0, 1) == pytest.approx(1.0)
    assert erlang_c_wait(9.0, 1.0, 10) == pytest.approx(0.66873, abs=1e-5)


def test_mmc_mean_wait_matches_erlang_c_within_2_percent() -> None:
    """rho = 0.9, c = 10: 30 seeded runs of 500,000 customers, first 2 % of each dropped
    (the queue starts empty). The spread of the 30 run means gives a standard error of
    about 0.7 %, so 2 % is a fair test that a biased engine would fail."""
    lam, mu, c, n = 9.0, 1.0, 10, 500_000
    expected = erlang_c_wait(lam, mu, c)
    means = np.array([simulate_mmc(lam, mu, c, n, np.random.default_rng(seed)).waits[n // 50:]
                      .mean() for seed in range(30)])
    se = means.std(ddof=1) / math.sqrt(len(means))
    assert se / expected < 0.01  # the test has the power it claims
    assert abs(means.mean() / expected - 1) < 0.02


def test_floor_loop_gives_the_fcfs_shortcut_waits_exactly() -> None:
    """The full event loop and the Kiefer-Wolfowitz shortcut agree to the last bit on
    M/M/c, so the Erlang C check above validates both."""
    dist = Exponential(1.0)
    model = mmc_model(10, dist)
    for seed in range(3):
        arrivals = poisson_arrivals(9.0, 20_000, dist, np.random.default_rng(seed))
        assert is_plain_fcfs(model, arrivals)
        fast = run(model, arrivals, fast=True)
        full = run(model, arrivals, fast=False)
        np.testing.assert_array_equal(fast["start"], full["start"])
        np.testing.assert_array_equal(fast["end"], full["end"])
        assert (full["window"] >= 0).all()


def _ciw_priority_waits(rates: tuple[float, float], mu: float, c: int, horizon: float,
                        warmup: float, seed: int) -> tuple[float, float]:
    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions={"Class 0": [ciw.dists.Exponential(rates[0])],
                               "Class 1": [ciw.dists.Exponential(rates[1])]},
        service_distributions={"Class 0": [ciw.dists.Exponential(mu)],
                               "Class 1": [ciw.dists.Exponential(mu)]},
        priority_classes={"Class 0": 0, "Class 1": 1},
        number_of_servers=[c],
    )
    q = ciw.Simulation(network)
    q.simulate_until_max_time(horizon)
    recs = [r for r in q.get_all_records() if r.arrival_date > warmup]
    w0 = [r.waiting_time for r in recs if r.customer_class == "Class 0"]
    w1 = [r.waiting_time for r in recs if r.customer_class == "Class 1"]
    return float(np.mean(w0)), float(np.mean(w1))


def _ci(values: list[float]) -> tuple[float, float]:
    """Mean and half-width of its 95 % confidence interval (t, n - 1 degrees of freedom)."""
    t95 = {4: 2.776, 5: 2.571, 7: 2.365, 9: 2.262}
    arr = np.asarray(values)
    return float(arr.mean()), t95[len(arr) - 1] * float(arr.std(ddof=1)) / math.sqrt(len(arr))


def test_two_class_priority_agrees_with_ciw() -> None:
    """Non-preemptive priority M/M/3, rho = 0.85 (class 0: 30 % of arrivals). Per class,
    the difference of the two means lies within the combined 95 % confidence interval
    of 8 independent replications each."""
    rates, mu, c = (0.765, 1.785), 1.0, 3
    horizon, warmup = 4_000.0, 200.0
    ours0, ours1, ciw0, ciw1 = [], [], [], []
    for seed in range(8):
        run_ = simulate_priority_mmc(rates, mu, c, int(sum(rates) * horizon),
                                     np.random.default_rng(seed))
        keep = run_.visits["arrival"] > warmup
        high = run_.visits["privileged"]
        ours0.append(float(run_.waits[keep & high].mean()))
        ours1.append(float(run_.waits[keep & ~high].mean()))
        w0, w1 = _ciw_priority_waits(rates, mu, c, horizon, warmup, seed)
        ciw0.append(w0)
        ciw1.append(w1)
    for ours, theirs in ((ours0, ciw0), (ours1, ciw1)):
        m1, h1 = _ci(ours)
        m2, h2 = _ci(theirs)
        assert abs(m1 - m2) <= math.hypot(h1, h2), (m1, h1, m2, h2)
    # And both classes against the closed form (Cobham): Wq_k = C(c, a) / (c mu) /
    # ((1 - s_{k-1})(1 - s_k)), with s_k the load of classes 0..k.
    lam = sum(rates)
    p_wait = erlang_c_wait(lam, mu, c) * (c * mu - lam)
    s0, s1 = rates[0] / (c * mu), lam / (c * mu)
    cobham = (p_wait / (c * mu) / (1 - s0), p_wait / (c * mu) / ((1 - s0) * (1 - s1)))
    for ours, exact in ((ours0, cobham[0]), (ours1, cobham[1])):
        m, h = _ci(ours)
        assert abs(m - exact) <= h, (m, h, exact)
    # Priority must matter, or the comparison says little: class 0 waits far less.
    assert np.mean(ours0) < 0.3 * np.mean(ours1)
