"""Windows needed: least counts, exact at the boundary, checked against direct sums."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from kezek.sim.distributions import Exponential
from kezek.sim.engine import run
from kezek.sim.erlang import ErlangA
from kezek.sim.records import Outcome
from kezek.sim.staffing import Target, evaluate, hourly_windows, windows_needed
from kezek.sim.textbook import mmc_model, poisson_arrivals, simulate_mmc


def service_level_direct(c: int, a: Fraction, service_min: float, within_min: float) -> float:
    """1 - C exp(-(c - a) t / s), with C from the exact rational sum (independent of the code)."""
    if c <= a:
        return 0.0
    top = a**c / math.factorial(c) * Fraction(c) / (c - a)
    erl_c = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return 1.0 - float(erl_c) * math.exp(-float(c - a) * within_min / service_min)


def least_by_scan(a: Fraction, service_min: float, level: float, within_min: float) -> int:
    c = 1
    while service_level_direct(c, a, service_min, within_min) < level:
        c += 1
    return c


def test_hand_checked_tiny_centre() -> None:
    # 60 arrivals/h, 1-minute service: a = 1 Erlang. Nobody waits with probability 1 - C:
    # 2 windows: 1 - 1/3 = 2/3; 3 windows: 1 - 1/11 = 10/11 (see test_erlang). So "80 % wait
    # 0 minutes" needs 3 windows, and "2/3 wait 0 minutes" needs exactly 2.
    assert windows_needed(60, 1.0, Target(0.8, 0.0)).windows == 3
    assert windows_needed(60, 1.0, Target(2 / 3, 0.0)).windows == 2


def test_exact_at_the_boundary() -> None:
    # 2 windows, a = 1: P(W <= t) = 1 - e^{-t}/3. Setting it to 0.8 gives e^{-t} = 0.6,
    # t = ln(5/3) minutes. At that wait limit 2 windows meet an 80 % target exactly: enough.
    t = math.log(5 / 3)
    assert evaluate(2, 60, 1.0, Target(0.8, t)).service_level == pytest.approx(0.8, abs=1e-15)
    exact = windows_needed(60, 1.0, Target(0.8, t))
    assert exact.windows == 2
    # A hair shorter wait limit and 2 windows fall short: 3 are needed.
    assert windows_needed(60, 1.0, Target(0.8, t - 1e-6)).windows == 3
    # A target a hair above what 2 windows give, likewise: 3.
    assert windows_needed(60, 1.0, Target(0.8 + 1e-7, t)).windows == 3
    # The same boundary at a target computed another way (1 - 1/5 instead of 0.8).
    assert windows_needed(60, 1.0, Target(1 - 1 / 5, t)).windows == 2


def test_boundary_on_the_stability_edge() -> None:
    # 120 arrivals/h, 1-minute service: a = 2 Erlangs. 2 windows are unstable (load = windows),
    # so the least candidate is 3: P(W = 0) = 1 - C(3, 2); C(3, 2) by hand: sum_{k<3} 2^k/k! = 5,
    # top = 8/6 * 3/1 = 4, C = 4/9. So 5/9 of arrivals do not wait with 3 windows.
    assert windows_needed(120, 1.0, Target(5 / 9, 0.0)).windows == 3
    assert windows_needed(120, 1.0, Target(5 / 9 + 1e-6, 0.0)).windows == 4


def test_classic_call_centre() -> None:
    # The textbook case: 200 calls/h, 3-minute handling: a = 10 Erlangs; 80 % answered within
    # 20 s. 13 agents give 79.56 %, 14 give 88.84 % (direct sums below): 14 agents.
    target = Target(0.8, 20 / 60)
    assert service_level_direct(13, Fraction(10), 3.0, 1 / 3) == pytest.approx(0.79559, abs=1e-5)
    assert service_level_direct(14, Fraction(10), 3.0, 1 / 3) == pytest.approx(0.88835, abs=1e-5)
    result = windows_needed(200, 3.0, target)
    assert result.windows == 14
    assert result.service_level == pytest.approx(0.8883500, abs=1e-7)
    assert result.load_erlangs == pytest.approx(10.0)


@pytest.mark.parametrize(("per_hour", "service", "level", "within"),
                         [(360, 4.0, 0.8, 20 / 60), (100, 6.0, 0.9, 0.5), (45, 20.0, 0.8, 30.0),
                          (30, 30.0, 0.95, 30.0), (1000, 15.0, 0.8, 30.0)])
def test_agrees_with_direct_scan(per_hour: int, service: float, level: float,
                                 within: float) -> None:
    a = Fraction(per_hour) * Fraction(service) / 60
    expected = least_by_scan(a, service, level, within)
    assert windows_needed(per_hour, service, Target(level, within)).windows == expected


def test_large_centre_stays_exact() -> None:
    # 5,000 arrivals/h with 15-minute service: 1,250 Erlangs; the least stable count meets a
    # 30-minute standard for 80 %; one fewer is unstable.
    s = windows_needed(5000, 15.0, Target(0.8, 30.0))
    assert s.windows == 1251
    assert 0.8 <= s.service_level < 1.0


def test_erlang_a_staffing() -> None:
    # 60/h, 6-minute service, mean patience 3 minutes, 80 % served within 30 s.
    target = Target(0.8, 0.5)
    s = windows_needed(60, 6.0, target, "erlang_a", 3.0)
    below = ErlangA(s.windows - 1, 1.0, 6.0, 3.0).served_within(0.5)
    at = ErlangA(s.windows, 1.0, 6.0, 3.0).served_within(0.5)
    assert below < 0.8 <= at
    assert s.windows == 8
    # A cap on abandonment can only add windows.
    capped = windows_needed(60, 6.0, Target(0.8, 0.5, max_abandon=0.01), "erlang_a", 3.0)
    assert capped.windows > s.windows
    assert capped.abandon_probability <= 0.01
    # Erlang A can staff below the load (impatient people leave), Erlang C cannot.
    heavy = windows_needed(600, 6.0, Target(0.2, 1.0), "erlang_a", 0.5)
    assert heavy.windows < 60


def test_hourly_profile() -> None:
    profile = [0, 60, 120, 200]
    plan = hourly_windows(profile, 3.0, Target(0.8, 20 / 60), first_hour=9)
    assert [p.hour for p in plan] == [9, 10, 11, 12]
    assert plan[0].staffing.windows == 0
    assert plan[3].staffing.windows == 14
    assert [p.staffing.windows for p in plan] == sorted(p.staffing.windows for p in plan)
    for p in plan[1:]:
        a = Fraction(p.staffing.arrivals_per_hour) * 3 / 60
        assert p.staffing.windows == least_by_scan(a, 3.0, 0.8, 20 / 60)


def test_rejects_bad_input() -> None:
    for level in (0.0, 1.0, 1.5, math.nan):
        with pytest.raises(ValueError):
            Target(level, 1.0)
    with pytest.raises(ValueError):
        Target(0.8, -1.0)
    with pytest.raises(ValueError):
        windows_needed(-5, 3.0, Target(0.8, 1.0))
    with pytest.raises(ValueError):
        windows_needed(60, 0.0, Target(0.8, 1.0))
    with pytest.raises(ValueError, match="patience"):
        windows_needed(60, 3.0, Target(0.8, 1.0), "erlang_a")


# --- Checked by simulation: the discrete-event engine, not the formulas ---------------------


def test_simulation_confirms_erlang_c_staffing() -> None:
    # 200/h, 3-minute service, 85 % within 20 s: the formula says 14 windows (13 give 79.6 %).
    target = Target(0.85, 20 / 60)
    windows = windows_needed(200, 3.0, target).windows
    assert windows == 14
    rng = np.random.default_rng(2024)
    shares = {}
    for c in (windows - 1, windows):
        run = simulate_mmc(200 / 60, 1 / 3, c, 200_000, rng)
        shares[c] = float((run.waits[10_000:] <= target.within_minutes).mean())
    assert shares[windows] >= target.level + 0.02  # met, with room for noise (formula 88.8 %)
    assert shares[windows - 1] <= target.level - 0.03  # missed (formula 79.6 %)
    assert shares[windows] == pytest.approx(0.8884, abs=0.01)
    assert shares[windows - 1] == pytest.approx(0.7956, abs=0.015)


def test_simulation_confirms_erlang_a_staffing() -> None:
    # 60/h, 6-minute service, people give up after 3 minutes on average; 80 % served within
    # 30 s: 8 windows (formula 83.5 %); 7 give 73.3 %.
    target = Target(0.8, 0.5)
    windows = windows_needed(60, 6.0, target, "erlang_a", 3.0).windows
    assert windows == 8
    rng = np.random.default_rng(7)
    service = Exponential(6.0)
    shares = {}
    for c in (windows - 1, windows):
        arrivals = poisson_arrivals(1.0, 60_000, service, rng, patience=Exponential(3.0))
        visits = run(mmc_model(c, service), arrivals)[3_000:]
        served = visits["outcome"] == Outcome.SERVED
        shares[c] = float((served & (visits["start"] - visits["arrival"] <= 0.5)).mean())
    assert shares[windows] >= target.level + 0.01
    assert shares[windows - 1] <= target.level - 0.03
    assert shares[windows] == pytest.approx(ErlangA(8, 1.0, 6.0, 3.0).served_within(0.5),
                                            abs=0.015)
