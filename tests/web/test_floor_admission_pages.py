"""The small-group parts of the floor pages under the test client: the door's line
outside and Admit button, the manager's outside count, the board's "please come in"."""

from __future__ import annotations

import re

import pytest

from tests.conftest import random_iin
from tests.web.conftest import Site, add_staff
from tests.web.test_floor_pages import _page_data, _sign_in

DOOR_STRINGS = {
    "ru": {"admitted_msg": "Впущены: {tickets}", "outside_place": "Место в очереди на вход: {n}",
           "free_places": "Свободных мест: {n}"},
    "kk": {"admitted_msg": "Кіргізілді: {tickets}", "outside_place": "Кіру кезегіндегі орны: {n}",
           "free_places": "Бос орын: {n}"},
    "en": {"admitted_msg": "Let in: {tickets}", "outside_place": "Place in the line outside: {n}",
           "free_places": "Free places: {n}"},
}


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_door_console_has_the_line_outside_and_admit_in_each_language(
        site: Site, seeded_url: tuple[str, dict[str, int]], lang: str) -> None:
    url, centres = seeded_url
    add_staff(url, "doorman", "door", [centres["mixed"], centres["booking-only"]])
    _sign_in(site, "doorman")
    page = site.client.get(f"/staff/door/{centres['booking-only']}?lang={lang}")
    assert page.status_code == 200
    panel = re.search(r'<section class="[^"]*door-admit[^"]*" id="admit-panel"[^>]*>', page.text)
    assert panel and "hidden" not in panel.group(0)  # the centre has a limit (20)
    assert re.search(r'<button[^>]*id="admit-button"[^>]*aria-keyshortcuts="F2"', page.text)
    strings = _page_data(page.text)["t"]
    for key, text in DOOR_STRINGS[lang].items():
        assert strings[key] == text
    # a centre without a limit: the panel waits hidden until someone stands outside
    mixed = site.client.get(f"/staff/door/{centres['mixed']}?lang={lang}")
    panel = re.search(r'<section[^>]*id="admit-panel"[^>]*>', mixed.text)
    assert panel and " hidden" in panel.group(0)


def test_manager_view_shows_the_outside_count(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    add_staff(url, "dana", "manager", [centres["mixed"]])
    _sign_in(site, "dana")
    page = site.client.get(f"/staff/center/{centres['mixed']}")
    assert page.status_code == 200
    assert 'id="stat-outside"' in page.text and "Ждут снаружи" in page.text
    assert _page_data(page.text)["t"]["outside_longest"] == "дольше всех ждёт: {n} мин"


def test_board_asks_admitted_tickets_in_without_personal_data(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    add_staff(url, "doorman", "door", [cid])
    board = site.client.get(f"/board/{cid}")
    assert re.search(r'<p class="bd-empty" id="admitted-line"[^>]*hidden', board.text)
    assert "Кіріңіз" in board.text and "Проходите в центр" in board.text
    _sign_in(site, "doorman")
    head = {"X-Requested-With": "kezek"}
    iins = [random_iin() for _ in range(2)]
    made = [site.client.post(f"/api/v1/centers/{cid}/arrivals", headers=head,
                             json={"iin": iin, "service": "01010001"}) for iin in iins]
    assert [m.status_code for m in made] == [201, 201]
    site.client.cookies.clear()
    public = site.client.get(f"/api/v1/centers/{cid}/board/admitted")
    assert public.status_code == 200 and public.json() == {"tickets": []}  # nobody admitted
    assert all(iin not in public.text for iin in iins)
