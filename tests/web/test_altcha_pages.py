"""Proof of work on the citizen pages, through plain HTTP forms: every form that starts
a code step carries the (hidden) widget; a form sent without a solution still works,
under the stricter plain rule; a solved one (hashlib, as the widget's worker does) is
not held to it; a replayed one buys nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kezek.api.app import create_app
from kezek.app.throttle import RULES
from tests.conftest import random_iin
from tests.pow_client import solve
from tests.web.conftest import Site, prepare, run_async, web_settings
from tests.web.test_citizen_pages import confirm_page, first_time

PLAIN = int(RULES["identity.send.plain:addr"].split("/")[0])
WIDGET = ('<altcha-widget hidden challenge="/api/v1/challenge" auto="onload" '
          'display="invisible" name="altcha">')


@pytest.fixture
def otp_site(sqlite_url: str) -> Iterator[Site]:
    centers = run_async(prepare, sqlite_url, "otp")
    with TestClient(create_app(web_settings(sqlite_url))) as client:
        yield Site(client, centers)


def ask_mine(site: Site, altcha: str | None = None, lang: str = "ru") -> tuple[int, str]:
    """Posts a new IIN on "my bookings": the code step starts (the number page, since
    the IIN has none), which is one anonymous step."""
    page = site.client.get(f"/bookings/mine?lang={lang}").text
    data = {"csrf": site.csrf(page), "iin": random_iin()}
    if altcha is not None:
        data["altcha"] = altcha
    r = site.client.post("/bookings/mine", data=data)
    return r.status_code, r.text


def test_the_forms_that_start_a_code_step_carry_the_widget(otp_site: Site) -> None:
    start = first_time(otp_site)
    path, _ = confirm_page(otp_site, start)
    pages = [otp_site.client.get(path, params={"start": start}),
             otp_site.client.get("/bookings/find"), otp_site.client.get("/bookings/mine")]
    status, phone_page = ask_mine(otp_site)
    assert status == 200 and 'name="phone"' in phone_page
    for r in pages:
        assert WIDGET in r.text, r.url
        assert '<script type="module" src="/static/kezek-altcha.js"></script>' in r.text
        assert "script-src 'self';" in r.headers["content-security-policy"]
    assert WIDGET in phone_page
    for asset in ("/static/kezek-altcha.js", "/static/altcha/altcha.min.js",
                  "/static/altcha/sha.js", "/static/altcha/LICENSE.txt"):
        got = otp_site.client.get(asset)
        assert got.status_code == 200, asset
        if asset.endswith(".js"):
            assert "javascript" in got.headers["content-type"], asset


@pytest.mark.parametrize("lang,words", [("ru", "Слишком много запросов"),
                                        ("kk", "Сұраулар тым көп")])
def test_without_a_solution_the_plain_rule_applies(otp_site: Site, lang: str,
                                                   words: str) -> None:
    for _ in range(PLAIN):
        status, text = ask_mine(otp_site, lang=lang)
        assert status == 200, text
    status, text = ask_mine(otp_site, lang=lang)
    assert status == 429
    assert 'class="error-summary"' in text and words in text


def test_a_solved_challenge_is_not_held_to_the_plain_rule(otp_site: Site) -> None:
    for _ in range(PLAIN + 2):
        challenge = otp_site.client.get("/api/v1/challenge").json()
        status, text = ask_mine(otp_site, solve(challenge))
        assert status == 200, text


def test_a_replayed_or_forged_solution_counts_as_none(otp_site: Site) -> None:
    payload = solve(otp_site.client.get("/api/v1/challenge").json())
    # The first use is the solved one; every replay after it counts as a plain form.
    statuses = [ask_mine(otp_site, payload)[0] for _ in range(PLAIN + 2)]
    assert statuses == [200] * (PLAIN + 1) + [429]
    assert ask_mine(otp_site, "garbage")[0] == 429
