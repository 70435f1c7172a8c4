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
    assert page.text.count("<svg") >= 9
    assert "Мақаладағы сандармен салыстыру" in page.text  # calibration, unfiltered only
    almaty = c.get("/staff/analytics?lang=en&city=almaty")
    busiest = section(almaty.text, "centre")
    assert "almaty-" in busiest and "kokshetau-1" not in busiest
    assert "kokshetau-1" in section(page.text, "centre") or "KZ-11" in section(page.text,
                                                                             "region")
    assert "Calibration" not in almaty.text
    bad = c.get("/staff/analytics?lang=en&start=2026-02-30")
    assert bad.status_code == 200 and "Dates must look like 2026-01-31." in bad.text
    empty = c.get("/staff/analytics?lang=en&start=2030-01-01")
    assert "No visits match this filter." in empty.text


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
    c.post("/staff/logout", data={"csrf": CSRF.search(c.get("/staff").text).group(1)})
    _sign_in(c, sqlite_url, "oper.a", "operator", [centres["mixed"]])
    assert c.get("/staff/analytics").status_code == 403
