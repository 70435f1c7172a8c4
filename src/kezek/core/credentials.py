"""Rules for staff credentials: what a password must be, and how sign-in failures slow
an attacker down.

Pure: no storage, no clock. zxcvbn estimates how many guesses a password takes from
frequency lists of common passwords, names and words, keyboard patterns, repeats,
sequences and dates (and the user's own name and username); a length rule alone
accepts `aaaaaaaaaaaa` and `password123456`.
"""

from __future__ import annotations

from typing import Any, Final

from zxcvbn import zxcvbn

MIN_LENGTH: Final = 12
MIN_SCORE: Final = 3  # zxcvbn's 0-4: 3 is "safely unguessable", about 10^8 guesses
# zxcvbn's cost grows with the length; what is past this adds guesses, never removes.
ESTIMATED_PREFIX: Final = 64
FREE_FAILURES: Final = 5  # failures in a row before any delay
LOCK_AFTER: Final = 20  # failures in a row that lock the account until an admin unlocks
FIRST_DELAY_SECONDS: Final = 5
MAX_DELAY_SECONDS: Final = 15 * 60

# zxcvbn's match patterns, most telling first, to say why a password is weak.
_PATTERN_REASONS: Final = (("repeat", "repeats"), ("sequence", "sequence"),
                           ("spatial", "keyboard"), ("date", "date"),
                           ("dictionary", "common"))


def password_problem(password: str, username: str, full_name: str = "") -> str | None:
    """Why `password` is not good enough for this user, as a short reason code, or None.

    Codes: `short`, `personal` (is or mostly is the username or the person's name),
    `repeats`, `sequence`, `keyboard`, `date`, `common`, `guessable`.
    """
    if len(password) < MIN_LENGTH:
        return "short"
    lowered = password.casefold()
    names = [n for n in (username.casefold(), *full_name.casefold().split()) if len(n) >= 3]
    rest = lowered
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace(name, "")
    if sum(ch.isalnum() for ch in rest) < 4:  # the name, give or take a digit or two
        return "personal"
    result: dict[str, Any] = zxcvbn(password[:ESTIMATED_PREFIX], user_inputs=names)
    if int(result["score"]) >= MIN_SCORE:
        return None
    patterns = [m for m in result["sequence"] if m.get("pattern") != "bruteforce"]
    if any(m.get("dictionary_name") == "user_inputs" for m in patterns):
        return "personal"
    for pattern, reason in _PATTERN_REASONS:
        if any(m.get("pattern") == pattern for m in patterns):
            return reason
    return "guessable"


def retry_after(failures: int) -> int:
    """Seconds before the next attempt is looked at, after `failures` in a row:
    none for the first few, then 5, 10, 20, ... seconds, at most 15 minutes. A first
    delay of a few seconds is felt by a guessing script and not by a person who
    mistyped (a wrong password with argon2 already takes a fraction of a second)."""
    if failures < FREE_FAILURES:
        return 0
    return int(min(FIRST_DELAY_SECONDS * 2 ** (failures - FREE_FAILURES), MAX_DELAY_SECONDS))


def is_locked(failures: int) -> bool:
    return failures >= LOCK_AFTER
