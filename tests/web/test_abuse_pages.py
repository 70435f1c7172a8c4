"""The staff abuse page through plain forms (no JavaScript), on SQLite and PostgreSQL:
the per-day groups, the confirmed bulk cancel, suspensions seen and lifted; and the
suspension told on the citizen's booking page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kezek.api.app import create_app
from kezek.app import booking
from kezek.app.actor import CITIZEN, Channel
from kezek.core import iin as iin_rules
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models import BookingRow
from tests.abuse_support import miss_visits, set_rule, until_text
from tests.conftest import next_weekday, random_iin
from tests.web.conftest import (
    STAFF_PASSWORD,
    WEB_IIN_KEY,
    Site,
    add_staff,
    prepare,
    run_async,
    web_settings,
)

TZ = dt.timezone(dt.timedelta(hours=5))
PHONE = "0123456789abcdef"
CANCEL_LINK = re.compile(r'href="(/staff/abuse/cancel\?[^"]+)"')


@pytest.fixture
def asite(db_url: str) -> Iterator[tuple[Site, str]]:
    centers = run_async(prepare, db_url)
    run_async(set_rule, db_url)
    with TestClient(create_app(web_settings(db_url))) as client:
        yield Site(client, centers), db_url


async def _book(url: str, center: int, origins: list[dict[str, str]]) -> list[str]:
    """Bookings as the API and the pages make them, each with the origin the edge saw."""
    engine = make_engine(url)
    codes = []
    try:
        sm = make_sessionmaker(engine)
        day = next_weekday()
        for n, origin in enumerate(origins):
            start = dt.datetime.combine(day, dt.time(10, 15 * n), TZ)
            async with unit_of_work(sm) as s:
                row = await booking.book(s, booking.BookingRequest(
                    iin=random_iin(), service="01010001", center=center, start=start,
                    channel=Channel.WEB, origin=origin), WEB_IIN_KEY.encode(), CITIZEN)
                codes.append(row.code)
    finally:
        await engine.dispose()
    return codes


async def _statuses(url: str, codes: list[str] | None) -> set[str]:
    """The statuses of these bookings (None: of every booking)."""
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s:
            stmt = select(BookingRow.status)
            if codes is not None:
                stmt = stmt.where(BookingRow.code.in_(codes))
            return set((await s.scalars(stmt)).all())
    finally:
        await engine.dispose()


def sign_in(site: Site, url: str, username: str, role: str, centres: list[int]) -> None:
    add_staff(url, username, role, centres)
    page = site.client.get("/staff/login")
    r = site.client.post("/staff/login", data={
        "username": username, "password": STAFF_PASSWORD, "csrf": site.csrf(page.text)},
        follow_redirects=False)
    assert r.status_code == 303, r.text


def hoard(site: Site, url: str) -> list[str]:
    origins = [{"addr": "10.1.1.5", "phone": PHONE}, {"addr": "10.1.1.6", "phone": PHONE},
               {"addr": "10.1.1.7", "phone": PHONE}, {"addr": "192.0.2.4"}]
    return run_async(_book, url, site.centers["mixed"], origins)


def test_only_admins_and_managers_see_the_page(asite: tuple[Site, str]) -> None:
    site, url = asite
    r = site.client.get("/staff/abuse", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/staff/login?next=/staff/abuse"
    sign_in(site, url, "olga.operator", "operator", [site.centers["mixed"]])
    assert site.client.get("/staff/abuse").status_code == 403
    assert "/staff/abuse" not in site.client.get("/staff").text


def test_the_day_grouped_three_ways_with_drill_down(asite: tuple[Site, str]) -> None:
    site, url = asite
    codes = hoard(site, url)
    sign_in(site, url, "mira.manager", "manager", [site.centers["mixed"]])
    assert 'href="/staff/abuse"' in site.client.get("/staff").text
    page = site.client.get("/staff/abuse", params={"lang": "ru"})
    assert page.status_code == 200
    assert "Злоупотребления записью" in page.text and PHONE[:8] in page.text
    assert f">{PHONE}<" not in page.text  # the digest is shown shortened (its key links)
    for code in codes[:3]:
        assert f"{code[:4]}-{code[4:]}" in page.text
    assert "<details" in page.text and "<script" not in page.text
    by_addr = site.client.get("/staff/abuse", params={"by": "address", "lang": "kk"})
    assert "10.1.1.5" in by_addr.text and "Мекенжай бойынша" in by_addr.text
    by_net = site.client.get("/staff/abuse", params={"by": "prefix"})
    assert "10.1.1.0/24" in by_net.text and "192.0.2.0/24" in by_net.text
    empty = site.client.get("/staff/abuse", params={"day": "2020-01-01", "lang": "ru"})
    assert "В этот день записей нет" in empty.text
    bad = site.client.get("/staff/abuse", params={"day": "01.12.2026", "lang": "kk"})
    assert bad.status_code == 422 and "error-summary" in bad.text
    assert "ЖЖЖЖ-АА-КК" in bad.text


def test_bulk_cancel_asks_first_then_cancels_once(asite: tuple[Site, str]) -> None:
    site, url = asite
    codes = hoard(site, url)
    sign_in(site, url, "root.admin", "admin", [])
    page = site.client.get("/staff/abuse")
    link = CANCEL_LINK.search(page.text)
    assert link, page.text
    confirm = site.client.get(link.group(1).replace("&amp;", "&"))
    assert confirm.status_code == 200
    assert "Отменить 3 записей" in confirm.text
    assert run_async(_statuses, url, codes[:3]) == {"active"}  # asking changed nothing
    form = dict(re.findall(r'name="(day|by|key|center)" value="([^"]*)"', confirm.text))
    form["csrf"] = site.csrf(confirm.text)
    missing = site.client.post("/staff/abuse/cancel", data=form)
    assert missing.status_code == 422 and "Выберите причину" in missing.text
    assert run_async(_statuses, url, codes[:3]) == {"active"}
    done = site.client.post("/staff/abuse/cancel", data={**form, "reason": "hoard",
                                                         "note": "seen on a resale site"})
    assert done.status_code == 200 and "Отменено: 3" in done.text
    assert run_async(_statuses, url, codes[:3]) == {"cancelled"}
    assert run_async(_statuses, url, codes[3:]) == {"active"}
    again = site.client.post("/staff/abuse/cancel", data={**form, "reason": "hoard"})
    assert "Отменено: 0" in again.text and "Уже были закрыты, не изменены: 3" in again.text
    no_csrf = site.client.post("/staff/abuse/cancel", data={**form, "csrf": "x" * 30,
                                                            "reason": "hoard"})
    assert no_csrf.status_code == 403


def test_suspensions_seen_looked_up_and_lifted(asite: tuple[Site, str]) -> None:
    site, url = asite
    iin = random_iin()
    starts = run_async(miss_visits, url, iin, site.centers["mixed"], WEB_IIN_KEY.encode(),
                       [45, 30, 15])
    sign_in(site, url, "mara.manager", "manager", [site.centers["mixed"]])
    page = site.client.get("/staff/abuse", params={"lang": "ru"})
    assert "3 неявки за 60 дней" in page.text
    masked = iin_rules.mask(iin)
    assert masked in page.text and iin not in page.text and until_text(max(starts)) in page.text
    found = site.client.post("/staff/abuse/lookup", data={
        "iin": iin, "csrf": site.csrf(page.text)})
    assert found.status_code == 200 and iin not in found.text
    assert f"{masked}: приостановлен до {until_text(max(starts))}" in found.text
    bad = site.client.post("/staff/abuse/lookup", data={"iin": "123",
                                                        "csrf": site.csrf(page.text)})
    assert bad.status_code == 422 and "error-summary" in bad.text
    person = re.search(r'name="person" value="(\d+)"', page.text)
    assert person
    lifted = site.client.post("/staff/abuse/lift", data={
        "person": person.group(1), "csrf": site.csrf(page.text)})
    assert "Приостановка снята" in lifted.text and masked not in lifted.text.split(
        "susp-title")[1].split("lookup")[0]


def _confirm_form(site: Site, lang: str) -> dict[str, Any]:
    day = next_weekday()
    start = dt.datetime.combine(day, dt.time(11), TZ).isoformat()
    path = f"/book/01010001/{site.centers['mixed']}/confirm"
    page = site.client.get(path, params={"start": start, "privilege": "none", "lang": lang})
    assert page.status_code == 200, page.text
    return {"path": path, "start": start, "csrf": site.csrf(page.text)}


@pytest.mark.parametrize("lang,words", [("kk", "тоқтатылды"), ("ru", "приостановлена")])
def test_the_citizen_page_tells_the_suspension_and_its_end(asite: tuple[Site, str],
                                                           lang: str, words: str) -> None:
    site, url = asite
    iin = random_iin()
    starts = run_async(miss_visits, url, iin, site.centers["mixed"], WEB_IIN_KEY.encode(),
                       [45, 30, 15])
    form = _confirm_form(site, lang)
    r = site.client.post(form["path"], data={"start": form["start"], "privilege": "none",
                                             "iin": iin, "csrf": form["csrf"]},
                         follow_redirects=False)
    assert r.status_code == 403 and "error-summary" in r.text
    assert words in r.text and until_text(max(starts)) in r.text
    assert run_async(_statuses, url, None) == {"expired"}  # nothing was booked
