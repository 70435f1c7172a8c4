"""The self check-in kiosk under the test client: who may open it (the staff page of a
centre's kiosks; the kiosk page itself only for an enrolled device), what it shows in
each language, and that it never takes an IIN by URL or inline script."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import random_iin
from tests.web.conftest import STAFF_PASSWORD, Site, add_staff
from tests.web.kiosk_support import enrol_device

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)


def _sign_in(site: Site, username: str) -> None:
    form = site.client.get("/staff/login")
    r = site.client.post("/staff/login", follow_redirects=False, data={
        "username": username, "password": STAFF_PASSWORD, "csrf": site.csrf(form.text)})
    assert r.status_code == 303


def _label_for(html: str, field_id: str) -> str:
    found = re.search(rf'<label[^>]*for="{field_id}"[^>]*>([^<]+)</label>', html)
    assert found, f"no label for #{field_id}"
    return found.group(1)


def test_kiosk_sends_strangers_to_sign_in(site: Site) -> None:
    path = f"/staff/kiosk/{site.centers['mixed']}"
    r = site.client.get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/staff/login?next={path}"


def test_kiosk_refuses_staff_of_another_centre(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    add_staff(url, "other", "door", [centres["vehicle"]])
    _sign_in(site, "other")
    r = site.client.get(f"/staff/kiosk/{centres['mixed']}", follow_redirects=False)
    assert r.status_code == 403 and "Нет доступа" in r.text
    assert site.client.get(f"/staff/kiosk/{centres['vehicle']}").status_code == 200


@pytest.mark.parametrize(("lang", "code_label", "iin_label", "button"), [
    ("kk", "Жазылу коды", "ЖСН (12 сан)", "Тіркелу"),
    ("ru", "Код записи", "ИИН (12 цифр)", "Зарегистрироваться"),
    ("en", "Booking code", "IIN (12 digits)", "Check in"),
])
def test_kiosk_renders_its_form_in_the_language(
        site: Site, seeded_url: tuple[str, dict[str, int]], lang: str, code_label: str,
        iin_label: str, button: str) -> None:
    url, centres = seeded_url
    cid = centres["booking-only"]
    add_staff(url, "doorman", "door", [cid])
    enrol_device(site, cid, "doorman")
    page = site.client.get(f"/kiosk?lang={lang}")
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text
    assert _label_for(page.text, "kiosk-code") == code_label
    assert _label_for(page.text, "kiosk-iin") == iin_label
    assert button in page.text
    iin_input = re.search(r'<input[^>]*id="kiosk-iin"[^>]*>', page.text)
    assert iin_input and 'inputmode="numeric"' in iin_input.group(0)
    assert 'type="date"' not in page.text
    # big language buttons for the other languages; the form never GETs (no IIN in a URL)
    for other in ("kk", "ru", "en"):
        assert f'hreflang="{other}"' in page.text
    form = re.search(r"<form\b[^>]*>", page.text)
    assert form and 'method="post"' in form.group(0)
    # CSP is script-src 'self': only script files and inert JSON
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    for attrs in SCRIPT_TAG.findall(page.text):
        assert 'src="/static/' in attrs or 'type="application/json"' in attrs, attrs
    assert not re.search(r"\son[a-z]+\s*=", page.text)
    assert "/static/floor_kiosk.js" in page.text and "/static/kiosk.css" in page.text
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>',
                      page.text, re.S)
    assert found
    data = json.loads(found.group(1))
    assert data["center"] == cid and data["idle"] == 20 and data["lang"] == lang
    assert data["api"] == "/api/v1/kiosk/arrivals" and data["enrol"] == "/kiosk/enrol"
    assert data["t"]["kiosk_see_staff"] and data["t"]["kiosk_wait"]


def test_kiosk_form_without_script_does_nothing_and_echoes_nothing(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "doorman", "door", [cid])
    enrol_device(site, cid, "doorman")
    iin = random_iin()
    r = site.client.post("/kiosk", data={"code": "ABCD2345", "iin": iin})
    assert r.status_code == 400 and iin not in r.text


def test_kiosk_api_answers_a_bad_iin_with_a_message(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "doorman", "door", [cid])
    enrol_device(site, cid, "doorman")
    r = site.client.post("/api/v1/kiosk/arrivals",
                         headers={"X-Requested-With": "kezek", "Accept-Language": "kk"},
                         json={"code": "ABCD2345", "iin": "123456789012"})
    assert r.status_code >= 400
    assert r.json()["error"]["message"]  # what the kiosk shows, in the page language


@pytest.mark.parametrize("name", ["floor_kiosk.js", "kiosk.css"])
def test_kiosk_static_files_are_served(site: Site, name: str) -> None:
    r = site.client.get(f"/static/{name}")
    assert r.status_code == 200 and len(r.text) > 500
    kind = "javascript" if name.endswith(".js") else "css"
    assert kind in r.headers["content-type"]
    assert "http://" not in r.text and "https://" not in r.text
    if name == "floor_kiosk.js":
        assert "K.api(" in r.text and "d.api" in r.text and "/staff/login" not in r.text


@pytest.mark.parametrize(("lang", "title", "text"), [
    ("kk", "Орталық толы: сыртта күте тұрыңыз",
     "Кезектегі нөміріңіз: 3. Есік жанындағы экран сізді ішке шақырады."),
    ("ru", "Центр заполнен: подождите снаружи",
     "Ваш номер в очереди: 3. Экран у входа пригласит вас войти."),
    ("en", "The centre is full: please wait outside",
     "You are number 3 in line. The screen by the door will call you in."),
])
def test_kiosk_can_say_wait_outside_in_the_language(
        site: Site, seeded_url: tuple[str, dict[str, int]], lang: str, title: str,
        text: str) -> None:
    """At a full centre the arrival's ticket waits outside; the page's script gets the
    words for it (the number filled in by the script) and reads the ticket's status."""
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "doorman", "door", [cid])
    enrol_device(site, cid, "doorman")
    page = site.client.get(f"/kiosk?lang={lang}")
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>',
                      page.text, re.S)
    assert found
    strings = json.loads(found.group(1))["t"]
    assert strings["kiosk_outside_title"] == title
    assert strings["kiosk_outside"].replace("{n}", "3") == text
    assert strings["kiosk_outside_call"] in text
    script = site.client.get("/static/floor_kiosk.js").text
    assert '"outside"' in script and "outside_place" in script
