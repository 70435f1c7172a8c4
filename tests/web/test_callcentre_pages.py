"""The 1414 console page under the test client: who may open it, what it carries, that
an IIN never reaches a URL or the page, and that every string exists in kk, ru and en."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kezek.core.booking import BookingStatus
from kezek.web import i18n_callcentre
from kezek.web.i18n_callcentre import CALLCENTRE, SHARED_KEYS, strings
from kezek.web.i18n_ui import UI
from tests.conftest import random_iin
from tests.web.conftest import STAFF_PASSWORD, Site, add_staff

CHECKED = {"identity_checked": True}  # the operator asked the caller's questions

WEB = Path(i18n_callcentre.__file__).parent
KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
PAGE_DATA = re.compile(r'<script type="application/json" id="page-data">(.*?)</script>', re.S)


def _login(site: Site, username: str) -> None:
    page = site.client.get("/staff/login")
    r = site.client.post("/staff/login", data={
        "username": username, "password": STAFF_PASSWORD, "csrf": site.csrf(page.text)},
        follow_redirects=False)
    assert r.status_code == 303, r.text


def test_only_call_centre_staff_and_admins_open_the_console(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    away = site.client.get("/staff/callcentre", follow_redirects=False)
    assert away.status_code == 303
    assert away.headers["location"] == "/staff/login?next=/staff/callcentre"
    add_staff(url, "doorman", "door", [centres["mixed"]])
    _login(site, "doorman")
    assert "/staff/callcentre" not in site.client.get("/staff").text
    refused = site.client.get("/staff/callcentre")
    assert refused.status_code == 403 and "Нет доступа" in refused.text
    site.client.cookies.clear()
    add_staff(url, "boss", "admin", [])
    _login(site, "boss")
    assert site.client.get("/staff/callcentre").status_code == 200


@pytest.mark.parametrize(("lang", "title", "label"), [
    ("kk", "1414 байланыс орталығы", "Қоңырау шалушының ЖСН-ы"),
    ("ru", "Контакт-центр 1414", "ИИН звонящего"),
    ("en", "1414 contact centre", "Caller&#39;s IIN"),
])
def test_the_console_in_each_language(site: Site, seeded_url: tuple[str, dict[str, int]],
                                      lang: str, title: str, label: str) -> None:
    url, _ = seeded_url
    add_staff(url, "cc.ann", "call_centre", [])
    _login(site, "cc.ann")
    home = site.client.get(f"/staff?lang={lang}")
    assert 'href="/staff/callcentre"' in home.text
    assert CALLCENTRE["cc_link"][("kk", "ru", "en").index(lang)] in home.text
    page = site.client.get("/staff/callcentre")
    assert page.status_code == 200
    assert f"<title>{title} — Kezek</title>" in page.text and label in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text  # no inline script under the CSP
    data = json.loads(PAGE_DATA.search(page.text).group(1))  # type: ignore[union-attr]
    assert data["lang"] == lang and data["offset"] == "+05:00"
    assert data["t"]["caller_find"] == CALLCENTRE["caller_find"][("kk", "ru", "en").index(lang)]
    assert len(data["weekdays"]) == 7
    # every form posts: a typed IIN can never land in a query string
    forms = re.findall(r"<form [^>]*>", page.text)
    assert len(forms) == 5
    assert all('method="post"' in f and 'action="/staff/callcentre"' in f for f in forms)


def test_a_form_posted_without_the_script_does_nothing_and_echoes_nothing(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, _ = seeded_url
    add_staff(url, "cc.ann", "call_centre", [])
    _login(site, "cc.ann")
    iin = random_iin()
    r = site.client.post("/staff/callcentre", data={"iin": iin})
    assert r.status_code == 400 and iin not in r.text
    assert "JavaScript" in r.text


def test_the_api_on_the_session_cookie_needs_the_page_header(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, _ = seeded_url
    add_staff(url, "cc.ann", "call_centre", [])
    _login(site, "cc.ann")
    iin = random_iin()
    plain = site.client.post("/api/v1/callcentre/lookup", json={"iin": iin, **CHECKED})
    assert plain.status_code == 403
    ok = site.client.post("/api/v1/callcentre/lookup", json={"iin": iin, **CHECKED},
                          headers={"X-Requested-With": "kezek"})
    assert ok.status_code == 200 and iin not in ok.text
    assert site.client.get("/api/v1/video/consultations?mine=1").json() == []


def test_every_console_string_exists_in_three_languages() -> None:
    used: set[str] = set()
    for path in [*WEB.glob("templates/callcentre*.html"), WEB / "templates/staff_home.html"]:
        used |= set(re.findall(r"\bcc\('([a-z_]+)'", path.read_text(encoding="utf-8")))
    script = "".join(p.read_text(encoding="utf-8") for p in WEB.glob("static/callcentre*.js"))
    from_script = set(re.findall(r"\bt\(\"([a-z_]+)\"(?!\s*\+)", script))
    # keys the script builds from values
    from_script |= {f"status_{s}" for s in BookingStatus}
    from_script |= {f"vstatus_{s}" for s in ("scheduled", "cancelled", "done")}
    from_script |= {f"service_{s}" for s in ("online", "paper", "both")}
    assert len(used) > 40 and len(from_script) > 40
    assert used - set(CALLCENTRE) == set()
    for lang in ("kk", "ru", "en"):
        assert from_script - set(strings(lang)) == set(), lang
    assert set(SHARED_KEYS) <= set(UI)
    assert not set(CALLCENTRE) & set(UI), "a console key would shadow a page key"
    for key, (kk, ru, en) in CALLCENTRE.items():
        assert kk.strip() and ru.strip() and en.strip(), key
    with_letters = [k for k, (kk, _, _) in CALLCENTRE.items() if KAZAKH_LETTERS.search(kk)]
    assert len(with_letters) > 0.7 * len(CALLCENTRE)
