"""Kiosk enrolment as the tests do it: door staff sign in and ask for a code on the
centre's kiosk page, the device (the same test client, without the staff session)
redeems it at /kiosk/enrol, and booking a person for tonight to check in."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from kezek import clock
from kezek.app import booking, network
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.app.booking import BookingRequest
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from tests.web.conftest import STAFF_PASSWORD, WEB_IIN_KEY, Site

TZ = ZoneInfo("Asia/Almaty")
CODE = re.compile(r'<strong id="kiosk-code-given" class="code">([A-Z0-9]+)</strong>')


def sign_in(site: Site, username: str) -> None:
    form = site.client.get("/staff/login")
    r = site.client.post("/staff/login", follow_redirects=False, data={
        "username": username, "password": STAFF_PASSWORD, "csrf": site.csrf(form.text)})
    assert r.status_code == 303


def enrolment_code(site: Site, cid: int) -> str:
    """Asks for a code on the staff page (the staff session must be on the client)."""
    page = site.client.get(f"/staff/kiosk/{cid}")
    assert page.status_code == 200, page.text
    r = site.client.post(f"/staff/kiosk/{cid}/enrol", data={"csrf": site.csrf(page.text)})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    found = CODE.search(r.text)
    assert found, r.text
    return found.group(1)


def redeem(site: Site, code: str) -> int:
    page = site.client.get(f"/kiosk/enrol?code={code}")
    r = site.client.post("/kiosk/enrol", follow_redirects=False,
                         data={"csrf": site.csrf(page.text), "code": code})
    return r.status_code


def enrol_device(site: Site, cid: int, staff: str) -> None:
    """Enrols the test client as a kiosk of `cid`, then drops the staff session."""
    sign_in(site, staff)
    code = enrolment_code(site, cid)
    site.client.cookies.delete("kezek_session")
    assert redeem(site, code) == 303
    assert "kezek_kiosk" in site.client.cookies


async def book_tonight(url: str, cid: int, iin: str) -> str:
    """A booking for 23:30 today at a centre opened late for the test."""
    start = dt.datetime.combine(clock.now().astimezone(TZ).date(), dt.time(23, 30), TZ)
    admin = Actor("admin", 1, Role.ADMIN)
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        async with unit_of_work(sm) as s:
            await network.set_exception(s, cid, start.date(), "00:00", "23:59", "", admin,
                                        Channel.API)
            await network.update_center(s, cid, {"latest_booking": "23:59"}, admin,
                                        Channel.API)
        async with unit_of_work(sm) as s:
            row = await booking.book(s, BookingRequest(iin, "01010001", cid, start,
                                                       Channel.WEB), WEB_IIN_KEY.encode(),
                                     CITIZEN)
        return row.code
    finally:
        await engine.dispose()


def enrol_in_browser(page: Any, base_url: str, cid: int, staff: str,
                     shots: str | None = None, lang: str = "ru") -> str:
    """Enrols the page's browser as a kiosk the way staff do: sign in on the centre's
    kiosk page, get a code, sign the screen out (cookies cleared), type the code at
    /kiosk/enrol. Returns the code (used up). With `shots`, both screens are saved
    under /tmp/shots-kiosk/ with that prefix, in `lang`."""
    page.goto(f"{base_url}/staff/kiosk/{cid}")
    page.get_by_label("Логин").fill(staff)
    page.get_by_label("Пароль").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{base_url}/staff/kiosk/{cid}")
    if shots:
        page.goto(f"{base_url}/staff/kiosk/{cid}?lang={lang}")
    page.locator("#kiosk-enrol").click()
    code = str(page.locator("#kiosk-code-given").inner_text()).strip()
    if shots:
        page.screenshot(path=f"/tmp/shots-kiosk/{shots}-staff.png", full_page=True)
    page.context.clear_cookies()
    page.goto(f"{base_url}/kiosk")
    page.wait_for_url(f"{base_url}/kiosk/enrol")
    if shots:
        page.goto(f"{base_url}/kiosk/enrol?lang={lang}")
    page.locator("#enrol-code").fill(code)
    if shots:
        page.screenshot(path=f"/tmp/shots-kiosk/{shots}-enrol.png", full_page=True)
    page.locator("form[action='/kiosk/enrol'] button").click()
    page.wait_for_url(f"{base_url}/kiosk")
    return code
