"""A booking made on the pages after a code that came by SMS keeps the proven number for
SMS notices (ADR 0020): sealed in the booking's contact, opening only for that person,
and never in clear in the session cookie or the database file."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kezek.api.app import create_app
from kezek.app.identity import notice_phone
from tests import fake_gateway
from tests.fake_gateway import Recorder
from tests.web.conftest import IIN, WEB_IIN_KEY, Site, prepare, run_async, web_settings
from tests.web.test_citizen_pages import CODE
from tests.web.test_identity_pages import PHONE, send_to, start_booking

NUMBER = "+" + re.sub(r"\D", "", PHONE)


@pytest.fixture
def gateway() -> Iterator[Recorder]:
    server = fake_gateway.start({"*": (202, {"id": "m1"})})
    yield server
    fake_gateway.stop(server)


@pytest.fixture
def sms_site(sqlite_url: str, gateway: Recorder) -> Iterator[Site]:
    centers = run_async(prepare, sqlite_url, "otp")
    settings = web_settings(sqlite_url).model_copy(update={"sms_url": gateway.url + "/sms"})
    with TestClient(create_app(settings)) as client:
        yield Site(client, centers)


def test_a_page_booking_keeps_the_number_sealed(sms_site: Site, gateway: Recorder) -> None:
    page = send_to(sms_site, start_booking(sms_site))
    (_, _, message), = gateway.seen
    assert message["to"] == NUMBER
    code = re.search(r"\b(\d{6})\b", message["text"])
    assert code is not None
    r = sms_site.client.post("/identity/code",
                             data={"csrf": sms_site.csrf(page), "otp": code.group(1)},
                             follow_redirects=True)
    assert r.status_code == 200 and CODE.search(r.text), r.text
    cookies = " ".join(str(v) for v in sms_site.client.cookies.values())
    assert NUMBER[1:] not in cookies and NUMBER[-7:] not in cookies
    path = str(sms_site.client.app.state.settings.database_url).split(":///", 1)[1]  # type: ignore[attr-defined]
    with sqlite3.connect(path) as db:
        (person_id, cipher), = db.execute(
            "SELECT b.person_id, c.phone_cipher FROM booking_contacts c "
            "JOIN bookings b ON b.id = c.booking_id").fetchall()
    assert notice_phone.open_for(cipher, person_id, WEB_IIN_KEY.encode()) == NUMBER
    assert notice_phone.open_for(cipher, person_id + 1, WEB_IIN_KEY.encode()) is None
    raw = b""
    for name in (path, path + "-wal"):  # the database files themselves: no number in clear
        if Path(name).exists():
            raw += Path(name).read_bytes()
    assert NUMBER[1:].encode() not in raw and NUMBER[-7:].encode() not in raw
    assert IIN.encode() not in raw
