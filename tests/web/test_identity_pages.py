"""The code step of the citizen pages, through plain HTTP forms (no JavaScript), on a
network with the default `identity: otp`: nothing personal happens before the code."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kezek.api.app import create_app
from tests.web.conftest import IIN, Site, prepare, run_async, web_settings
from tests.web.test_citizen_pages import CODE, confirm_page, count_bookings, first_time, post_iin

DEV_CODE = re.compile(r'id="dev-code">[^<]*?(\d{6})')
PHONE = "+7 701 555 12 34"


@pytest.fixture
def otp_site(sqlite_url: str) -> Iterator[Site]:
    centers = run_async(prepare, sqlite_url, "otp")
    with TestClient(create_app(web_settings(sqlite_url))) as client:
        yield Site(client, centers)


def start_booking(site: Site, iin: str = IIN) -> str:
    """Posts the IIN on the confirm page; returns the phone page (first use)."""
    start = first_time(site)
    path, csrf = confirm_page(site, start)
    r = post_iin(site, path, start, iin, csrf)
    assert r.status_code == 200, r.text
    assert 'name="phone"' in r.text  # no number is registered to this IIN yet
    return r.text


def send_to(site: Site, page: str, phone: str = PHONE) -> str:
    r = site.client.post("/identity/phone", data={"csrf": site.csrf(page), "phone": phone},
                         follow_redirects=True)
    assert r.status_code == 200, r.text
    # the masked number does not break across lines on a narrow phone
    assert "+7\u00a0701\u00a0***\u00a0**\u00a034" in r.text and PHONE not in r.text
    return r.text


def test_switching_language_on_the_number_page_stays_there(otp_site: Site) -> None:
    start_booking(otp_site)
    r = otp_site.client.get("/identity/phone?lang=kk")
    assert r.status_code == 200 and 'name="phone"' in r.text
    assert "Телефон нөмірі" in r.text and 'href="/identity/phone?lang=en"' in r.text
    otp_site.client.cookies.clear()  # another browser: no action waits there
    assert otp_site.client.get("/identity/phone").status_code == 410


def test_booking_waits_for_the_code_then_goes_on(otp_site: Site) -> None:
    page = send_to(otp_site, start_booking(otp_site))
    assert count_bookings(otp_site) == 0  # nothing is booked before the code
    code = DEV_CODE.search(page)
    assert code, "the development sender shows the code on the page"
    wrong = "000000" if code.group(1) != "000000" else "111111"
    r = otp_site.client.post("/identity/code", data={"csrf": otp_site.csrf(page), "otp": wrong})
    assert r.status_code == 422 and "Осталось попыток: 4" in r.text
    assert count_bookings(otp_site) == 0
    r = otp_site.client.post("/identity/code",
                             data={"csrf": otp_site.csrf(page), "otp": code.group(1)},
                             follow_redirects=False)
    assert r.status_code == 303, r.text
    done = otp_site.client.get(r.headers["location"])
    assert CODE.search(done.text) and count_bookings(otp_site) == 1
    # The same code cannot prove anything twice.
    again = otp_site.client.post("/identity/code",
                                 data={"csrf": otp_site.csrf(page), "otp": code.group(1)})
    assert again.status_code == 410
    # The proof lasts: the person's bookings open without a second code.
    mine = otp_site.client.get("/bookings/mine")
    r = otp_site.client.post("/bookings/mine", data={"csrf": otp_site.csrf(mine.text),
                                                      "iin": IIN})
    assert r.status_code == 200 and CODE.search(done.text).group(1) in r.text  # type: ignore[union-attr]


def test_an_iin_alone_opens_nobody_s_bookings(otp_site: Site) -> None:
    page = send_to(otp_site, start_booking(otp_site))
    code = DEV_CODE.search(page)
    assert code
    otp_site.client.post("/identity/code", data={"csrf": otp_site.csrf(page),
                                                  "otp": code.group(1)})
    booked = count_bookings(otp_site)
    assert booked == 1
    # Someone else's browser, knowing the IIN: asked for a code sent to the owner's
    # number, shown masked; the bookings are not shown.
    with TestClient(otp_site.client.app) as stranger:
        other = Site(stranger, otp_site.centers)
        form = stranger.get("/bookings/mine")
        r = stranger.post("/bookings/mine", data={"csrf": other.csrf(form.text), "iin": IIN},
                          follow_redirects=True)
        assert r.status_code == 200
        assert "+7\u00a0701\u00a0***\u00a0**\u00a034" in r.text and 'name="otp"' in r.text
        assert not CODE.search(r.text)
        # Typing another number does not redirect the code to it.
        assert 'name="phone"' not in r.text


def test_three_wrong_codes_and_more_spend_the_code(otp_site: Site) -> None:
    page = send_to(otp_site, start_booking(otp_site))
    code = DEV_CODE.search(page)
    assert code
    wrong = f"{(int(code.group(1)) + 1) % 1000000:06d}"
    statuses = [otp_site.client.post("/identity/code", data={
        "csrf": otp_site.csrf(page), "otp": wrong}).status_code for _ in range(5)]
    assert statuses == [422] * 5
    last = otp_site.client.post("/identity/code", data={"csrf": otp_site.csrf(page),
                                                         "otp": code.group(1)})
    assert last.status_code == 422 and "Получите новый код" in last.text
    assert count_bookings(otp_site) == 0


def test_a_bad_number_is_refused_on_its_page_in_kazakh(otp_site: Site) -> None:
    otp_site.client.cookies.set("kezek_lang", "kk")
    page = start_booking(otp_site)
    r = otp_site.client.post("/identity/phone", data={"csrf": otp_site.csrf(page),
                                                      "phone": "12345"})
    assert r.status_code == 422 and "Телефон нөмірі қате" in r.text
    assert 'class="error-summary"' in r.text and 'href="#phone"' in r.text
