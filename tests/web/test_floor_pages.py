"""The floor pages under the test client: who may open them, what they carry, and that
the lobby board holds nothing personal."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.conftest import random_iin
from tests.web.conftest import STAFF_PASSWORD, Site, add_staff, window_ids

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
STAFF_PAGES = ("/staff/window/{window}", "/staff/door/{centre}", "/staff/center/{centre}")


def _sign_in(site: Site, username: str, next_page: str | None = None) -> object:
    form = site.client.get("/staff/login" + (f"?next={next_page}" if next_page else ""))
    data = {"username": username, "password": STAFF_PASSWORD, "csrf": site.csrf(form.text)}
    if next_page is not None:
        found = re.search(r'name="next" value="([^"]*)"', form.text)
        assert found, "the sign-in form does not carry where to go next"
        data["next"] = found.group(1)
    return site.client.post("/staff/login", data=data, follow_redirects=False)


def _paths(site: Site, url: str) -> list[str]:
    centre = site.centers["mixed"]
    window = window_ids(url, centre)[1]
    return [p.format(window=window, centre=centre) for p in STAFF_PAGES]


def _page_data(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html,
                      re.S)
    assert found, "the page carries no data for its script"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def _only_external_scripts(html: str) -> None:
    """CSP is script-src 'self': every script is a file, or inert JSON data."""
    tags = SCRIPT_TAG.findall(html)
    assert tags, "the page has no script"
    for attrs in tags:
        assert 'src="/static/' in attrs or 'type="application/json"' in attrs, attrs
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler"


def test_staff_pages_send_strangers_to_sign_in(site: Site,
                                               seeded_url: tuple[str, dict[str, int]]) -> None:
    url, _ = seeded_url
    for path in _paths(site, url):
        r = site.client.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"] == f"/staff/login?next={path}"


def test_sign_in_returns_to_the_console_and_only_to_our_staff_pages(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    add_staff(url, "oper", "operator", [centres["mixed"]])
    console = _paths(site, url)[0]
    r = _sign_in(site, "oper", console)
    assert r.status_code == 303 and r.headers["location"] == console  # type: ignore[attr-defined]
    site.client.cookies.clear()
    r = _sign_in(site, "oper", "https://evil.example/staff/x")
    assert r.headers["location"] == "/staff"  # type: ignore[attr-defined]
    site.client.cookies.clear()
    r = _sign_in(site, "oper", "//evil.example/staff/")
    assert r.headers["location"] == "/staff"  # type: ignore[attr-defined]


def test_operator_console_renders_for_an_operator_of_the_centre(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    add_staff(url, "oper", "operator", [centres["mixed"]])
    _sign_in(site, "oper")
    window, door, centre_view = _paths(site, url)
    page = site.client.get(window)
    assert page.status_code == 200
    assert "Окно 1" in page.text and "ЦОН 2" in page.text
    for key in ("N", "R", "S", "F", "X", "T", "P", "U"):
        assert f'aria-keyshortcuts="{key}"' in page.text, key
    assert "/static/floor_window.js" in page.text and "/static/floor_common.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    _only_external_scripts(page.text)
    # the transfer list offers the centre's services, by name
    assert "Регистрация недвижимости" in page.text
    assert "Регистрация транспортного средства" not in page.text  # not at a general centre
    kazakh = site.client.get(window + "?lang=kk")
    assert "1-терезе" in kazakh.text and "Келесіні шақыру" in kazakh.text
    assert site.client.get(door).status_code == 200  # an operator may stand at the door
    assert site.client.get(centre_view).status_code == 403  # the live view is the manager's
    home = site.client.get("/staff?lang=ru")
    assert f'href="{window}"' in home.text and f'href="{door}"' in home.text
    assert f'href="{centre_view}"' not in home.text


def test_staff_of_another_centre_or_role_are_refused(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    add_staff(url, "other", "operator", [centres["vehicle"]])
    add_staff(url, "doorman", "door", [centres["mixed"]])
    window, door, centre_view = _paths(site, url)
    _sign_in(site, "other")
    for path in (window, door, centre_view):
        r = site.client.get(path, follow_redirects=False)
        assert r.status_code == 403, path
        assert "Нет доступа" in r.text
    site.client.cookies.clear()
    _sign_in(site, "doorman")
    assert site.client.get(window, follow_redirects=False).status_code == 403
    assert site.client.get(door).status_code == 200
    assert site.client.get("/staff/window/999999").status_code == 404


def test_door_console_shows_services_and_occupancy_and_never_takes_an_iin_by_form(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    add_staff(url, "doorman", "door", [centres["booking-only"]])
    _sign_in(site, "doorman")
    path = f"/staff/door/{centres['booking-only']}"
    page = site.client.get(path)
    assert page.status_code == 200
    assert "Только по предварительной записи" in page.text
    assert 'value="01010001"' in page.text and "Выдача удостоверения личности" in page.text
    assert 'value="04010001"' not in page.text  # a vehicle service: not at this centre
    forms = re.findall(r"<form\b[^>]*>", page.text)
    assert len(forms) == 2 and all('method="post"' in f for f in forms)
    data = _page_data(page.text)
    assert data["occupancy_limit"] == 20 and data["city"] == "testcity"
    assert data["services"]["03010001"]["online"] is True  # a refusal shows the portal
    assert data["portal"]["url"].startswith("https://")
    _only_external_scripts(page.text)
    # a form that posts without its script does nothing and echoes nothing
    iin = random_iin()
    r = site.client.post(path, data={"iin": iin, "service": "01010001"})
    assert r.status_code == 400 and iin not in r.text


def test_manager_view_counts_no_shows_today(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "dana", "manager", [cid])
    _sign_in(site, "dana")
    path = f"/staff/center/{cid}"
    assert re.search(r'id="stat-no-shows">0<', site.client.get(path).text)
    head = {"X-Requested-With": "kezek"}
    for _ in range(2):
        r = site.client.post(f"/api/v1/centers/{cid}/arrivals", headers=head,
                             json={"iin": random_iin(), "service": "01010001"})
        assert r.status_code == 201, r.text
    window = window_ids(url, cid)[1]
    ticket = site.client.post(f"/api/v1/windows/{window}/call-next", headers=head).json()
    tid = ticket["ticket"]["id"]
    assert site.client.post(f"/api/v1/tickets/{tid}/no-show", headers=head).status_code == 200
    page = site.client.get(path)
    assert page.status_code == 200
    assert re.search(r'id="stat-no-shows">1<', page.text)
    assert "/static/floor_center.js" in page.text


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_board_is_public_and_holds_nothing_personal(
        site: Site, seeded_url: tuple[str, dict[str, int]], lang: str) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "oper", "operator", [cid])
    _sign_in(site, "oper")
    iin = random_iin()
    head = {"X-Requested-With": "kezek"}
    made = site.client.post(f"/api/v1/centers/{cid}/arrivals", headers=head,
                            json={"iin": iin, "service": "01010001"})
    masked = made.json()["ticket"]["iin_masked"]
    window = window_ids(url, cid)[1]
    site.client.post(f"/api/v1/windows/{window}/call-next", headers=head)
    site.client.cookies.clear()  # the lobby screen is nobody's session
    page = site.client.get(f"/board/{cid}?lang={lang}")
    assert page.status_code == 200
    assert iin not in page.text and masked not in page.text and "********" not in page.text
    assert "/static/floor_board.js" in page.text and "/static/board.css" in page.text
    _only_external_scripts(page.text)
    if lang == "en":
        assert "Now calling" in page.text
    else:  # the board speaks both languages of the state, Kazakh first
        assert page.text.index("Шақырылды") < page.text.index("Вызов")
        spoken = [a["text"] for a in _page_data(page.text)["announce"]]
        assert "терезеге келіңіз" in spoken[0] and "пройдите к окну" in spoken[1]
    board = site.client.get(f"/api/v1/centers/{cid}/board")
    assert masked not in board.text and board.json()[0]["window"] == 1
    assert site.client.get("/board/999999").status_code == 404


@pytest.mark.parametrize("name", ["floor_common.js", "floor_window.js", "floor_confirm.js",
                                  "floor_transfer.js", "floor_door.js",
                                  "floor_center.js", "floor_board.js", "floor.css",
                                  "board.css"])
def test_static_files_are_served_from_our_origin(site: Site, name: str) -> None:
    r = site.client.get(f"/static/{name}")
    assert r.status_code == 200 and len(r.text) > 500
    kind = "javascript" if name.endswith(".js") else "css"
    assert kind in r.headers["content-type"]
    assert "http://" not in r.text and "https://" not in r.text  # no CDN, nothing remote
    if name == "floor_common.js":
        assert '"X-Requested-With": "kezek"' in r.text
