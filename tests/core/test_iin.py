"""The IIN validator against domain.md's examples and an independent reference."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kezek.core.iin import IinProblem, check, check_digit, hint, is_valid, mask, normalize

# --- an independent reference of domain.md's algorithm (deliberately not kezek's code) ----

_DIGITS = "0123456789"


def _ref_control(first11: str) -> int | None:
    """domain.md: weights 1..11 mod 11; on 10, weights 3..11,1,2; on 10 again, never issued."""
    values = [_DIGITS.index(c) for c in first11]
    first = sum(v * (i + 1) for i, v in enumerate(values)) % 11
    if first != 10:
        return first
    second_weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
    second = sum(v * w for v, w in zip(values, second_weights, strict=True)) % 11
    return None if second == 10 else second


def ref_valid(s: str) -> bool:
    if len(s) != 12 or any(c not in _DIGITS for c in s):
        return False
    control = _ref_control(s[:11])
    return control is not None and control == _DIGITS.index(s[11]) and _ref_date_ok(s)


def _ref_date_ok(s: str) -> bool:
    """domain.md: a person's 7th digit is 1-6 (1800s/1900s/2000s) and YYMMDD a real date."""
    if s[4] in "456":  # a BIN: no date rule
        return True
    if s[6] not in "123456":
        return False
    year = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}[s[6]] + int(s[:2])
    month, day = int(s[2:4]), int(s[4:6])
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return 1 <= day <= days


def _find_bin(entity_digit: str) -> str:
    """A number with a correct check digit whose 5th digit marks a legal entity."""
    for serial in range(10_000):
        first11 = f"0804{entity_digit}00{serial:04d}"
        control = _ref_control(first11)
        if control is not None:
            return first11 + str(control)
    raise AssertionError("no BIN found")


# --- domain.md examples -----------------------------------------------------------------


@pytest.mark.parametrize("iin", ["900101300017", "850715400129", "061211600012"])
def test_domain_examples_pass(iin: str) -> None:
    result = check(iin)
    assert result.valid
    assert result.problem is None
    assert result.value == iin
    assert result.is_bin is False
    assert is_valid(iin)
    assert ref_valid(iin)


def test_wrong_check_digit() -> None:
    result = check("900101300019")
    assert not result.valid
    assert result.problem is IinProblem.BAD_CHECK_DIGIT
    assert not is_valid("900101300019")


def test_unissuable_when_both_passes_give_ten() -> None:
    result = check("900101300800")
    assert not result.valid
    assert result.problem is IinProblem.UNISSUABLE
    assert check_digit("90010130080") is None
    # whatever the last digit, the number can never be valid
    for last in _DIGITS:
        assert check("9001013008" + "0" + last).problem is IinProblem.UNISSUABLE


def test_check_digit_of_examples() -> None:
    assert check_digit("90010130001") == 7
    assert check_digit("85071540012") == 9
    assert check_digit("06121160001") == 2


def test_second_pass_is_used_when_first_gives_ten() -> None:
    # Find 11 digits whose first pass gives 10 but second pass does not: kezek must use it.
    for n in range(100_000):
        first11 = f"9001013{n:04d}"
        values = [int(c) for c in first11]
        if sum(v * (i + 1) for i, v in enumerate(values)) % 11 != 10:
            continue
        expected = _ref_control(first11)
        if expected is None:
            continue
        assert check_digit(first11) == expected
        assert check(first11 + str(expected)).valid
        break
    else:  # pragma: no cover - the search space certainly has one
        raise AssertionError("no second-pass example found")


# --- every problem ------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", " - - ", "\t", "\u00a0"])
def test_empty(raw: str) -> None:
    assert check(raw).problem is IinProblem.EMPTY


@pytest.mark.parametrize(
    "raw",
    [
        "90010130001x",
        "9001013000.7x",
        "٩٠٠١٠١٣٠٠٠١٧",  # Arabic-Indic digits: str.isdigit() is True for these
        "١",
        "９００１０１３０００１７",  # full-width digits
        "+900101300017",
        "abc",
    ],
)
def test_not_digits(raw: str) -> None:
    result = check(raw)
    assert result.problem is IinProblem.NOT_DIGITS
    assert not result.valid


@pytest.mark.parametrize("raw", ["1", "90010130001", "9001013000170", "0" * 20])
def test_wrong_length(raw: str) -> None:
    assert check(raw).problem is IinProblem.WRONG_LENGTH


@pytest.mark.parametrize("entity_digit", ["4", "5", "6"])
def test_bin_is_not_a_person_unless_allowed(entity_digit: str) -> None:
    bin_ = _find_bin(entity_digit)
    assert bin_[4] == entity_digit
    refused = check(bin_)
    assert refused.problem is IinProblem.NOT_A_PERSON
    assert refused.is_bin is True
    assert not refused.valid
    assert not is_valid(bin_)
    accepted = check(bin_, allow_bin=True)
    assert accepted.valid
    assert accepted.is_bin is True


def test_bin_with_bad_check_digit_is_a_check_digit_problem() -> None:
    bin_ = _find_bin("4")
    wrong = bin_[:11] + str((int(bin_[11]) + 1) % 10)
    assert check(wrong).problem is IinProblem.BAD_CHECK_DIGIT
    assert check(wrong, allow_bin=True).problem is IinProblem.BAD_CHECK_DIGIT


# --- normalize ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "900101 300017",
        "900-101-300-017",
        " 900101300017 ",
        "9001 0130 0017",
        "900101\u00a0300017",
        "900101\t300017",
        "90-01-01 3000-17",
    ],
)
def test_normalize_spaces_and_dashes(raw: str) -> None:
    assert normalize(raw) == "900101300017"
    result = check(raw)
    assert result.valid
    assert result.value == "900101300017"


def test_normalize_keeps_other_characters() -> None:
    assert normalize("90/01") == "90/01"
    assert check("900101/300017").problem is IinProblem.NOT_DIGITS
    assert check("900101_300017").problem is IinProblem.NOT_DIGITS


@pytest.mark.parametrize(
    "raw", ["900101.300017", "90.01.01 300017", "900101\u2013300017", "900101\u202f300017"])
def test_normalize_dots_and_typographic_separators(raw: str) -> None:
    # issue 13: dots (dd.mm-style grouping), en dashes and narrow no-break spaces from phones
    assert normalize(raw) == "900101300017"
    assert check(raw).valid


# --- century digit and calendar date (issue 13) ---------------------------------------------


def _with_check(first11: str) -> str:
    control = _ref_control(first11)
    assert control is not None
    return first11 + str(control)


def test_all_zeros_is_a_century_problem() -> None:
    assert check("000000000000").problem is IinProblem.BAD_CENTURY


@pytest.mark.parametrize("century_digit", ["0", "7", "8", "9"])
def test_century_digit_outside_one_to_six_refused(century_digit: str) -> None:
    value = _with_check(f"900101{century_digit}0001")
    assert check(value).problem is IinProblem.BAD_CENTURY


@pytest.mark.parametrize("century_digit", ["1", "2", "3", "4", "5", "6"])
def test_century_digits_one_to_six_accepted(century_digit: str) -> None:
    assert check(_with_check(f"900101{century_digit}0001")).valid


@pytest.mark.parametrize(
    "first6, century_digit",
    [("901301", "3"), ("900001", "3"), ("900100", "3"), ("900132", "3"), ("900230", "3"),
     ("000229", "3"),  # 1900 is not a leap year
     ("000229", "1"),  # nor is 1800
     ("010229", "5"), ("900431", "3")],
)
def test_impossible_dates_refused(first6: str, century_digit: str) -> None:
    value = _with_check(f"{first6}{century_digit}0001")
    assert check(value).problem is IinProblem.BAD_DATE


def test_issue_13_month_thirteen() -> None:
    assert check("901301300017").problem is IinProblem.BAD_DATE


@pytest.mark.parametrize(
    "first6, century_digit", [("000229", "5"), ("960229", "3"), ("991231", "6")])
def test_real_dates_accepted_including_leap_days(first6: str, century_digit: str) -> None:
    assert check(_with_check(f"{first6}{century_digit}0001")).valid


def test_bin_is_not_held_to_the_date_rule() -> None:
    # a BIN's 7th digit is not a century digit; allow_bin must keep accepting them
    bin_ = _find_bin("4")
    assert bin_[6] == "0"
    assert check(bin_, allow_bin=True).valid


# --- hint -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digit", "year", "sex", "century"),
    [
        ("1", 1805, "M", 1800),
        ("2", 1805, "F", 1800),
        ("3", 1905, "M", 1900),
        ("4", 1905, "F", 1900),
        ("5", 2005, "M", 2000),
        ("6", 2005, "F", 2000),
    ],
)
def test_hint_each_century_digit(digit: str, year: int, sex: str, century: int) -> None:
    h = hint(f"050715{digit}00012")
    assert h.birth_date == dt.date(year, 7, 15)
    assert h.sex == sex
    assert h.century == century


def test_hint_of_domain_examples() -> None:
    assert hint("900101300017").birth_date == dt.date(1990, 1, 1)
    assert hint("900101300017").sex == "M"
    assert hint("850715400129").birth_date == dt.date(1985, 7, 15)
    assert hint("850715400129").sex == "F"
    assert hint("061211600012").birth_date == dt.date(2006, 12, 11)
    assert hint("061211600012").sex == "F"


@pytest.mark.parametrize("value", ["901301300017", "900230300017", "900100300017", "000229300017"])
def test_hint_invalid_date_has_no_birth_date(value: str) -> None:
    # month 13, 30 February, day 0, 29 February 1900 (not a leap year)
    h = hint(value)
    assert h.birth_date is None
    assert h.sex == "M"
    assert h.century == 1900


def test_hint_leap_day_2000() -> None:
    assert hint("000229500017").birth_date == dt.date(2000, 2, 29)


@pytest.mark.parametrize("value", ["900101000017", "900101700017", "900101900017", "9001", ""])
def test_hint_without_century_digit(value: str) -> None:
    h = hint(value)
    assert (h.birth_date, h.sex, h.century) == (None, None, None)


# --- mask -----------------------------------------------------------------------------------


def test_mask_hides_eight_middle_digits() -> None:
    masked = mask("900101300017")
    assert masked == "90********17"
    assert masked.count("*") == 8
    assert "0101300" not in masked


@pytest.mark.parametrize("value", ["", "123", "9001013000170"])
def test_mask_of_other_lengths_hides_everything(value: str) -> None:
    assert mask(value) == "*" * len(value)


@given(st.text(alphabet=_DIGITS, min_size=12, max_size=12))
@settings(max_examples=200)
def test_mask_property(value: str) -> None:
    masked = mask(value)
    assert len(masked) == 12
    assert masked[:2] == value[:2]
    assert masked[10:] == value[10:]
    assert masked[2:10] == "*" * 8


# --- properties -----------------------------------------------------------------------------

_eleven = st.text(alphabet=_DIGITS, min_size=11, max_size=11)
_twelve_random = st.text(alphabet=_DIGITS, min_size=12, max_size=12)
_twelve_checked = _eleven.map(lambda s: s + str(_ref_control(s) or 0))


@given(st.one_of(_twelve_random, _twelve_checked))
@settings(max_examples=500)
def test_check_agrees_with_reference(value: str) -> None:
    assert check(value, allow_bin=True).valid == ref_valid(value)
    person = check(value)
    assert person.valid == (ref_valid(value) and value[4] not in "456")


@given(_eleven)
@settings(max_examples=300)
def test_appending_check_digit_gives_valid_and_others_bad(first11: str) -> None:
    control = check_digit(first11)
    assert control == _ref_control(first11)
    if control is None:
        for last in _DIGITS:
            assert check(first11 + last, allow_bin=True).problem is IinProblem.UNISSUABLE
        return
    assert 0 <= control <= 9
    for last in _DIGITS:
        if int(last) != control:
            result = check(first11 + last, allow_bin=True)
            assert result.problem is IinProblem.BAD_CHECK_DIGIT
    valid = check(first11 + str(control), allow_bin=True)
    assert valid.valid == ref_valid(first11 + str(control))


_seps = st.sampled_from([" ", "-", "\u00a0", "\t", ".", "\u2013"])


@given(_eleven, st.lists(_seps, min_size=11, max_size=11))
@settings(max_examples=200)
def test_separators_never_change_the_verdict(first11: str, seps: list[str]) -> None:
    value = first11 + str(_ref_control(first11) or 0)
    typed = "".join(d + sep for d, sep in zip(value, [*seps, ""], strict=True))
    assert normalize(typed) == value
    assert check(typed, allow_bin=True) == check(value, allow_bin=True)


@given(st.text(max_size=20))
@settings(max_examples=300)
def test_check_never_crashes_and_valid_means_twelve_ascii_digits(raw: str) -> None:
    result = check(raw, allow_bin=True)
    if result.valid:
        assert len(result.value) == 12
        assert all(c in _DIGITS for c in result.value)
        assert ref_valid(result.value)
