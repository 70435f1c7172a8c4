"""Issue 13 through the API: impossible IINs refused in every language, separators accepted."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api, assert_error, at
from tests.conftest import next_weekday

REASONS = {
    "000000000000": {"kk": "7-ші сан (ғасыр мен жыныс) 1-ден 6-ға дейін болуы керек",
                     "ru": "7-я цифра (век и пол) должна быть от 1 до 6",
                     "en": "the 7th digit (century and sex) must be 1 to 6"},
    "901301300017": {"kk": "алғашқы 6 сан (ЖЖААКК) нақты күн болуы керек",
                     "ru": "первые 6 цифр (ГГММДД) должны быть реальной датой",
                     "en": "the first 6 digits (YYMMDD) must be a real date"},
}


@pytest.mark.parametrize("bad", sorted(REASONS))
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_impossible_iins_are_refused_in_each_language(api: Api, bad: str, lang: str) -> None:
    start = at(next_weekday(), 10)
    message = assert_error(api.book(bad, start, headers={"Accept-Language": lang}),
                           422, "invalid_iin")
    assert REASONS[bad][lang] in message
    assert bad not in message
    search = api.client.post("/api/v1/bookings/search", json={"iin": bad},
                             headers={"Accept-Language": lang})
    assert REASONS[bad][lang] in assert_error(search, 422, "invalid_iin")


@pytest.mark.parametrize("typed", ["900101 300017", "900101-300017", "900101\u00a0300017"])
def test_an_iin_with_separators_books_as_its_twelve_digits(api: Api, typed: str) -> None:
    start = at(next_weekday(), 10)
    # proof is for the person (the test helper derives a phone from clean digits)
    r = api.book(typed, start, proof=False, headers=api.person("900101300017"))
    assert r.status_code == 201, r.text
    assert typed not in r.text and "900101300017" not in r.text
    # the same person, typed without separators, is the same person
    found = api.client.post("/api/v1/bookings/search", json={"iin": "900101300017"},
                            headers=api.person("900101300017"))
    assert [b["code"] for b in found.json()] == [r.json()["code"]]


@pytest.mark.parametrize("typed", ["９００１０１３０００１７", "٩٠٠١٠١٣٠٠٠١٧"])
def test_non_ascii_digits_get_the_clear_refusal(api: Api, typed: str) -> None:
    message = assert_error(api.book(typed, at(next_weekday(), 10),
                                    headers={"Accept-Language": "en"}), 422, "invalid_iin")
    assert "only digits are allowed" in message
