"""The password rule and the sign-in delays."""

from __future__ import annotations

import pytest

from kezek.core.credentials import (
    LOCK_AFTER,
    MAX_DELAY_SECONDS,
    is_locked,
    password_problem,
    retry_after,
)


@pytest.mark.parametrize(("password", "username", "full_name", "reason"), [
    ("aaaaaaaaaa", "dana", "", "short"),
    ("aaaaaaaaaaaaaaaa", "dana", "", "repeats"),
    ("password123456", "dana", "", "common"),
    ("qwertyuiop123", "dana", "", "common"),
    ("abcdefghijklmnop", "dana", "", "sequence"),
    ("root.admin", "root.admin", "", "short"),
    ("root.admin12", "root.admin", "", "personal"),
    ("root.admin-2024", "root.admin", "", "personal"),
    ("Aigerim Sultanova", "aigerim", "Aigerim Sultanova", "personal"),
    ("Marigold-Piston-Fjord-42", "dana", "Dana", None),
    ("correct-horse-battery", "dana", "Dana", None),
])
def test_password_problem(password: str, username: str, full_name: str,
                          reason: str | None) -> None:
    assert password_problem(password, username, full_name) == reason


def test_delays_grow_and_cap_then_lock() -> None:
    assert [retry_after(n) for n in range(9)] == [0, 0, 0, 0, 0, 5, 10, 20, 40]
    assert retry_after(30) == MAX_DELAY_SECONDS == 900
    assert not is_locked(LOCK_AFTER - 1) and is_locked(LOCK_AFTER)
