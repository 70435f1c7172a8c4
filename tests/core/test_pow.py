"""The difficulty rule: free for a citizen, doubling for a client that repeats."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kezek.core.pow import DEFAULT_RULE, PowRule

RULE = PowRule(free_per_address=3, free_per_network=30, base=1000, ceiling=64_000,
               floor=10, network_share=10)


def test_within_the_allowance_a_step_is_free_and_a_page_solves_the_floor() -> None:
    for steps in range(3):
        assert RULE.required(steps, steps) == 0
        assert RULE.max_number(steps, steps) == 10


def test_each_step_past_the_allowance_costs_twice_the_last_up_to_the_ceiling() -> None:
    sizes = [RULE.required(steps, 0) for steps in range(3, 12)]
    assert sizes == [1000, 2000, 4000, 8000, 16000, 32000, 64000, 64000, 64000]


def test_a_network_counts_ten_times_less_than_an_address() -> None:
    # One step from each of many addresses of a /24: past the network's 30, every 10
    # further steps there count as one step of one address.
    assert RULE.required(0, 29) == 0
    assert RULE.required(0, 30) == 1000
    assert RULE.required(0, 39) == 1000
    assert RULE.required(0, 40) == 2000
    # The address's own count wins when it is the larger.
    assert RULE.required(5, 40) == 4000


@given(st.integers(0, 10_000), st.integers(0, 100_000), st.integers(0, 5), st.integers(0, 50))
def test_more_steps_never_cost_less(address: int, network: int, more: int, more_net: int) -> None:
    rule = DEFAULT_RULE
    assert rule.required(address + more, network + more_net) >= rule.required(address, network)
    assert rule.floor <= rule.max_number(address, network) <= rule.ceiling
    if rule.required(address, network):
        assert rule.required(address, network) == rule.max_number(address, network)


def test_the_default_lets_a_citizen_through_free_and_makes_a_repeater_pay() -> None:
    # A first booking takes the confirm form, the number and maybe one resend: free.
    assert DEFAULT_RULE.required(2, 2) == 0
    assert DEFAULT_RULE.required(DEFAULT_RULE.free_per_address + 4, 0) == \
        DEFAULT_RULE.base * 16
    assert DEFAULT_RULE.required(1000, 0) == DEFAULT_RULE.ceiling
