"""Booking life cycle and booking codes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kezek.core.booking import (
    CODE_ALPHABET,
    CODE_LENGTH,
    HOLDING,
    TRANSITIONS,
    BookingStatus,
    display_code,
    new_code,
    normalize_code,
    transition,
)
from kezek.core.errors import InvalidState

S = BookingStatus

ALLOWED = {
    (S.ACTIVE, S.CANCELLED),
    (S.ACTIVE, S.CHECKED_IN),
    (S.ACTIVE, S.NO_SHOW),
    (S.ACTIVE, S.EXPIRED),
    (S.ACTIVE, S.MOVED),
    (S.CHECKED_IN, S.SERVED),
    (S.CHECKED_IN, S.NO_SHOW),
}


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_transitions(current: BookingStatus, target: BookingStatus) -> None:
    assert transition(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    sorted(set(itertools.product(list(S), list(S))) - ALLOWED),
)
def test_refused_transitions(current: BookingStatus, target: BookingStatus) -> None:
    with pytest.raises(InvalidState) as exc:
        transition(current, target)
    assert exc.value.params == {"current": current.value, "target": target.value}


def test_final_states_are_final() -> None:
    for status in (S.CANCELLED, S.SERVED, S.NO_SHOW, S.EXPIRED):
        assert TRANSITIONS[status] == frozenset()
    assert set(TRANSITIONS) == set(S)


def test_holding_statuses() -> None:
    assert set(HOLDING) == {S.ACTIVE, S.CHECKED_IN}


def test_code_alphabet_avoids_ambiguous_characters() -> None:
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET) == 31
    for ambiguous in "01OIL":
        assert ambiguous not in CODE_ALPHABET
    assert all(c.isascii() and (c.isupper() or c.isdigit()) for c in CODE_ALPHABET)


def test_new_code_shape_and_uniqueness() -> None:
    codes = [new_code() for _ in range(10_000)]
    for code in codes:
        assert len(code) == CODE_LENGTH == 8
        assert set(code) <= set(CODE_ALPHABET)
    assert len(set(codes)) == len(codes)
    # every character of the alphabet turns up (80,000 draws from 31 symbols)
    assert set("".join(codes)) == set(CODE_ALPHABET)


def test_normalize_code_as_people_type_it() -> None:
    assert normalize_code("abcd-2345") == "ABCD2345"
    assert normalize_code(" abcd 2345 ") == "ABCD2345"
    assert normalize_code("AbCd—23.45") == "ABCD2345"


def test_display_code() -> None:
    assert display_code("ABCD2345") == "ABCD-2345"
    assert display_code("ABC") == "ABC"
    assert display_code("ABCD23456") == "ABCD23456"


_codes = st.text(alphabet=CODE_ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH)


@given(_codes)
@settings(max_examples=300)
def test_display_normalize_round_trip(code: str) -> None:
    shown = display_code(code)
    assert len(shown) == CODE_LENGTH + 1 and shown[4] == "-"
    assert normalize_code(shown) == code
    assert normalize_code(shown.lower()) == code
    assert normalize_code(" " + shown.replace("-", " ") + " ") == code
    assert display_code(normalize_code(shown)) == shown


@given(st.text(max_size=20))
@settings(max_examples=200)
def test_normalize_code_is_idempotent(raw: str) -> None:
    once = normalize_code(raw)
    assert normalize_code(once) == once
    assert "-" not in once and " " not in once
