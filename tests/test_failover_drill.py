"""The failover drill's arithmetic (bench/failover.py): what counts as unavailability,
as an unexpected answer, and the rates before and after; no database needed."""

from __future__ import annotations

import pytest
from bench.failover import multi_host_url
from bench.failover_report import Answer, Drill, Timeline, figures


def _drill(answers: list[Answer], seconds: float = 20.0) -> Drill:
    return Drill(answers=answers, seconds=seconds,
                 timeline=Timeline(kill=10.0, promote_begun=12.0, promoted=12.5))


def _ok(at: float) -> Answer:
    return Answer(at, "201", code=f"C{at:.2f}")


def test_unavailability_is_the_longest_time_without_a_201() -> None:
    answers = [_ok(t / 10) for t in range(20, 100)]  # 2.0 .. 9.9 s, ten a second
    answers += [Answer(10.5, "503 unavailable"), Answer(11.0, "503 busy")]
    answers += [_ok(12.7 + t / 10) for t in range(0, 70)]  # 12.7 .. 19.6 s
    f = figures(_drill(answers))
    assert f.gap == pytest.approx(2.8)  # 9.9 -> 12.7, longer than the 2 s before the first
    assert f.gap_from == pytest.approx(9.9) and f.gap_to == pytest.approx(12.7)
    assert f.unexpected == 0
    assert f.outage_outcomes["503 unavailable"] == 1 and f.outage_outcomes["201"] == 1
    assert f.before_rate == pytest.approx(10.0)
    assert f.after_rate == pytest.approx(10.0, rel=0.1)
    assert f.acknowledged == 150


def test_no_201_after_the_kill_makes_the_whole_rest_unavailable() -> None:
    f = figures(_drill([_ok(1.0), _ok(9.0)]))
    assert f.gap == pytest.approx(11.0) and f.after_rate == 0.0


@pytest.mark.parametrize("outcome", ["500 internal_error", "transport ConnectionResetError",
                                     "201 without a code", "502 without the error envelope",
                                     "400 validation_error"])
def test_any_other_answer_is_counted_unexpected(outcome: str) -> None:
    f = figures(_drill([_ok(1.0), Answer(10.2, outcome), Answer(10.3, "409 slot_full"),
                        Answer(10.4, "429 rate_limited"), _ok(13.0)]))
    assert f.unexpected == 1


def test_the_url_names_both_nodes_and_asks_for_the_writable_one() -> None:
    assert multi_host_url([5501, 5502]) == ("postgresql+asyncpg://postgres@/postgres?"
                                    "host=127.0.0.1:5501&host=127.0.0.1:5502"
                                    "&target_session_attrs=read-write")
