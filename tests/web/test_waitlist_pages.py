"""The waitlist pages through plain HTTP forms: a fully booked day offers the waitlist,
joining gives a code and a place in line, and the offer link's page shows the entry
only to its IIN, with Accept and Leave; the offer itself is made by the real offer code
(`kezek.app.waitlist_offers`), as the job would make it."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi.testclient import TestClient

from kezek.api.app import create_app
from kezek.app import booking, network, waitlist, waitlist_offers
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.app.booking import BookingRequest
from kezek.core.policy import Privilege
from kezek.display import day_label
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models import utcnow
from tests.abuse_support import miss_visits, set_rule, until_text
from tests.conftest import next_weekday, random_iin
from tests.web.conftest import WEB_IIN_KEY, Site, outside_iin_field, run_async, web_settings

TZ = ZoneInfo("Asia/Almaty")
VEHICLE = "04010001"
BIRTH = "03010001"  # "both": online, or at a privilege window
HOLD = 15
IIN = "900101300017"
OTHER_IIN = "850715400129"
CODE = re.compile(r'<p class="code">([A-Z0-9]{4}-[A-Z0-9]{4})</p>')
TOKEN = re.compile(r'name="iin_token" value="([^"]+)"')
PLACE = re.compile(r'<strong id="place">(\d+)</strong>')
ADMIN = Actor("admin", 1, Role.ADMIN)


@dataclass
class FullDay:
    """The vehicle centre (one window, one seat) open 09:00-09:30 on `day`: two bookings
    fill it."""

    url: str
    center: int
    day: dt.date
    booked: list[tuple[str, str]]  # (IIN, booking code)


def local(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), TZ)


async def _fill(url: str, cid: int, day: dt.date) -> list[tuple[str, str]]:
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        async with unit_of_work(sm) as s:
            await network.set_exception(s, cid, day, "09:00", "09:30", "", ADMIN, Channel.API)
        booked = []
        for hh, mm in ((9, 0), (9, 15)):
            iin = random_iin()
            async with unit_of_work(sm) as s:
                row = await booking.book(s, BookingRequest(iin, VEHICLE, cid, local(day, hh, mm),
                                                           Channel.WEB), WEB_IIN_KEY.encode(),
                                         CITIZEN)
            booked.append((iin, row.code))
        return booked
    finally:
        await engine.dispose()


async def _free_and_offer(url: str, cid: int, day: dt.date, iin: str, code: str,
                          now: dt.datetime) -> list[int]:
    """Cancels a booking and runs the offer pass as the seat_freed job does, at `now`."""
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        async with unit_of_work(sm) as s:
            await booking.cancel(s, code, iin, WEB_IIN_KEY.encode(), CITIZEN, Channel.WEB)
        async with unit_of_work(sm) as s:
            return await waitlist_offers.offer_freed(s, cid, day, now, HOLD)
    finally:
        await engine.dispose()


async def _sweep(url: str, now: dt.datetime) -> list[int]:
    """The sweep job's pass: lapsed offers expire, their seats go to the next in line."""
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        offered: list[int] = []
        async with unit_of_work(sm) as s:
            for cid, day in await waitlist_offers.expire(s, now):
                offered += await waitlist_offers.offer_freed(s, cid, day, now, HOLD)
        return offered
    finally:
        await engine.dispose()


def statuses(url: str) -> list[str]:
    with sqlite3.connect(url.split(":///", 1)[1]) as db:
        return [r[0] for r in db.execute("SELECT status FROM waitlist_entries ORDER BY id")]


@pytest.fixture
def full_day(seeded_url: tuple[str, dict[str, int]]) -> FullDay:
    """Set up before any app reads the catalog (each engine caches it for a second)."""
    url, centres = seeded_url
    cid = centres["vehicle"]
    day = next_weekday(days_ahead=2)
    return FullDay(url, cid, day, run_async(_fill, url, cid, day))


@pytest.fixture
def site(full_day: FullDay, seeded_url: tuple[str, dict[str, int]]) -> Iterator[Site]:
    url, centres = seeded_url
    settings = web_settings(url).model_copy(update={"waitlist_hold_minutes": HOLD})
    with TestClient(create_app(settings)) as client:
        yield Site(client, centres)


def join_path(f: FullDay) -> str:
    return f"/book/{VEHICLE}/{f.center}/waitlist"


def join(site: Site, f: FullDay, iin: str, email: str = "", **extra: str) -> httpx.Response:
    form = site.client.get(join_path(f), params={"day": f.day.isoformat()})
    assert form.status_code == 200, form.text
    data = {"csrf": site.csrf(form.text), "day": f.day.isoformat(), "iin": iin,
            "email": email, "privilege": "none", **extra}
    return site.client.post(join_path(f), data=data, follow_redirects=False)


def joined_code(site: Site, f: FullDay, iin: str, email: str = "") -> tuple[str, str]:
    """Joins through the forms; returns the waitlist code and the page shown after."""
    r = join(site, f, iin, email)
    assert r.status_code == 303, r.text
    assert re.fullmatch(r"/waitlist/[A-Z0-9]{8}/joined", r.headers["location"])
    page = site.client.get(r.headers["location"])
    assert page.status_code == 200, page.text
    found = CODE.search(page.text)
    assert found, page.text
    return found.group(1).replace("-", ""), page.text


def show(site: Site, code: str, iin: str) -> httpx.Response:
    form = site.client.get(f"/waitlist/{code}")
    return site.client.post(f"/waitlist/{code}", data={"csrf": site.csrf(form.text),
                                                       "iin": iin})


def test_open_days_are_the_horizon_days_with_a_start_ahead(full_day: FullDay) -> None:
    shut = full_day.day + dt.timedelta(days=1)

    async def days(close: bool, now: dt.datetime) -> list[dt.date]:
        engine = make_engine(full_day.url)
        try:
            if close:
                async with unit_of_work(make_sessionmaker(engine)) as s:
                    await network.set_exception(s, full_day.center, shut, None, None, "shut",
                                                ADMIN, Channel.API)
            async with unit_of_work(make_sessionmaker(engine)) as s:
                return await waitlist.open_days(s, full_day.center, now)
        finally:
            await engine.dispose()

    found = run_async(days, True, local(full_day.day, 8).astimezone(dt.UTC))
    # Ten days ahead (the centre's horizon) and that day itself, all open but one.
    assert found == [full_day.day + dt.timedelta(days=i) for i in range(11) if i != 1]
    # At 09:20 on the short day its last start (09:15) has gone: nothing left to wait for.
    late = run_async(days, False, local(full_day.day, 9, 20).astimezone(dt.UTC))
    assert late[0] == full_day.day + dt.timedelta(days=2)


def test_a_fully_booked_day_offers_the_waitlist(site: Site, full_day: FullDay) -> None:
    base = f"/book/{VEHICLE}/{full_day.center}"
    page = site.client.get(base)
    assert page.status_code == 200
    day = full_day.day.isoformat()
    full_link = re.search(rf'<a class="day[^"]*day-full[^"]*" href="[^"]*day={day}[^"]*"[^>]*>'
                          r"([^<]+)</a>", page.text)
    assert full_link and full_link.group(1).endswith(": нет свободного времени")
    assert page.text.count("day-full") == 1  # every other day has free times
    assert 'aria-current="date"' in page.text and 'name="start"' in page.text
    chosen = site.client.get(base, params={"day": day})
    assert 'name="start"' not in chosen.text
    assert "свободного времени нет" in chosen.text
    link = re.search(r'<a class="button button-link" href="([^"]+)">([^<]+)</a>', chosen.text)
    assert link and link.group(2) == "Встать в лист ожидания на этот день"
    assert link.group(1).replace("&amp;", "&") == f"{base}/waitlist?day={day}"
    english = site.client.get(base, params={"day": day, "lang": "en"})
    assert "Join the waitlist for this day" in english.text and ": fully booked" in english.text


def test_join_through_the_forms(site: Site, full_day: FullDay) -> None:
    seen: list[httpx.Response] = []
    form = site.client.get(join_path(full_day), params={"day": full_day.day.isoformat()})
    assert form.status_code == 200
    assert 'name="iin"' in form.text and 'inputmode="numeric"' in form.text
    assert 'name="email"' in form.text and 'type="email"' in form.text
    assert "15 мин" in form.text  # the hold time, from the settings
    assert "продавца" in form.text  # a vehicle: the booking is in the seller's name
    # Both mistakes at once, each linked to its field; nothing is stored.
    bad = join(site, full_day, IIN[:-1] + "9", email="not-an-address")
    assert bad.status_code == 422
    assert 'href="#iin"' in bad.text and 'href="#email"' in bad.text
    assert "контрольная цифра" in bad.text and "name@example.kz" in bad.text
    assert 'value="not-an-address"' in bad.text  # the e-mail is kept (and the IIN, in its field)
    assert statuses(full_day.url) == []
    seen.append(bad)

    first, page = joined_code(site, full_day, IIN, email="first@example.kz")
    assert PLACE.search(page).group(1) == "1"  # type: ignore[union-attr]
    assert "first@example.kz" in page and "15 мин" in page
    assert f'href="/waitlist/{first}"' in page and "90********17" in page
    second, page2 = joined_code(site, full_day, OTHER_IIN)
    assert PLACE.search(page2).group(1) == "2"  # type: ignore[union-attr]
    assert f"http://127.0.0.1:8000/waitlist/{second}" in page2  # no e-mail: check the page
    again = join(site, full_day, IIN)
    assert again.status_code == 409 and "Вы уже в листе ожидания" in again.text
    assert statuses(full_day.url) == ["waiting", "waiting"]
    seen += [again]
    # The code page is for the browser that joined; others are sent to the IIN question.
    site.client.cookies.clear()
    other = site.client.get(f"/waitlist/{first}/joined")
    assert other.status_code == 404 and f'href="/waitlist/{first}"' in other.text
    for r in seen:
        text = outside_iin_field(r.text)  # a refusal keeps the typed IIN in its field only
        assert IIN not in text and IIN[:-1] not in text
        assert IIN not in r.headers.get("location", "") and IIN not in str(r.url)


def test_a_day_with_free_times_says_so_and_links_back(site: Site, full_day: FullDay) -> None:
    free_day = full_day.day + dt.timedelta(days=2)
    times = f"/book/{VEHICLE}/{full_day.center}?day={free_day.isoformat()}"
    opened = site.client.get(join_path(full_day), params={"day": free_day.isoformat()})
    assert opened.status_code == 409
    assert "В этот день есть свободное время" in opened.text
    assert f'href="{times.replace("&", "&amp;")}"' in opened.text
    # A form posted for that day (free times appeared meanwhile) is refused the same way.
    form = site.client.get(join_path(full_day), params={"day": full_day.day.isoformat()})
    r = site.client.post(join_path(full_day), follow_redirects=False, data={
        "csrf": site.csrf(form.text), "day": free_day.isoformat(), "iin": IIN,
        "privilege": "none"})
    assert r.status_code == 409 and 'class="error-summary"' in r.text
    assert f'<a href="{times}">' in r.text.replace("&amp;", "&")
    assert statuses(full_day.url) == []
    closed = site.client.get(join_path(full_day), params={"day": "2020-01-06"})
    assert closed.status_code == 422 and "вне расписания" in closed.text


def test_posts_without_the_csrf_token_join_nothing(site: Site, full_day: FullDay) -> None:
    r = site.client.post(join_path(full_day), data={"day": full_day.day.isoformat(),
                                                    "iin": IIN}, follow_redirects=False)
    assert r.status_code == 403
    code, _ = joined_code(site, full_day, IIN)
    for action in ("", "/leave", "/accept"):
        r = site.client.post(f"/waitlist/{code}{action}", data={"iin": IIN})
        assert r.status_code == 403, action
    assert statuses(full_day.url) == ["waiting"]


def test_the_entry_page_shows_nothing_without_the_right_iin(
        site: Site, full_day: FullDay) -> None:
    code, _ = joined_code(site, full_day, IIN)
    site.client.cookies.clear()
    asked = site.client.get(f"/waitlist/{code}")
    assert asked.status_code == 200 and "Введите ИИН, чтобы увидеть" in asked.text
    assert f'action="/waitlist/{code}"' in asked.text
    for private in ("Спец ЦОН", "Регистрация транспортного", "90********17", "В очереди"):
        assert private not in asked.text
    # An unknown code gets the same question: the page does not say which codes exist.
    unknown = site.client.get("/waitlist/ABCD2345")
    assert unknown.status_code == 200
    assert unknown.text.replace("ABCD2345", code).replace("ABCD-2345", code[:4] + "-"
                                                          + code[4:]) == asked.text
    assert site.client.get("/waitlist/nonsense!").status_code == 404
    wrong = show(site, code, OTHER_IIN)
    assert wrong.status_code == 404
    assert "Не найдено. Проверьте код и ИИН и попробуйте ещё раз." in wrong.text
    assert "Спец ЦОН" not in wrong.text and OTHER_IIN not in outside_iin_field(wrong.text)
    invalid = show(site, code, "12345")
    assert invalid.status_code == 422 and "должно быть 12 цифр" in invalid.text
    right = show(site, code, IIN)
    assert right.status_code == 200 and right.headers["cache-control"] == "no-store"
    assert "Спец ЦОН" in right.text and "90********17" in right.text
    assert "В очереди" in right.text and PLACE.search(right.text).group(1) == "1"  # type: ignore[union-attr]
    assert f'action="/waitlist/{code}/leave"' in right.text
    assert "/accept" not in right.text and IIN not in right.text
    kk = site.client.get(f"/waitlist/{code}?lang=kk")
    assert "Бұл жазбаны көру үшін ЖСН-іңізді енгізіңіз." in kk.text


def test_accepting_an_offer_gives_the_booking_code(site: Site, full_day: FullDay) -> None:
    first, _ = joined_code(site, full_day, IIN)
    second, _ = joined_code(site, full_day, OTHER_IIN)
    iin, code = full_day.booked[0]  # the 09:00 booking is cancelled
    offered = run_async(_free_and_offer, full_day.url, full_day.center, full_day.day, iin,
                        code, utcnow())
    assert len(offered) == 1
    page = show(site, first, IIN)
    assert "Для вас придержано время" in page.text and "09:00" in page.text
    until = re.search(r'<strong id="held-until">(\d\d:\d\d) \(([^)]+)\)</strong>', page.text)
    expected = (utcnow() + dt.timedelta(minutes=HOLD)).astimezone(TZ)
    assert until and abs(
        dt.datetime.combine(expected.date(), dt.time.fromisoformat(until.group(1)), TZ)
        - expected) < dt.timedelta(minutes=2)
    assert until.group(2) == day_label(expected.date(), "ru")  # the hold may end days before
    assert f'action="/waitlist/{first}/accept"' in page.text
    assert "Принять это время" in page.text and "Выйти из листа ожидания" in page.text
    # The second in line sees their place (still waiting), not the offer.
    other = show(site, second, OTHER_IIN)
    assert "Для вас придержано" not in other.text and "В очереди" in other.text

    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    csrf = site.csrf(page.text)
    forged = site.client.post(f"/waitlist/{first}/accept", data={
        "csrf": csrf, "iin_token": token[:-2] + "AA"})
    assert forged.status_code == 422 and "Введите ИИН ещё раз" in forged.text
    r = site.client.post(f"/waitlist/{first}/accept", data={"csrf": csrf, "iin_token": token},
                         follow_redirects=False)
    assert r.status_code == 303
    assert re.fullmatch(r"/bookings/[A-Z0-9]{8}/done", r.headers["location"])
    done = site.client.get(r.headers["location"])
    booked = CODE.search(done.text)
    assert done.status_code == 200 and booked and "09:00" in done.text
    assert "Вы записаны" in done.text and "90********17" in done.text
    assert statuses(full_day.url) == ["accepted", "waiting"]
    after = show(site, first, IIN)
    assert "Принято" in after.text and booked.group(1) in after.text
    assert "/accept" not in after.text and "/leave" not in after.text
    # The booking is the person's own, like any other.
    mine = site.client.post("/bookings/mine", data={"csrf": csrf, "iin": IIN})
    assert booked.group(1) in mine.text


def test_an_expired_offer_says_it_passed_on(site: Site, full_day: FullDay) -> None:
    first, _ = joined_code(site, full_day, IIN)
    second, _ = joined_code(site, full_day, OTHER_IIN)
    waiting = show(site, first, IIN)  # a page left open while waiting: its sealed IIN
    token = TOKEN.search(waiting.text).group(1)  # type: ignore[union-attr]
    iin, code = full_day.booked[1]
    # Offered 20 minutes ago: the 15-minute hold ran out before the sweep came by.
    run_async(_free_and_offer, full_day.url, full_day.center, full_day.day, iin, code,
              utcnow() - dt.timedelta(minutes=20))
    page = show(site, first, IIN)
    assert "Предложение истекло" in page.text and "перешло следующему" in page.text
    assert "Завершена" in page.text
    assert "/accept" not in page.text and "/leave" not in page.text
    again = re.search(r'<a href="([^"]+)">Выбрать день снова</a>', page.text)
    assert again and f"day={full_day.day.isoformat()}" in again.group(1)
    # Accepting anyway (a form from before) is refused with the API's message.
    late = site.client.post(f"/waitlist/{first}/accept", data={
        "csrf": site.csrf(waiting.text), "iin_token": token}, follow_redirects=False)
    assert late.status_code == 409 and 'class="error-summary"' in late.text
    assert "Для вас нет придержанного места" in late.text
    assert "Предложение истекло" in late.text
    assert statuses(full_day.url) == ["offered", "waiting"]
    # The sweep passes the seat to the next in line; the first still sees why.
    assert run_async(_sweep, full_day.url, utcnow()) != []
    assert statuses(full_day.url) == ["expired", "offered"]
    assert "Предложение истекло" in show(site, first, IIN).text
    offered = show(site, second, OTHER_IIN)
    assert "Для вас придержано время" in offered.text and "09:15" in offered.text


def test_leaving_the_waitlist(site: Site, full_day: FullDay) -> None:
    code, _ = joined_code(site, full_day, IIN)
    page = show(site, code, IIN)
    r = site.client.post(f"/waitlist/{code}/leave", data={
        "csrf": site.csrf(page.text), "iin_token": TOKEN.search(page.text).group(1)},  # type: ignore[union-attr]
        follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/waitlist/{code}/left"
    left = site.client.get(r.headers["location"])
    assert left.status_code == 200 and "Вы вышли из листа ожидания" in left.text
    assert statuses(full_day.url) == ["cancelled"]
    after = show(site, code, IIN)
    assert "Вы вышли" in after.text and "/leave" not in after.text
    # A stale form's "continue" link (GET) leads back to the question, not to an error.
    back = site.client.get(f"/waitlist/{code}/leave", follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == f"/waitlist/{code}"
    # The browser can join again for the same day.
    again, _ = joined_code(site, full_day, IIN)
    assert again != code and statuses(full_day.url) == ["cancelled", "waiting"]


@pytest.mark.parametrize(("lang", "title", "button"), [
    ("kk", "Күту тізіміне жазылу", "Күту тізіміне жазылу"),
    ("ru", "Лист ожидания", "Встать в лист ожидания"),
    ("en", "Join the waitlist", "Join the waitlist"),
])
def test_join_page_in_each_language(site: Site, full_day: FullDay, lang: str, title: str,
                                    button: str) -> None:
    r = site.client.get(join_path(full_day), params={"day": full_day.day.isoformat(),
                                                    "lang": lang})
    assert r.status_code == 200 and f'<html lang="{lang}">' in r.text
    assert f'<h1 class="h-l">{title}</h1>' in r.text
    assert f'<button class="button" type="submit">{button}</button>' in r.text


async def _fill_privilege_window(url: str, cid: int, day: dt.date) -> None:
    """At the booking-only centre a "both" service is for privileged people only, at its
    one privilege window: two pensioners fill a half-hour day."""
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        async with unit_of_work(sm) as s:
            await network.set_exception(s, cid, day, "09:00", "09:30", "", ADMIN, Channel.API)
        for hh, mm in ((9, 0), (9, 15)):
            async with unit_of_work(sm) as s:
                await booking.book(s, BookingRequest(
                    random_iin(), BIRTH, cid, local(day, hh, mm), Channel.WEB,
                    Privilege.PENSIONER), WEB_IIN_KEY.encode(), CITIZEN)
    finally:
        await engine.dispose()



def test_a_privileged_person_waits_for_the_privilege_window(
        seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    cid = centres["booking-only"]
    day = next_weekday(days_ahead=2)
    run_async(_fill_privilege_window, url, cid, day)
    with TestClient(create_app(web_settings(url))) as client:
        site = Site(client, centres)
        base = f"/book/{BIRTH}/{cid}"
        chosen = client.get(base, params={"day": day.isoformat(), "privilege": "pensioner"})
        link = re.search(r'<a class="button button-link" href="([^"]+)">', chosen.text)
        assert link, chosen.text
        path = link.group(1).replace("&amp;", "&")
        assert path == f"{base}/waitlist?day={day.isoformat()}&privilege=pensioner"
        # Without the answer to the privilege question, the join page asks it first.
        unasked = client.get(f"{base}/waitlist", params={"day": day.isoformat()},
                             follow_redirects=False)
        assert unasked.status_code == 303 and unasked.headers["location"] == base
        form = client.get(path)
        assert form.status_code == 200 and "Пенсионер" in form.text
        assert '<input type="hidden" name="privilege" value="pensioner">' in form.text
        assert 'type="radio"' not in form.text  # already answered on the booking page
        r = client.post(f"{base}/waitlist", follow_redirects=False, data={
            "csrf": site.csrf(form.text), "day": day.isoformat(), "iin": IIN,
            "privilege": "pensioner"})
        assert r.status_code == 303, r.text
        joined = client.get(r.headers["location"])
        assert "Пенсионер" in joined.text and PLACE.search(joined.text)
    with sqlite3.connect(url.split(":///", 1)[1]) as db:
        assert db.execute("SELECT privilege, status FROM waitlist_entries").fetchall() == [
            ("pensioner", "waiting")]


def test_accepting_needs_a_live_proof_not_only_the_sealed_iin(
        site: Site, full_day: FullDay) -> None:
    import time

    from kezek.app import catalog
    from tests.web.test_identity_browser import _otp

    first, _ = joined_code(site, full_day, IIN)
    iin, code = full_day.booked[0]
    run_async(_free_and_offer, full_day.url, full_day.center, full_day.day, iin, code,
              utcnow())
    page = show(site, first, IIN)
    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    # The network now asks for codes, and this session holds no proof (as when the
    # proof expired while the page stayed open): the sealed IIN alone accepts nothing.
    run_async(_otp, full_day.url)
    time.sleep(catalog.RECHECK_SECONDS + 0.1)  # the app's snapshot notices the change
    r = site.client.post(f"/waitlist/{first}/accept",
                         data={"csrf": site.csrf(page.text), "iin_token": token})
    assert r.status_code == 200 and 'name="phone"' in r.text, r.text
    assert "accepted" not in statuses(full_day.url)
    left = site.client.post(f"/waitlist/{first}/leave",
                            data={"csrf": site.csrf(page.text), "iin_token": token})
    assert 'name="phone"' in left.text and "left" not in statuses(full_day.url)


@pytest.fixture
def ruled_site(full_day: FullDay, seeded_url: tuple[str, dict[str, int]]) -> Iterator[Site]:
    """The site with the no-show rule stored before the app first reads the catalog."""
    url, centres = seeded_url
    run_async(set_rule, url)
    settings = web_settings(url).model_copy(update={"waitlist_hold_minutes": HOLD})
    with TestClient(create_app(settings)) as client:
        yield Site(client, centres)


@pytest.mark.parametrize(("lang", "words"), [
    ("kk", "тоқтатылды"), ("ru", "приостановлена"), ("en", "suspended")])
def test_a_person_suspended_after_the_offer_is_told_why_on_accept(
        ruled_site: Site, full_day: FullDay, lang: str, words: str) -> None:
    """Offered a seat, then suspended by missed visits: the accept form answers 403 with
    the reason and the end date in the person's language, and the seat stays held for
    the sweep to pass on (nothing is booked)."""
    site = ruled_site
    first, _ = joined_code(site, full_day, IIN)
    iin, code = full_day.booked[0]
    assert run_async(_free_and_offer, full_day.url, full_day.center, full_day.day, iin,
                     code, utcnow()) != []
    page = show(site, first, IIN)
    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    starts = run_async(miss_visits, full_day.url, IIN, site.centers["mixed"],
                       WEB_IIN_KEY.encode(), [45, 30, 15])
    refused = site.client.post(f"/waitlist/{first}/accept?lang={lang}", data={
        "csrf": site.csrf(page.text), "iin_token": token}, follow_redirects=False)
    assert refused.status_code == 403, refused.text
    assert 'class="error-summary"' in refused.text and f'<html lang="{lang}">' in refused.text
    assert words in refused.text and until_text(max(starts)) in refused.text
    assert IIN not in refused.text
    assert statuses(full_day.url) == ["offered"]


def test_the_joined_page_says_night_offers_wait_for_the_morning(
        site: Site, full_day: FullDay, seeded_url: tuple[str, dict[str, int]]) -> None:
    _, page = joined_code(site, full_day, IIN)
    assert "Ночью" not in page  # no quiet hours set: no sentence about them
    url, centres = seeded_url
    settings = web_settings(url).model_copy(update={"quiet_hours": "22:00-08:00"})
    with TestClient(create_app(settings)) as client:
        _, page = joined_code(Site(client, centres), full_day, OTHER_IIN)
    assert "Ночью (22:00-08:00) мы не пишем" in page and "сообщим в 08:00" in page
