"""Kiosk enrolment (ADR 0035): a device enrolled once by door staff opens its centre's
kiosk without a staff session, and nothing else; revoking it takes effect on its next
request; its check-ins are throttled; the CLI enrols too."""

from __future__ import annotations

import datetime as dt

import pytest
from itsdangerous import URLSafeSerializer
from typer.testing import CliRunner

from kezek.cli import app as cli
from kezek.settings import get_settings
from tests.conftest import random_iin
from tests.web.conftest import WEB_SECRET, Site, add_staff, run_async
from tests.web.kiosk_support import (
    book_tonight,
    enrol_device,
    enrolment_code,
    redeem,
    sign_in,
)

XRW = {"X-Requested-With": "kezek"}
IIN = "850715400129"


def _kiosk_call(site: Site, code: str = "ABCD2345", iin: str = "123456789012",
                lang: str = "ru") -> object:
    return site.client.post("/api/v1/kiosk/arrivals", json={"code": code, "iin": iin},
                            headers={**XRW, "Accept-Language": lang})


def test_an_enrolled_device_opens_its_kiosk_and_no_staff_page(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "doorman", "door", [cid])
    assert site.client.get("/kiosk", follow_redirects=False).headers["location"] == \
        "/kiosk/enrol"
    enrol_device(site, cid, "doorman")
    page = site.client.get("/kiosk", follow_redirects=False)
    assert page.status_code == 200 and 'id="kiosk-form"' in page.text
    assert 'action="/kiosk"' in page.text and "/staff" not in page.text
    cookie = page.headers["set-cookie"]
    assert "kezek_kiosk=" in cookie and "httponly" in cookie.lower()
    assert "samesite=strict" in cookie.lower()
    # the kiosk credential is not a staff session: every staff page and call refuses it
    for path in (f"/staff/door/{cid}", f"/staff/kiosk/{cid}", "/staff"):
        r = site.client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/staff/login")
    r = site.client.post(f"/api/v1/centers/{cid}/arrivals", headers=XRW,
                         json={"code": "ABCD2345", "iin": IIN})
    assert r.status_code == 401
    assert site.client.get(f"/api/v1/centers/{cid}/queue").status_code == 401


def test_a_code_enrols_one_device_once(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "doorman", "door", [cid])
    sign_in(site, "doorman")
    assert f'href="/staff/kiosk/{cid}">Киоски</a>' in site.client.get("/staff").text
    code = enrolment_code(site, cid)
    site.client.cookies.delete("kezek_session")
    spaced = f"{code[:5]}-{code[5:].lower()}"  # as read aloud and typed
    assert redeem(site, spaced) == 303
    site.client.cookies.delete("kezek_kiosk")
    page = site.client.get("/kiosk/enrol")
    again = site.client.post("/kiosk/enrol", data={"csrf": site.csrf(page.text),
                                                   "code": code})
    assert again.status_code == 400
    assert "неизвестен, уже использован или просрочен" in again.text
    assert "kezek_kiosk" not in site.client.cookies


def test_an_enrolment_code_expires(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    from kezek import clock

    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "doorman", "door", [cid])
    sign_in(site, "doorman")
    code = enrolment_code(site, cid)
    site.client.cookies.delete("kezek_session")
    with clock.pinned(clock.now() + dt.timedelta(minutes=31)):
        assert redeem(site, code) == 400


def test_staff_of_another_centre_cannot_enrol_here(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    add_staff(url, "other", "door", [centres["vehicle"]])
    sign_in(site, "other")
    page = site.client.get(f"/staff/kiosk/{centres['vehicle']}")
    r = site.client.post(f"/staff/kiosk/{centres['mixed']}/enrol",
                         data={"csrf": site.csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 403 and "kiosk-code-given" not in r.text


def test_the_kiosk_checks_in_at_its_own_centre_only(
        site: Site, seeded_url: tuple[str, dict[str, int]], pinned_clock: dt.datetime,
) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "doorman", "door", [cid])
    code = run_async(book_tonight, url, cid, IIN)
    enrol_device(site, cid, "doorman")
    # a cookie re-signed for another centre is refused (the device row names its centre)
    real = site.client.cookies["kezek_kiosk"]
    data = URLSafeSerializer(WEB_SECRET, salt="kezek.kiosk.device").loads(real)
    forged = URLSafeSerializer(WEB_SECRET, salt="kezek.kiosk.device").dumps(
        {"d": data["d"], "c": centres["vehicle"]})
    site.client.cookies.set("kezek_kiosk", forged)
    assert _kiosk_call(site, code, IIN).status_code == 401  # type: ignore[attr-defined]
    site.client.cookies.set("kezek_kiosk", real + "x")
    assert _kiosk_call(site, code, IIN).status_code == 401  # type: ignore[attr-defined]
    site.client.cookies.set("kezek_kiosk", real)
    # without the script's header the cookie alone does nothing
    r = site.client.post("/api/v1/kiosk/arrivals", json={"code": code, "iin": IIN})
    assert r.status_code == 403
    ok = _kiosk_call(site, code, "8507 1540-0129")  # spaces and dashes as typed
    assert ok.status_code == 201, ok.text  # type: ignore[attr-defined]
    label = ok.json()["ticket"]["label"]  # type: ignore[attr-defined]
    for lang, words in (("ru", f"Вы уже зарегистрировались по этой записи в 10:00, ваш "
                               f"талон {label}"),
                        ("kk", f"10:00 тіркелгенсіз, талоныңыз {label}"),
                        ("en", f"Already checked in for this booking at 10:00, ticket "
                               f"{label}")):
        twice = _kiosk_call(site, code, IIN, lang)
        assert twice.status_code == 409  # type: ignore[attr-defined]
        assert words in twice.json()["error"]["message"]  # type: ignore[attr-defined]


def test_revoking_a_kiosk_stops_it_on_its_next_request(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "doorman", "door", [cid])
    enrol_device(site, cid, "doorman")
    kiosk_cookie = site.client.cookies["kezek_kiosk"]
    assert _kiosk_call(site).status_code == 422  # type: ignore[attr-defined]  # bad IIN
    sign_in(site, "doorman")
    page = site.client.get(f"/staff/kiosk/{cid}")
    device = __import__("re").search(r'name="device" value="([^"]+)"', page.text).group(1)
    r = site.client.post(f"/staff/kiosk/{cid}/revoke",
                         data={"csrf": site.csrf(page.text), "device": device})
    assert r.status_code == 200 and "Киоск отключён" in r.text
    site.client.cookies.delete("kezek_session")
    site.client.cookies.set("kezek_kiosk", kiosk_cookie)
    refused = _kiosk_call(site)
    assert refused.status_code == 401  # type: ignore[attr-defined]
    assert site.client.get("/kiosk", follow_redirects=False).status_code == 303


def test_kiosk_check_ins_are_throttled(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "doorman", "door", [cid])
    enrol_device(site, cid, "doorman")
    codes = [_kiosk_call(site, iin=random_iin()).status_code  # type: ignore[attr-defined]
             for _ in range(21)]
    assert 429 not in codes[:20] and codes[20] == 429
    r = _kiosk_call(site)
    assert r.json()["error"]["code"] == "rate_limited"  # type: ignore[attr-defined]


def test_a_staff_session_on_the_screen_shows_no_staff_navigation(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "doorman", "door", [cid])
    enrol_device(site, cid, "doorman")
    sign_in(site, "doorman")  # someone signs in on the kiosk's browser too
    page = site.client.get("/kiosk")
    assert page.status_code == 200 and "/staff" not in page.text
    assert "doorman" not in page.text


@pytest.fixture
def cli_env(seeded_url: tuple[str, dict[str, int]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEZEK_DATABASE_URL", seeded_url[0])
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_cli_enrols_lists_and_revokes(
        site: Site, seeded_url: tuple[str, dict[str, int]], cli_env: None) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["kiosk", "enrol", "--centre", "mixed"])
    assert r.exit_code == 0, r.output
    code = r.output.split()[1]
    assert f"/kiosk/enrol?code={code}" in r.output
    assert redeem(site, code) == 303
    listed = runner.invoke(cli, ["kiosk", "list", "--centre", "mixed"])
    device = listed.output.split()[0]
    assert "live" in listed.output
    assert runner.invoke(cli, ["kiosk", "revoke", device, "--centre", "vehicle"]).exit_code == 1
    assert runner.invoke(cli, ["kiosk", "revoke", device, "--centre", "mixed"]).exit_code == 0
    assert site.client.get("/kiosk", follow_redirects=False).status_code == 303
    assert runner.invoke(cli, ["kiosk", "enrol", "--centre", "nowhere"]).exit_code == 1
