"""How long to wait, said as people say it: the Russian number's form, no "5 мин.." at
the end of a sentence (the abbreviation's dot met the sentence's)."""

from __future__ import annotations

import pytest

from kezek.i18n import error_message, ru_plural


@pytest.mark.parametrize(("n", "form"), [(1, "минуту"), (2, "минуты"), (4, "минуты"),
                                         (5, "минут"), (11, "минут"), (12, "минут"),
                                         (14, "минут"), (21, "минуту"), (22, "минуты"),
                                         (25, "минут"), (101, "минуту"), (111, "минут")])
def test_russian_forms(n: int, form: str) -> None:
    assert ru_plural(n, "минуту", "минуты", "минут") == form


def test_the_throttle_message_in_three_languages() -> None:
    ru = error_message("rate_limited", "ru", {"retry_after": 300})
    assert ru == "Слишком много запросов. Попробуйте снова через 5 минут."
    assert error_message("rate_limited", "ru", {"retry_after": 61}).endswith("61 секунду.")
    assert ".." not in ru
    assert error_message("rate_limited", "en", {"retry_after": 1}).endswith("in 1 second.")
    assert "2 минуттан кейін" in error_message("rate_limited", "kk", {"retry_after": 120})
