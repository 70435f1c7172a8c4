"""Move on the booking page (ADR 0031) through plain HTTP forms: the same code at a new
time, the old time kept when the new one is taken meanwhile, and the proof Cancel needs."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import time
from collections.abc import Iterator
from types import SimpleNamespace

import httpx
import pytest
from fastapi.testclient import TestClient

from kezek.api.app import create_app
from kezek.app import booking
from kezek.app.actor import CITIZEN, Channel
from kezek.app.identity import proof as proof_module
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.web.views import parse_start
from tests.conftest import random_iin
from tests.web.conftest import IIN, WEB_IIN_KEY, Site, prepare, run_async, web_settings
from tests.web.test_citizen_pages import CODE, START, TOKEN, book
from tests.web.test_identity_pages import DEV_CODE, send_to, start_booking

DAY_LINK = re.compile(r'<a class="day[^"]*" href="(/bookings/[^"]+/move\?day=[^"]+)"')


def db_rows(site: Site, code: str | None = None) -> list[tuple[str, str, str]]:
    """(code, status, start) of every booking that is a person's (not a held seat)."""
    path = str(site.client.app.state.settings.database_url).split(":///", 1)[1]  # type: ignore[attr-defined]
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT code, status, start_utc FROM bookings WHERE status NOT IN "
                          "('held', 'released') ORDER BY id").fetchall()
    return [tuple(r) for r in rows if code is None or r[0] == code]  # type: ignore[misc]


def shown(site: Site, code: str) -> httpx.Response:
    """The booking page: found by code and IIN."""
    csrf = site.csrf(site.client.get("/bookings/find").text)
    r = site.client.post("/bookings/find", data={"code": code, "iin": IIN, "csrf": csrf})
    assert r.status_code == 200, r.text
    return r


def open_move(site: Site, code: str) -> httpx.Response:
    page = shown(site, code)
    assert 'action="/bookings/move"' in page.text
    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    r = site.client.post("/bookings/move", data={
        "code": code, "iin_token": token, "csrf": site.csrf(page.text)},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/bookings/{code.replace('-', '')}/move"
    moving = site.client.get(r.headers["location"])
    assert moving.status_code == 200, moving.text
    return moving


def another_day(site: Site, page: httpx.Response) -> httpx.Response:
    links = DAY_LINK.findall(page.text)
    assert len(links) >= 2, "fewer than two days offered"
    r = site.client.get(links[1].replace("&amp;", "&"))
    assert r.status_code == 200
    return r


def test_move_keeps_the_code_and_shows_the_new_time(site: Site) -> None:
    code, _ = book(site)
    raw = code.replace("-", "")
    (before,) = db_rows(site)
    page = another_day(site, open_move(site, code))
    assert "Перенос записи" in page.text and IIN not in page.text
    start = START.search(page.text).group(1)  # type: ignore[union-attr]
    r = site.client.post(f"/bookings/{raw}/move", data={
        "start": start, "csrf": site.csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/bookings/{raw}/moved"
    done = site.client.get(r.headers["location"])
    assert done.status_code == 200
    assert "Запись перенесена" in done.text and CODE.search(done.text).group(1) == code  # type: ignore[union-attr]
    assert start[11:16] in done.text
    rows = db_rows(site)
    assert [s for _, s, _ in rows] == ["moved", "active"]
    assert rows[1][0] == raw and rows[0][0] != raw and rows[0][2] == before[2]
    when = parse_start(start)
    assert when is not None and rows[1][2].startswith(
        when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M"))
    # The move is done: its grant is gone, and the page asks to find the booking again.
    again = site.client.get(f"/bookings/{raw}/move")
    assert again.status_code == 404 and "найдите её ещё раз" in again.text


async def _fill(url: str, center: int, start: dt.datetime, seats: int) -> None:
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        for _ in range(seats):
            async with unit_of_work(sm) as s:
                await booking.book(s, booking.BookingRequest(
                    random_iin(), "01010001", center, start, Channel.WEB),
                    WEB_IIN_KEY.encode(), CITIZEN)
    finally:
        await engine.dispose()


def test_a_time_taken_meanwhile_leaves_the_booking_unchanged_in_kazakh(site: Site) -> None:
    code, _ = book(site)
    raw = code.replace("-", "")
    before = db_rows(site)
    page = another_day(site, open_move(site, code))
    start = START.search(page.text).group(1)  # type: ignore[union-attr]
    when = parse_start(start)
    assert when is not None
    url = str(site.client.app.state.settings.database_url)  # type: ignore[attr-defined]
    run_async(_fill, url, site.centers["mixed"], when, 3)  # three windows: the slot is full
    r = site.client.post(f"/bookings/{raw}/move?lang=kk", data={
        "start": start, "csrf": site.csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 409, r.text
    assert "жаңа ғана басқа біреу алды" in r.text and "Жазылуыңыз өзгерген жоқ" in r.text
    assert 'class="error-summary"' in r.text and IIN not in r.text
    assert db_rows(site, raw) == [before[0]]  # same code, still active, same time
    # The page offers the other times at once, and a second try there succeeds.
    other = START.search(r.text).group(1)  # type: ignore[union-attr]
    assert other != start
    ok = site.client.post(f"/bookings/{raw}/move", data={
        "start": other, "csrf": site.csrf(r.text)}, follow_redirects=False)
    assert ok.status_code == 303


def test_move_needs_the_booking_pages_proof(site: Site, seeded_url: tuple[str, dict[str, int]]
                                            ) -> None:
    code, _ = book(site)
    raw = code.replace("-", "")
    page = shown(site, code)
    csrf, token = site.csrf(page.text), TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    # A forged seal, no seal at all, or a code the seal was not proved for: refused.
    for data in ({"code": code, "iin_token": token[:-2] + "AA"}, {"code": code},
                 {"code": code, "iin": IIN}):
        r = site.client.post("/bookings/move", data={**data, "csrf": csrf},
                             follow_redirects=False)
        assert r.status_code == 422, data
    # Another browser: no grant for the new-time page, and a POST there moves nothing.
    with TestClient(create_app(web_settings(seeded_url[0]))) as other:
        assert other.get(f"/bookings/{raw}/move").status_code == 404
        form = other.get("/bookings/find")
        csrf_other = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
        r = other.post(f"/bookings/{raw}/move", data={
            "start": "2030-01-07T10:00:00+05:00", "csrf": csrf_other})
        assert r.status_code == 404
    # No time chosen: the page says so, and nothing changes.
    moving = open_move(site, code)
    r = site.client.post(f"/bookings/{raw}/move", data={"csrf": site.csrf(moving.text)})
    assert r.status_code == 422 and "Выберите время" in r.text
    assert [s for _, s, _ in db_rows(site)] == ["active"]



@pytest.fixture
def otp_site(sqlite_url: str) -> Iterator[Site]:
    """The network with the default code step (`identity: otp`)."""
    centers = run_async(prepare, sqlite_url, "otp")
    with TestClient(create_app(web_settings(sqlite_url))) as client:
        yield Site(client, centers)


def test_under_the_code_step_a_lapsed_proof_moves_nothing(
        otp_site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    page = send_to(otp_site, start_booking(otp_site))
    sms = DEV_CODE.search(page)
    assert sms
    r = otp_site.client.post("/identity/code", data={"csrf": otp_site.csrf(page),
                                                      "otp": sms.group(1)})
    code = CODE.search(r.text).group(1)  # type: ignore[union-attr]
    raw = code.replace("-", "")
    found = shown(otp_site, code)  # the proof covers the booking page
    token = TOKEN.search(found.text).group(1)  # type: ignore[union-attr]
    moving = another_day(otp_site, open_move(otp_site, code))
    start = START.search(moving.text).group(1)  # type: ignore[union-attr]
    before = db_rows(otp_site)
    real = time.time
    # The proof lapses (30 minutes) while the seals (30 minutes, made later) still hold.
    monkeypatch.setattr(proof_module, "time", SimpleNamespace(time=lambda: real() + 30 * 60))
    r = otp_site.client.post(f"/bookings/{raw}/move", data={
        "start": start, "csrf": otp_site.csrf(moving.text)}, follow_redirects=False)
    assert r.status_code == 401 and "подтвердите личность" in r.text
    assert "Ваша запись не изменилась" in r.text
    r = otp_site.client.post("/bookings/move", data={
        "code": code, "iin_token": token, "csrf": otp_site.csrf(found.text)},
        follow_redirects=False)
    assert r.status_code == 401 and "подтвердите личность" in r.text
    assert db_rows(otp_site) == before
