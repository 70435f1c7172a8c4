"""The Kazakh individual identification number (IIN, ЖСН) and business ID (BIN).

The checksum and the 12-digit form are what a validator can enforce, plus what
every issued number shares: a 7th digit (century and sex) of 1-6 and a first six
digits that form a real calendar date in that century (issue 13: `000000000000`
and month 13 were booked). Since 2013 that date need not be the holder's birth
date, so it is never compared with anything: it only has to exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

_WEIGHTS_1 = tuple(range(1, 12))
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


class IinProblem(StrEnum):
    """Why a string is not a valid IIN; each has a message in every language."""

    EMPTY = "empty"
    NOT_DIGITS = "not_digits"
    WRONG_LENGTH = "wrong_length"
    BAD_CHECK_DIGIT = "bad_check_digit"
    UNISSUABLE = "unissuable"
    NOT_A_PERSON = "not_a_person"
    BAD_CENTURY = "bad_century"
    BAD_DATE = "bad_date"


@dataclass(frozen=True, slots=True)
class IinHint:
    """What the number suggests about its holder (not authoritative since 2013)."""

    birth_date: dt.date | None
    sex: str | None  # "M" or "F"
    century: int | None


@dataclass(frozen=True, slots=True)
class IinCheck:
    """The outcome of checking a string as an IIN."""

    value: str
    problem: IinProblem | None
    is_bin: bool = False

    @property
    def valid(self) -> bool:
        return self.problem is None


# What people type between digit groups: spaces (incl. no-break and narrow no-break),
# tabs, ASCII and typographic dashes, and dots.
_SEPARATORS = frozenset(" \t\u00a0\u202f\u2007-\u2010\u2011\u2012\u2013\u2014\u2212.")


def normalize(raw: str) -> str:
    """Drops the separators people type between digit groups (`900101 300017`).

    This is the one place IIN input is cleaned; every channel goes through `check`.
    Other characters (letters, fullwidth digits) are kept so `check` refuses them.
    """
    return "".join(ch for ch in raw.strip() if ch not in _SEPARATORS)


def check_digit(first11: str) -> int | None:
    """The 12th digit for 11 digits, or None when both passes give 10 (never issued)."""
    digits = [int(c) for c in first11]
    control = sum(d * w for d, w in zip(digits, _WEIGHTS_1, strict=True)) % 11
    if control == 10:
        control = sum(d * w for d, w in zip(digits, _WEIGHTS_2, strict=True)) % 11
        if control == 10:
            return None
    return control


def _looks_like_bin(value: str) -> bool:
    # A BIN has 4, 5 or 6 in the 5th position (the entity type) where an IIN has a day digit 0-3.
    return value[4] in "456"


def check(raw: str, *, allow_bin: bool = False) -> IinCheck:
    """Checks a string as a person's IIN (or a BIN when `allow_bin`)."""
    value = normalize(raw)
    if not value:
        return IinCheck(value, IinProblem.EMPTY)
    if not value.isascii() or not value.isdigit():
        return IinCheck(value, IinProblem.NOT_DIGITS)
    if len(value) != 12:
        return IinCheck(value, IinProblem.WRONG_LENGTH)
    expected = check_digit(value[:11])
    if expected is None:
        return IinCheck(value, IinProblem.UNISSUABLE)
    if expected != int(value[11]):
        return IinCheck(value, IinProblem.BAD_CHECK_DIGIT)
    is_bin = _looks_like_bin(value)
    if is_bin and not allow_bin:
        return IinCheck(value, IinProblem.NOT_A_PERSON, is_bin=True)
    if not is_bin:
        problem = _date_problem(value)
        if problem is not None:
            return IinCheck(value, problem)
    return IinCheck(value, None, is_bin=is_bin)


def _date_problem(value: str) -> IinProblem | None:
    """Refuses a person's number no issuer could give: century digit 0/7-9 or no such date."""
    century_sex = _CENTURY.get(value[6])
    if century_sex is None:
        return IinProblem.BAD_CENTURY
    try:
        dt.date(century_sex[0] + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return IinProblem.BAD_DATE
    return None


def is_valid(raw: str) -> bool:
    return check(raw).valid


_CENTURY = {"1": (1800, "M"), "2": (1800, "F"), "3": (1900, "M"), "4": (1900, "F"),
            "5": (2000, "M"), "6": (2000, "F")}


def hint(value: str) -> IinHint:
    """The birth date and sex the number encodes, where it encodes a real date."""
    century_sex = _CENTURY.get(value[6]) if len(value) == 12 else None
    if century_sex is None:
        return IinHint(None, None, None)
    century, sex = century_sex
    try:
        born = dt.date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        born = None
    return IinHint(born, sex, century)


def mask(value: str) -> str:
    """The form shown to people and staff: enough to recognise, not enough to use."""
    if len(value) != 12:
        return "*" * len(value)
    return f"{value[:2]}{'*' * 8}{value[10:]}"
