"""The statistics page: who may open it, what it shows, and that it follows the filter."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kezek.api.app import create_app
from kezek.settings import Settings
from tests.analytics.conftest import small
from tests.web.conftest import STAFF_PASSWORD, WEB_IIN_KEY, WEB_SECRET, add_staff, run_async
from tests.web.conftest import prepare as prepare_site

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CHART = re.compile(r'<img src="(/staff/analytics/charts/[a-z_]+\.svg\?[^"]+)"')
TEXT = re.compile(r"<!-- (.*?) -->")  # matplotlib's SVG names each text it draws as paths


def section(html: str, key: str) -> str:
    """The HTML of one statistics section (its chart and table), or '' when absent."""
    found = re.search(rf'<section[^>]*id="{key}".*?</section>', html, re.S)
    return found.group(0) if found else ""


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kezek.analytics.dataset import write_generated

    directory = tmp_path_factory.mktemp("stats")
    write_generated(small(seed=8, months=1, scale=0.002), directory, seed=8, months=1,
                    scale=0.002, floor_form=False)
    return directory


@pytest.fixture
def client(sqlite_url: str, dataset: Path) -> Iterator[tuple[TestClient, dict[str, int]]]:
    centres = run_async(prepare_site, sqlite_url)
    settings = Settings(database_url=sqlite_url, iin_key=WEB_IIN_KEY, secret_key=WEB_SECRET,
                        env="test", default_lang="ru", analytics_dir=str(dataset))
    with TestClient(create_app(settings)) as c:
        yield c, centres


def _sign_in(c: TestClient, url: str, username: str, role: str, centres: list[int]) -> None:
    add_staff(url, username, role, centres)
    form = c.get("/staff/login")
    token = CSRF.search(form.text)
    assert token
    r = c.post("/staff/login", data={"username": username, "password": STAFF_PASSWORD,
                                     "csrf": token.group(1)}, follow_redirects=False)
    assert r.status_code == 303, r.text


def test_analyst_sees_the_national_charts_and_can_filter(client, sqlite_url) -> None:
    c, _ = client
    assert c.get("/staff/analytics", follow_redirects=False).status_code == 303
    _sign_in(c, sqlite_url, "analyst.a", "analyst", [])
    home = c.get("/staff")
    assert 'href="/staff/analytics"' in home.text
    page = c.get("/staff/analytics?lang=kk")
    assert page.status_code == 200
    assert "Өңірлер бойынша қызметтер" in page.text
    charts = CHART.findall(page.text)
    assert len(charts) >= 9 and "<svg" not in page.text  # images, not inline styles
    region = c.get(next(u for u in charts if "/region.svg" in u).replace("&amp;", "&"))
    assert region.status_code == 200 and region.headers["content-type"] == "image/svg+xml"
    assert "max-age" in region.headers["cache-control"]
    drawn = TEXT.findall(region.text)
    assert "Ақмола облысы" in drawn and "Өңірлер бойынша қызметтер" in drawn
    assert not any(t.startswith("KZ-") for t in drawn)
    shown = re.sub(r'(value|href|src|id)="[^"]*"', "", page.text)  # what a person reads
    assert "Ақмола облысы" in section(page.text, "region") and "KZ-11" not in shown
    assert '<option value="KZ-11">Ақмола облысы</option>' in page.text
    assert "family_social" not in shown and "walk_in" not in shown
    assert "Отбасы және әлеуметтік көмек" in section(page.text, "sector")
    assert "Жазылусыз" in section(page.text, "channel")
    legend = c.get("/staff/analytics/charts/histogram.svg?lang=ru")
    assert {"По записи", "Без записи"} <= set(TEXT.findall(legend.text))
    assert "Мақаладағы сандармен салыстыру" in page.text  # calibration, unfiltered only
    almaty = c.get("/staff/analytics?lang=en&city=almaty")
    busiest = section(almaty.text, "centre")
    assert "almaty-" in busiest and "kokshetau-1" not in busiest
    in_almaty = c.get("/staff/analytics/charts/centre.svg?lang=en&city=almaty").text
    assert "almaty-" in in_almaty and "kokshetau-1" not in in_almaty
    assert "Calibration" not in almaty.text
    bad = c.get("/staff/analytics?lang=en&start=2026-02-30")
    assert bad.status_code == 200 and "Dates must look like 2026-01-31." in bad.text
    empty = c.get("/staff/analytics?lang=en&start=2030-01-01")
    assert "No visits match this filter." in empty.text


def test_a_chart_is_refused_in_json_to_a_wrong_reader_or_request(client, sqlite_url) -> None:
    c, centres = client
    url = "/staff/analytics/charts/region.svg?lang=en"
    assert _error(c.get(url), 401) == "unauthorized"
    _sign_in(c, sqlite_url, "analyst.c", "analyst", [])
    assert _error(c.get("/staff/analytics/charts/nope.svg?lang=kk"), 404) == "not_found"
    assert _error(c.get("/staff/analytics/charts/privilege.svg"), 404) == "not_found"
    bad = c.get(url + "&start=2026-02-30")
    assert _error(bad, 422) == "validation_error"
    assert "2026-01-31" in bad.json()["error"]["message"]
    c.post("/staff/logout", data={"csrf": CSRF.search(c.get("/staff").text).group(1)})
    _sign_in(c, sqlite_url, "oper.c", "operator", [centres["mixed"]])
    assert _error(c.get(url), 403) == "forbidden"


def _error(response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["message"]
    return str(body["code"])


def test_manager_sees_only_their_centre_and_operators_are_refused(client, sqlite_url) -> None:
    c, centres = client
    _sign_in(c, sqlite_url, "manager.a", "manager", [centres["mixed"]])
    page = c.get("/staff/analytics?lang=en&city=almaty&centre=almaty-almaly")
    assert page.status_code == 200
    assert "You see your centre&#39;s figures only." in page.text or \
        "You see your centre's figures only." in page.text
    # The manager's own centre is forced: the test network's "mixed" has no generated visits.
    assert "No visits match this filter." in page.text
    assert section(page.text, "centre") == ""
    # The chart route forces the same centre: nothing of the network is drawn for them.
    chart = c.get("/staff/analytics/charts/centre.svg?lang=en&city=almaty")
    assert chart.status_code == 404
    c.post("/staff/logout", data={"csrf": CSRF.search(c.get("/staff").text).group(1)})
    _sign_in(c, sqlite_url, "oper.a", "operator", [centres["mixed"]])
    assert c.get("/staff/analytics").status_code == 403


def test_a_manager_of_no_centre_sees_nothing_not_the_network(client, sqlite_url) -> None:
    c, _ = client
    _sign_in(c, sqlite_url, "manager.none", "manager", [])
    page = c.get("/staff/analytics?lang=en")
    assert page.status_code == 403
    assert section(page.text, "centre") == "" and "almaty" not in page.text.lower()
    chart = c.get("/staff/analytics/charts/centre.svg?lang=en")
    assert _error(chart, 403) == "forbidden"


async def _import_demo_network(url: str) -> None:
    from kezek.app.actor import SYSTEM, Channel
    from kezek.app.network_io import import_network
    from kezek.planning.demo import demo_document
    from kezek.store.db import make_engine, make_sessionmaker, unit_of_work

    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await import_network(s, demo_document("network.json"), SYSTEM, Channel.CLI)
    finally:
        await engine.dispose()


def test_the_filters_name_cities_and_centres_in_the_pages_language(client, sqlite_url) -> None:
    c, _ = client
    run_async(_import_demo_network, sqlite_url)
    _sign_in(c, sqlite_url, "analyst.names", "analyst", [])
    ru = c.get("/staff/analytics?lang=ru").text
    kk = c.get("/staff/analytics?lang=kk").text
    assert '<option value="almaty">Алматы</option>' in ru
    assert '<option value="almaty">Алматы</option>' in kk
    city_select = ru.split('id="city"', 1)[1].split("</select>", 1)[0]
    assert ">almaty<" not in city_select  # a name, not the slug
    names = re.findall(r'<option value="[a-z-]+">([^<]+)</option>', city_select)
    alphabet = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
    assert len(names) > 5
    assert names == sorted(names, key=lambda n: [alphabet.find(ch) for ch in n.upper()])
