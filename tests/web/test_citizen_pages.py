"""The citizen pages through plain HTTP forms, as a browser without JavaScript uses them."""

from __future__ import annotations

import base64
import re
import sqlite3
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.web.conftest import IIN, Site, outside_iin_field

OTHER_IIN = "850715400129"
BAD_CHECK_DIGIT = "900101300019"
START = re.compile(r'name="start" value="([^"]+)"')
DAY_LINK = re.compile(r'<a class="day[^"]*" href="([^"]+)"')
CODE = re.compile(r'<p class="code">([A-Z0-9]{4}-[A-Z0-9]{4})</p>')
TOKEN = re.compile(r'name="iin_token" value="([^"]+)"')


def count_bookings(site: Site, status: str | None = None) -> int:
    path = str(site.client.app.state.settings.database_url).split(":///", 1)[1]  # type: ignore[attr-defined]
    with sqlite3.connect(path) as db:
        sql, args = "SELECT COUNT(*) FROM bookings", ()
        if status:
            sql, args = sql + " WHERE status = ?", (status,)
        return int(db.execute(sql, args).fetchone()[0])


def first_time(site: Site, service: str = "01010001", centre: str = "mixed",
               **params: str) -> str:
    r = site.client.get(f"/book/{service}/{site.centers[centre]}?{urlencode(params)}")
    assert r.status_code == 200, r.text
    found = START.search(r.text)
    assert found, "no free time offered"
    return found.group(1)


def confirm_page(site: Site, start: str, service: str = "01010001", centre: str = "mixed",
                 privilege: str = "none") -> tuple[str, str]:
    """Opens the IIN page for a time; returns its path and the form's CSRF token."""
    path = f"/book/{service}/{site.centers[centre]}/confirm"
    r = site.client.get(path, params={"start": start, "privilege": privilege})
    assert r.status_code == 200, r.text
    assert 'inputmode="numeric"' in r.text and 'autocomplete="off"' in r.text
    return path, site.csrf(r.text)


def post_iin(site: Site, path: str, start: str, iin: str, csrf: str | None,
             privilege: str = "none") -> httpx.Response:
    data = {"start": start, "privilege": privilege, "iin": iin}
    if csrf is not None:
        data["csrf"] = csrf
    return site.client.post(path, data=data, follow_redirects=False)


def book(site: Site, iin: str = IIN, **kw: Any) -> tuple[str, list[httpx.Response]]:
    """Books the first free time through the forms; returns the code and every response."""
    start = first_time(site)
    path, csrf = confirm_page(site, start)
    posted = post_iin(site, path, start, iin, csrf)
    assert posted.status_code == 303, posted.text
    done = site.client.get(posted.headers["location"])
    assert done.status_code == 200, done.text
    found = CODE.search(done.text)
    assert found, done.text
    return found.group(1), [posted, done]


def test_search_finds_a_service_in_kazakh_russian_and_english(site: Site) -> None:
    for q in ("Жеке куәлік", "жеке куалик", "ЖЕКЕ КУӘЛІК", "удостоверения личности", "личност",
              "Identity card"):
        r = site.client.get("/services", params={"q": q})
        assert r.status_code == 200, q
        assert 'href="/services/01010001"' in r.text, q
        assert 'href="/services/04010001"' not in r.text, q
    # "анықтама" typed on a Russian keyboard, without қ.
    r = site.client.get("/services", params={"q": "мекенжай аныктамасы"})
    assert 'href="/services/02010001"' in r.text
    assert 'href="/services/01010001"' not in r.text
    r = site.client.get("/services", params={"q": "тиркеу"})
    assert {"03010001", "04010001", "05010001"} <= set(re.findall(r"/services/(\d{8})", r.text))
    r = site.client.get("/services", params={"q": "no such thing"})
    assert "/services/0" not in r.text and "Услуги не найдены" in r.text


def test_empty_search_shows_an_error_summary_linking_to_the_box(site: Site) -> None:
    r = site.client.get("/services", params={"q": "  "})
    assert r.status_code == 422
    assert 'class="error-summary"' in r.text and 'href="#q"' in r.text


def test_start_page_has_search_language_links_and_accessibility_basics(site: Site) -> None:
    r = site.client.get("/", headers={"Accept-Language": "kk-KZ,kk;q=0.9"})
    assert r.status_code == 200
    assert '<html lang="kk">' in r.text
    assert 'href="#main"' in r.text and 'id="main"' in r.text
    assert 'action="/services" method="get"' in r.text and '<label class="label label-l" for="q">' \
        in r.text
    for name in ("Қазақша", "Русский", "English"):
        assert name in r.text
    assert 'href="/?lang=ru"' in r.text and 'href="/?lang=en"' in r.text
    assert "Қызметті іздеу" in r.text
    english = site.client.get("/?lang=en")
    assert '<html lang="en">' in english.text and "Find a service" in english.text
    assert english.cookies.get("kezek_lang") == "en"
    # The choice is remembered over the browser's language.
    again = site.client.get("/", headers={"Accept-Language": "ru"})
    assert '<html lang="en">' in again.text
    assert site.client.get("/static/kezek.css").status_code == 200


def test_online_only_service_points_to_the_portal_and_self_service(site: Site) -> None:
    r = site.client.get("/services/02010001")
    assert r.status_code == 200
    assert 'href="https://egov.kz"' in r.text
    assert "только на портале" in r.text
    assert "Отдел занятости" in r.text and "ул. Абая, 1" in r.text
    assert 'method="post"' not in r.text
    # The only booking links lead privileged people to a centre with a privilege window
    # (test_privilege_path_pages.py); the mixed centre has none.
    assert re.findall(r'href="(/book/[^"]+)"', r.text) == [
        f"/book/02010001/{site.centers['booking-only']}"]
    paper = site.client.get("/services/01010001")
    assert f'href="/book/01010001/{site.centers["mixed"]}"' in paper.text
    assert "Отдел занятости" not in paper.text


def test_centres_are_filtered_by_kind_and_city(site: Site) -> None:
    vehicle = site.client.get("/services/04010001").text
    assert f'/book/04010001/{site.centers["vehicle"]}"' in vehicle
    assert f'/book/04010001/{site.centers["mixed"]}"' not in vehicle
    general = site.client.get("/services/05010001").text
    assert f'/book/05010001/{site.centers["vehicle"]}"' not in general
    assert f'/book/05010001/{site.centers["mixed"]}"' in general
    r = site.client.get("/services/05010001", params={"city": "testcity"})
    assert f'/book/05010001/{site.centers["mixed"]}"' in r.text
    missing = site.client.get("/services/99999999")
    assert missing.status_code == 404 and "Страница не найдена" in missing.text
    for path in ("/book/01010001/abc", "/book/01010001/9999", "/book/99999999/1"):
        r = site.client.get(path)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), path


def test_both_service_at_a_booking_only_centre_asks_the_privilege_question(site: Site) -> None:
    r = site.client.get("/services/03010001")
    assert 'href="https://egov.kz"' in r.text and "/book/03010001/" in r.text
    path = f"/book/03010001/{site.centers['booking-only']}"
    question = site.client.get(path)
    assert question.status_code == 200
    assert 'value="pensioner"' in question.text and 'name="start"' not in question.text
    unanswered = site.client.get(path, params={"asked": "1"})
    assert unanswered.status_code == 422 and 'class="error-summary"' in unanswered.text
    online = site.client.get(path, params={"asked": "1", "privilege": "none"})
    assert 'href="https://egov.kz"' in online.text and 'name="start"' not in online.text
    times = site.client.get(path, params={"asked": "1", "privilege": "pensioner"})
    assert 'name="start"' in times.text
    assert '<input type="hidden" name="privilege" value="pensioner">' in times.text
    start = START.search(times.text).group(1)  # type: ignore[union-attr]
    page, csrf = confirm_page(site, start, "03010001", "booking-only", "pensioner")
    posted = post_iin(site, page, start, IIN, csrf, "pensioner")
    assert posted.status_code == 303, posted.text


def test_full_booking_through_the_forms(site: Site) -> None:
    service = site.client.get("/services/01010001").text
    book_path = f"/book/01010001/{site.centers['mixed']}"
    assert book_path in service
    days_page = site.client.get(book_path).text
    days = DAY_LINK.findall(days_page)
    assert 2 <= len(days) <= 10
    assert 'aria-current="date"' in days_page
    second_day = site.client.get(days[1].replace("&amp;", "&")).text
    start = START.search(second_day).group(1)  # type: ignore[union-attr]
    assert start[:10] == re.search(r"day=([\d-]{10})", days[1]).group(1)  # type: ignore[union-attr]
    no_time = site.client.get(f"{book_path}/confirm")
    assert no_time.status_code == 422 and 'href="#times"' in no_time.text
    path, csrf = confirm_page(site, start)
    posted = post_iin(site, path, start, IIN, csrf)
    assert posted.status_code == 303
    assert re.fullmatch(r"/bookings/[A-Z0-9]{8}/done", posted.headers["location"])
    done = site.client.get(posted.headers["location"])
    assert CODE.search(done.text)
    assert "ЦОН 2" in done.text and start[11:16] in done.text
    assert "Что взять с собой" in done.text and "90********17" in done.text
    assert count_bookings(site, "active") == 1
    # The code page is for the browser that booked; others find bookings by code and IIN.
    site.client.cookies.clear()
    assert site.client.get(posted.headers["location"]).status_code == 404


def test_invalid_iin_shows_the_reason_in_russian_then_kazakh_and_books_nothing(
        site: Site) -> None:
    start = first_time(site)
    path, csrf = confirm_page(site, start)
    r = post_iin(site, path, start, BAD_CHECK_DIGIT, csrf)
    assert r.status_code == 422
    assert 'class="error-summary"' in r.text and 'href="#iin"' in r.text
    assert "Неверный ИИН: контрольная цифра не совпадает" in r.text
    assert 'aria-invalid="true"' in r.text
    kk = site.client.get(path, params={"start": start, "lang": "kk"})
    assert '<html lang="kk">' in kk.text
    r = post_iin(site, path, start, BAD_CHECK_DIGIT, site.csrf(kk.text))
    assert r.status_code == 422
    assert "ЖСН қате: бақылау саны сәйкес емес" in r.text and '<html lang="kk">' in r.text
    short = post_iin(site, path, start, "12345", site.csrf(kk.text))
    assert "12 сан болуы керек" in short.text
    assert count_bookings(site) == 0


def test_refusals_are_shown_on_the_page_with_the_api_status(site: Site) -> None:
    book(site)
    start = first_time(site)
    path, csrf = confirm_page(site, start)
    again = post_iin(site, path, start, IIN, csrf)
    assert again.status_code == 409
    assert "У вас уже есть активная запись на эту услугу" in again.text
    assert 'href="/bookings/mine"' in again.text
    past = "2020-01-06T10:00:00+05:00"
    r = post_iin(site, path, past, OTHER_IIN, csrf)
    assert r.status_code == 422 and "вне расписания" in r.text
    assert count_bookings(site) == 1


def test_posts_without_a_matching_csrf_token_are_refused(site: Site) -> None:
    start = first_time(site)
    path, csrf = confirm_page(site, start)
    assert post_iin(site, path, start, IIN, None).status_code == 403
    assert post_iin(site, path, start, IIN, "x" * len(csrf)).status_code == 403
    assert count_bookings(site) == 0
    code, _ = book(site)
    r = site.client.post("/bookings/cancel", data={"code": code, "iin": IIN},
                         follow_redirects=False)
    assert r.status_code == 403 and "Форма устарела" in r.text
    assert site.client.post("/bookings/find", data={"code": code, "iin": IIN}).status_code == 403
    assert count_bookings(site, "active") == 1


def test_find_then_cancel_and_a_wrong_iin_finds_nothing(site: Site) -> None:
    code, _ = book(site)
    form = site.client.get("/bookings/find")
    csrf = site.csrf(form.text)
    wrong = site.client.post("/bookings/find", data={"code": code, "iin": OTHER_IIN,
                                                     "csrf": csrf})
    assert wrong.status_code == 404 and "Не найдено" in wrong.text
    assert 'class="error-summary"' in wrong.text
    found = site.client.post("/bookings/find", data={"code": code.lower(), "iin": IIN,
                                                     "csrf": csrf})
    assert found.status_code == 200 and code in found.text and "Активна" in found.text
    token = TOKEN.search(found.text).group(1)  # type: ignore[union-attr]
    # A sealed IIN from this page is bound to this browser's CSRF cookie.
    assert site.client.post("/bookings/cancel", data={
        "code": code, "iin_token": token[:-2] + "AA", "csrf": csrf},
        follow_redirects=False).status_code == 422
    r = site.client.post("/bookings/cancel", data={"code": code, "iin_token": token,
                                                   "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    done = site.client.get(r.headers["location"])
    assert "Запись отменена" in done.text and code in done.text
    assert count_bookings(site, "cancelled") == 1
    after = site.client.post("/bookings/find", data={"code": code, "iin": IIN, "csrf": csrf})
    assert "Отменена" in after.text and 'action="/bookings/cancel"' not in after.text


def test_my_bookings_lists_the_active_ones(site: Site) -> None:
    code, _ = book(site)
    csrf = site.csrf(site.client.get("/bookings/mine").text)
    r = site.client.post("/bookings/mine", data={"iin": IIN, "csrf": csrf})
    assert r.status_code == 200 and code in r.text and "90********17" in r.text
    none = site.client.post("/bookings/mine", data={"iin": OTHER_IIN, "csrf": csrf})
    assert "У вас нет активных записей" in none.text and code not in none.text
    bad = site.client.post("/bookings/mine", data={"iin": "abc", "csrf": csrf})
    assert bad.status_code == 422 and "только цифры" in bad.text


def test_the_iin_never_appears_in_clear_after_submit(site: Site) -> None:
    seen: list[httpx.Response] = []
    code, responses = book(site)
    seen += responses
    start = first_time(site)
    path, csrf = confirm_page(site, start)
    seen.append(post_iin(site, path, start, IIN, csrf))  # refused: already booked
    seen.append(post_iin(site, path, start, IIN[:-1] + "9", csrf))  # invalid
    seen.append(site.client.post("/bookings/find", data={"code": code, "iin": IIN,
                                                         "csrf": csrf}))
    seen.append(site.client.post("/bookings/mine", data={"iin": IIN, "csrf": csrf}))
    token = TOKEN.search(seen[-1].text).group(1)  # type: ignore[union-attr]
    cancel = site.client.post("/bookings/cancel", data={"code": code, "iin_token": token,
                                                        "csrf": csrf}, follow_redirects=False)
    seen += [cancel, site.client.get(cancel.headers["location"])]
    assert any("90********17" in r.text for r in seen)
    for r in seen:
        # issue 13: a POST answer may give the IIN back in its own field, never elsewhere
        if 'name="iin"' in r.text and r.request.method == "POST":
            assert r.headers["cache-control"] == "no-store"
        text = outside_iin_field(r.text)
        assert IIN not in text, r.request.url
        assert IIN[:-1] not in text, r.request.url
        assert IIN not in r.headers.get("location", "")
        assert IIN not in str(r.url)
    for value in site.client.cookies.values():
        head = value.split(".")[0]
        decoded = base64.b64decode(head + "=" * (-len(head) % 4), altchars=b"-_")
        assert IIN.encode() not in decoded and IIN not in value


def earliest_at(page: str, centre_id: int) -> str:
    """The earliest-free note of one centre's entry on the service page."""
    entry = re.search(rf'href="/book/[0-9]+/{centre_id}">.*?</li>', page, re.S)
    assert entry, f"centre {centre_id} is not listed"
    note = re.search(r'<span class="place-note">([^<]*)</span>', entry.group(0))
    assert note, f"centre {centre_id} has no earliest-free note"
    return note.group(1)


def test_the_service_page_shows_each_centres_earliest_free_time(site: Site) -> None:
    """The earliest time follows the bookings: a filled slot moves it to the next one."""
    from tests.conftest import random_iin

    mixed = site.centers["mixed"]
    first = first_time(site)
    page = site.client.get("/services/01010001", params={"lang": "en"}).text
    assert earliest_at(page, mixed).startswith("Earliest free time: ")
    assert earliest_at(page, mixed).endswith(first[11:16])  # HH:MM of the first start
    assert earliest_at(page, site.centers["booking-only"]).startswith("Earliest free time")
    for _ in range(3):  # the identity service has three windows at the mixed centre
        book(site, random_iin())
    later = first_time(site)
    assert later > first
    page = site.client.get("/services/01010001", params={"lang": "ru"}).text
    assert earliest_at(page, mixed).startswith("Ближайшее свободное время: ")
    assert earliest_at(page, mixed).endswith(later[11:16])


OTHER_CITY = {
    "cities": [{"slug": "othercity", "region": "KZ-11", "kind": "city",
                "names": {"kk": "Басқа", "ru": "Другой", "en": "Other"}}],
    "centers": [{"slug": "other", "names": {"kk": "ХҚО 3", "ru": "ЦОН 3", "en": "PSC 3"},
                 "city": "othercity", "kind": "general", "format": "mixed",
                 "schedule": {d: ["09:00", "18:00"] for d in ("mon", "tue", "wed", "thu",
                                                              "fri")},
                 "windows": [{"number": 1, "scope": "all"}]}],
}


async def _add_other_city(url: str) -> int:
    from sqlalchemy import select

    from kezek.app.actor import SYSTEM, Channel
    from kezek.app.network_io import import_network
    from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
    from kezek.store.models import CenterRow

    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await import_network(s, OTHER_CITY, SYSTEM, Channel.CLI)
            return int(await s.scalar(select(CenterRow.id).where(CenterRow.slug == "other")))
    finally:
        await engine.dispose()


def test_the_city_chosen_is_remembered_for_the_next_service(site: Site) -> None:
    from tests.web.conftest import run_async

    url = str(site.client.app.state.settings.database_url)  # type: ignore[attr-defined]
    other = run_async(_add_other_city, url)
    mixed = site.centers["mixed"]
    everywhere = site.client.get("/services/05010001").text
    assert f"/book/05010001/{other}\"" in everywhere and f"/book/05010001/{mixed}\"" in everywhere
    chosen = site.client.get("/services/05010001", params={"city": "othercity"})
    assert chosen.cookies.get("kezek_city") == "othercity"
    again = site.client.get("/services/01010001").text  # no city asked: the remembered one
    assert 'value="othercity" selected' in again
    assert f"/book/01010001/{other}\"" in again and f"/book/01010001/{mixed}\"" not in again
    site.client.get("/services/01010001", params={"city": "nowhere"})  # not a city: kept
    assert site.client.cookies.get("kezek_city") == "othercity"
    everywhere = site.client.get("/services/01010001", params={"city": ""}).text  # "all"
    assert site.client.cookies.get("kezek_city") is None
    assert f"/book/01010001/{mixed}\"" in everywhere


FAR_POINT = {
    "cities": [{"slug": "almaty", "region": "KZ-75", "names": {"ru": "Алматы"}},
               {"slug": "kokshetau", "region": "KZ-11", "names": {"ru": "Кокшетау"}}],
    "centers": [{"slug": "almaty-x", "names": {"ru": "ЦОН Алматы"}, "city": "almaty",
                 "kind": "general", "format": "mixed", "lat": 43.238, "lon": 76.945,
                 "windows": [{"number": 1}]}],
    "self_service_points": [{"slug": "kok-ssp", "city": "kokshetau",
                             "names": {"ru": "Палата предпринимателей"},
                             "lat": 53.2841, "lon": 69.3952}],
}


async def _import(url: str, doc: dict[str, object]) -> None:
    from kezek.app.actor import SYSTEM, Channel
    from kezek.app.network_io import import_network
    from kezek.store.db import make_engine, make_sessionmaker, unit_of_work

    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await import_network(s, doc, SYSTEM, Channel.CLI)
    finally:
        await engine.dispose()


def test_a_point_in_another_city_is_shown_with_its_distance(site: Site) -> None:
    from tests.web.conftest import run_async

    run_async(_import, str(site.client.app.state.settings.database_url),  # type: ignore[attr-defined]
              FAR_POINT)
    page = site.client.get("/services/02010001", params={"city": "almaty", "lang": "ru"}).text
    assert "В вашем городе точек самообслуживания нет; ближайшая в 1\u00a0" in page
    assert "Палата предпринимателей" in page and "км" in page
    # Without a city the list is as before, without distances.
    plain = site.client.get("/services/02010001", params={"city": "", "lang": "ru"}).text
    assert "ближайшая в" not in plain and "Палата предпринимателей" in plain
