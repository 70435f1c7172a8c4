"""A booking's QR code and calendar file on its pages (confirmation and booking page):
the QR is inline SVG of the booking code under the pages' CSP; the .ics parses back
with the centre, the service, the local times, the code and a reminder, nothing more."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from icalendar import Calendar

from kezek.api.app import create_app
from kezek.web.render import CSP
from tests.web.conftest import IIN, Site, web_settings
from tests.web.test_citizen_pages import TOKEN, book

SVG = re.compile(r'<svg role="img" aria-label="([^"]+)" viewBox="[^"]+" class="qr-image">'
                 r"<title>([^<]+)</title>")
ICS_LINK = re.compile(r'<a class="calendar-link" href="(/bookings/([A-Z0-9]+)/calendar\.ics)"')
PHONE = re.compile(r"\+?7\d{10}")


def test_the_confirmation_shows_the_qr_as_inline_svg_under_the_csp(site: Site) -> None:
    code, (_, done) = book(site)
    assert done.headers["content-security-policy"] == CSP and "style-src 'self'" in CSP
    found = SVG.search(done.text)
    assert found, "no inline QR code"
    assert found.group(1) == found.group(2) and code in found.group(1)
    svg = done.text[found.start():done.text.index("</svg>", found.start())]
    assert "style=" not in svg and "<script" not in svg and 'stroke="#0b0c0c"' in svg
    assert " style=" not in done.text  # no inline style anywhere the CSP would block
    assert 'class="qr-caption"' in done.text
    kazakh = site.client.get(f"/bookings/{code.replace('-', '')}/done?lang=kk")
    assert "жазылу кодының QR-коды" in SVG.search(kazakh.text).group(1)  # type: ignore[union-attr]


def test_the_booking_page_has_them_and_a_cancelled_booking_does_not(site: Site) -> None:
    code, _ = book(site)
    csrf = site.csrf(site.client.get("/bookings/find").text)
    page = site.client.post("/bookings/find", data={"code": code, "iin": IIN, "csrf": csrf})
    assert SVG.search(page.text) and ICS_LINK.search(page.text)
    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    site.client.post("/bookings/cancel", data={"code": code, "iin_token": token, "csrf": csrf})
    after = site.client.post("/bookings/find", data={"code": code, "iin": IIN, "csrf": csrf})
    assert "Отменена" in after.text and not SVG.search(after.text)
    assert not ICS_LINK.search(after.text)
    assert site.client.get(f"/bookings/{code.replace('-', '')}/calendar.ics").status_code == 404


def _set_address(site: Site, centre: str) -> None:
    path = str(site.client.app.state.settings.database_url).split(":///", 1)[1]  # type: ignore[attr-defined]
    with sqlite3.connect(path) as db:
        db.execute("UPDATE centers SET address_ru = ?, address_kk = ? WHERE id = ?",
                   ("ул. Абая, 10", "Абай көшесі, 10", site.centers[centre]))


def test_the_calendar_file_parses_back_with_the_visit_and_nothing_personal(site: Site) -> None:
    _set_address(site, "mixed")
    code, (_, done) = book(site)
    link = ICS_LINK.search(done.text)
    assert link and link.group(2) == code.replace("-", "")  # the code, nothing personal
    r = site.client.get(link.group(1))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert "attachment" in r.headers["content-disposition"]
    assert r.headers["cache-control"] == "no-store"
    text = r.content.decode()
    assert IIN not in text and "90********17" not in text and not PHONE.search(text)
    cal = Calendar.from_ical(r.content)
    (event,) = cal.walk("VEVENT")
    assert code in str(event["description"]) and code.replace("-", "") in str(event["uid"])
    assert "ЦОН 2" in str(event["summary"]) and "Выдача удостоверения" in str(event["summary"])
    assert str(event["location"]) == "ЦОН 2, ул. Абая, 10"
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start.tzinfo is not None and str(start.tzinfo) == "Asia/Almaty"
    assert event["dtstart"].params["TZID"] == "Asia/Almaty" and end > start
    assert start.strftime("%H:%M") in done.text
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Almaty"]
    (alarm,) = event.walk("VALARM")
    assert alarm["action"] == "DISPLAY" and alarm.decoded("trigger") == -dt.timedelta(hours=2)
    assert start == start.astimezone(ZoneInfo("Asia/Almaty"))
    kazakh = Calendar.from_ical(site.client.get(link.group(1) + "?lang=kk").content)
    (kk_event,) = kazakh.walk("VEVENT")
    assert "Жазылу коды" in str(kk_event["description"])
    assert str(kk_event["location"]).endswith("Абай көшесі, 10")


def test_the_calendar_file_is_only_for_the_browser_that_holds_the_booking(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    code, _ = book(site)
    path = f"/bookings/{code.replace('-', '')}/calendar.ics"
    with TestClient(create_app(web_settings(seeded_url[0]))) as other:
        r = other.get(path)
        assert r.status_code == 404 and "BEGIN:VCALENDAR" not in r.text
        # Proving the booking (code and IIN) opens it for that browser too.
        csrf = re.search(r'name="csrf" value="([^"]+)"',  # type: ignore[union-attr]
                         other.get("/bookings/find").text).group(1)
        other.post("/bookings/find", data={"code": code, "iin": IIN, "csrf": csrf})
        assert other.get(path).status_code == 200


def test_the_calendar_file_uses_the_centres_own_time_zone(site: Site) -> None:
    path = str(site.client.app.state.settings.database_url).split(":///", 1)[1]  # type: ignore[attr-defined]
    with sqlite3.connect(path) as db:
        db.execute("UPDATE centers SET timezone = 'Asia/Oral' WHERE id = ?",
                   (site.centers["mixed"],))
    code, (_, done) = book(site)
    r = site.client.get(f"/bookings/{code.replace('-', '')}/calendar.ics")
    cal = Calendar.from_ical(r.content)
    (event,) = cal.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "Asia/Oral"
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Oral"]
    assert event.decoded("dtstart").strftime("%H:%M") in done.text  # the page's own hour
