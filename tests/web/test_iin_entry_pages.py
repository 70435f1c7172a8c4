"""Issue 13 on the web forms: separators accepted, impossible IINs refused, the typed
value kept after an error in a no-store answer (and nowhere else)."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import IIN, Site
from tests.web.test_citizen_pages import confirm_page, count_bookings, first_time, post_iin

VALUE = re.compile(r'id="iin" name="iin" type="text" value="([^"]*)"')


@pytest.mark.parametrize("typed", ["900101 300017", "900101-300017", "900101\u00a0300017",
                                   "90.01.01 3000 17"])
def test_an_iin_typed_with_separators_books(site: Site, typed: str) -> None:
    start = first_time(site)
    path, csrf = confirm_page(site, start)
    r = post_iin(site, path, start, typed, csrf)
    assert r.status_code == 303, r.text
    assert IIN not in r.headers["location"]
    assert count_bookings(site) == 1


@pytest.mark.parametrize("typed, lang, reason", [
    ("000000000000", "ru", "7-я цифра (век и пол) должна быть от 1 до 6"),
    ("901301300017", "ru", "первые 6 цифр (ГГММДД) должны быть реальной датой"),
    ("901301300017", "kk", "алғашқы 6 сан (ЖЖААКК) нақты күн болуы керек"),
    ("000000000000", "en", "the 7th digit (century and sex) must be 1 to 6"),
])
def test_impossible_iins_are_refused_and_the_typed_value_is_kept(
        site: Site, typed: str, lang: str, reason: str) -> None:
    start = first_time(site)
    path, _ = confirm_page(site, start)
    page = site.client.get(path, params={"start": start, "privilege": "none", "lang": lang})
    r = post_iin(site, path, start, typed, site.csrf(page.text))
    assert r.status_code == 422
    assert reason in r.text
    assert VALUE.findall(r.text) == [typed]
    assert r.headers["cache-control"] == "no-store"
    assert typed not in str(r.url)
    assert count_bookings(site) == 0


def test_typed_value_with_separators_is_kept_as_typed(site: Site) -> None:
    start = first_time(site)
    path, csrf = confirm_page(site, start)
    typed = "900101 300019"  # bad check digit, typed with a space
    r = post_iin(site, path, start, typed, csrf)
    assert r.status_code == 422
    assert VALUE.findall(r.text) == [typed]
    assert r.headers["cache-control"] == "no-store"
    # the form page itself (GET) never carries a value
    again = site.client.get(path, params={"start": start, "privilege": "none"})
    assert VALUE.findall(again.text) == [""]


def test_lookup_form_keeps_the_typed_value_after_an_error(site: Site) -> None:
    csrf = site.csrf(site.client.get("/bookings/mine").text)
    r = site.client.post("/bookings/mine", data={"iin": "9001-0130-0019", "csrf": csrf})
    assert r.status_code == 422
    assert VALUE.findall(r.text) == ["9001-0130-0019"]
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("typed", ["９００１０１３０００１７", "٩٠٠١٠١٣٠٠٠١٧"])
def test_fullwidth_and_arabic_indic_digits_get_the_clear_refusal(site: Site, typed: str) -> None:
    start = first_time(site)
    path, csrf = confirm_page(site, start)
    r = post_iin(site, path, start, typed, csrf)
    assert r.status_code == 422
    assert "допускаются только цифры" in r.text
    assert 'maxlength="20"' in r.text
