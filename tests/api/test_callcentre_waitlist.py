"""The waitlist through the 1414 call centre, on SQLite and PostgreSQL: the operator puts
a caller in line for a full day with the number they give, sees the entry with the
caller's bookings and takes it out of line, under the call centre's identity rule; the
offer reaches the number by SMS. The IIN and the number never come back."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kezek.app import catalog
from kezek.app.identity import notice_phone
from kezek.store.models_jobs import WaitlistEntryRow
from tests.api.conftest import API_IIN_KEY, assert_error, at
from tests.conftest import next_weekday, random_iin
from tests.fake_gateway import Recorder
from tests.jobs.test_api_cli import VEHICLE, _short_day
from tests.jobs.test_sms_notices import Sms, gateway, rows, sms_api

__all__ = ["gateway"]  # the SMS gateway fixture, used by `sms` below

CHECKED = {"identity_checked": True}
PHONE_TYPED, PHONE = "8 (701) 555-01-23", "+77015550123"


@pytest.fixture
def sms(db_url: str, tmp_path: Path, gateway: Recorder) -> Iterator[Sms]:
    with sms_api(db_url, tmp_path / "jobs.db", gateway) as world:
        yield world


def _full_day(sms: Sms) -> tuple[str, list[tuple[str, str]]]:
    """The vehicle centre open 09:00-09:30 on a weekday, both of its times booked by
    people who proved their number (the gateway, not the development sender, sends)."""
    api = sms.api
    day = next_weekday(days_ahead=2)
    asyncio.run(_short_day(api.url, api.centers["vehicle"], day))
    time.sleep(catalog.RECHECK_SECONDS + 0.1)  # the app's snapshot notices the change
    booked = []
    for hh, mm in ((9, 0), (9, 15)):
        iin = random_iin()
        sms.prove(iin)
        r = api.book(iin, at(day, hh, mm), center="vehicle", service=VEHICLE)
        assert r.status_code == 201, r.text
        booked.append((iin, r.json()["code"]))
    return day.isoformat(), booked


def test_the_operator_puts_a_caller_on_the_waitlist(sms: Sms) -> None:
    api, c = sms.api, sms.api.client
    cc = api.add_user("cc.wait", "call_centre")
    door = api.add_user("door.wait", "door", [api.centers["vehicle"]])
    iin = random_iin()
    day = next_weekday(days_ahead=2).isoformat()
    body = {"iin": iin, **CHECKED, "service": VEHICLE, "center": api.centers["vehicle"],
            "day": day, "phone": PHONE_TYPED, "lang": "kk"}

    assert_error(c.post("/api/v1/callcentre/waitlist", json=body), 401, "unauthorized")
    assert_error(c.post("/api/v1/callcentre/waitlist", json=body, headers=api.auth(door)),
                 403, "forbidden")
    unchecked = c.post("/api/v1/callcentre/waitlist", headers=api.auth(cc, "ru"),
                       json={**body, "identity_checked": False})
    assert "личност" in assert_error(unchecked, 422, "identity_check_required")
    free = c.post("/api/v1/callcentre/waitlist", json=body, headers=api.auth(cc, "kk"))
    assert "бос уақыт бар" in assert_error(free, 409, "waitlist_slots_free")
    days = f"/api/v1/callcentre/waitlist/days?center={api.centers['vehicle']}&service={VEHICLE}"
    assert_error(c.get(days, headers=api.auth(door)), 403, "forbidden")
    before = c.get(days, headers=api.auth(cc, "kk"))
    assert before.status_code == 200, before.text
    assert day not in [x["day"] for x in before.json()]

    day, booked = _full_day(sms)
    after = c.get(days, headers=api.auth(cc, "kk")).json()
    (full,) = [x for x in after if x["day"] == day]
    month = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
             "қыркүйек", "қазан", "қараша", "желтоқсан"][int(day[5:7]) - 1]
    assert full["label"].startswith(f"{int(day[8:])} {month}, ")  # Babel's kk, not "M12"
    bad = c.post("/api/v1/callcentre/waitlist", headers=api.auth(cc, "ru"),
                 json={**body, "phone": "12345"})
    assert "номер телефона" in assert_error(bad, 422, "invalid_phone")
    joined = c.post("/api/v1/callcentre/waitlist", json=body, headers=api.auth(cc, "ru"))
    assert joined.status_code == 201, joined.text
    line = joined.json()
    assert line["status"] == "waiting" and line["position"] == 1 and line["day"] == day
    assert line["sms"] is True and line["email"] is False and line["offer"] is None
    assert line["service_name"] and line["center_name"] and line["city"]
    for secret in (iin, PHONE[1:], PHONE[-7:]):
        assert secret not in joined.text
    (entry,) = [r for r in rows(api.url, WaitlistEntryRow)]
    stored = dict(zip(WaitlistEntryRow.__table__.columns.keys(), entry, strict=True))
    assert stored["channel"] == "call_centre" and stored["lang"] == "kk"
    opened = notice_phone.open_for(stored["phone_cipher"], stored["person_id"],
                                   API_IIN_KEY.encode())
    assert opened == PHONE  # sealed, kept for the offer's SMS in its normal form
    again = c.post("/api/v1/callcentre/waitlist", json=body, headers=api.auth(cc, "en"))
    assert "already on the waitlist" in assert_error(again, 409, "waitlist_already")

    seen = c.post("/api/v1/callcentre/lookup", json={"iin": iin, **CHECKED},
                  headers=api.auth(cc))
    assert seen.status_code == 200, seen.text
    assert [w["code"] for w in seen.json()["waitlist"]] == [line["code"]]

    # A seat frees up: it is held for the caller and the number they gave is told.
    left = c.post(f"/api/v1/bookings/{booked[0][1]}/cancel", json={"iin": booked[0][0]},
                  headers=api.person(booked[0][0]))
    assert left.status_code == 200, left.text
    sms.run()
    (to, text), = sms.notices()
    assert to == PHONE and line["code_display"] in text
    offered = c.post("/api/v1/callcentre/lookup", json={"iin": iin, **CHECKED},
                     headers=api.auth(cc, "ru")).json()["waitlist"][0]
    assert offered["status"] == "offered" and offered["offer"]["start"] == at(
        next_weekday(days_ahead=2), 9)


def test_the_operator_takes_a_caller_off_the_waitlist(sms: Sms) -> None:
    api, c = sms.api, sms.api.client
    cc = api.add_user("cc.leave", "call_centre")
    day, _ = _full_day(sms)
    iin = random_iin()
    joined = c.post("/api/v1/callcentre/waitlist", headers=api.auth(cc), json={
        "iin": iin, **CHECKED, "service": VEHICLE, "center": api.centers["vehicle"],
        "day": day})
    assert joined.status_code == 201, joined.text
    code = joined.json()["code"]
    assert joined.json()["sms"] is False  # no number given: none kept
    path = f"/api/v1/callcentre/waitlist/{code}/cancel"
    assert_error(c.post(path, json={"iin": iin}, headers=api.auth(cc)), 422,
                 "identity_check_required")
    stranger = c.post(path, json={"iin": random_iin(), **CHECKED}, headers=api.auth(cc))
    assert_error(stranger, 404, "not_found")
    done = c.post(path, json={"iin": iin, **CHECKED}, headers=api.auth(cc, "kk"))
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "cancelled" and done.json()["position"] is None
    twice = c.post(path, json={"iin": iin, **CHECKED}, headers=api.auth(cc))
    assert_error(twice, 409, "waitlist_no_offer")
    seen = c.post("/api/v1/callcentre/lookup", json={"iin": iin, **CHECKED},
                  headers=api.auth(cc)).json()["waitlist"]
    assert [(w["code"], w["status"]) for w in seen] == [(code, "cancelled")]
    # The caller can wait again for the same day once out of line.
    back = c.post("/api/v1/callcentre/waitlist", headers=api.auth(cc), json={
        "iin": iin, **CHECKED, "service": VEHICLE, "center": api.centers["vehicle"],
        "day": day})
    assert back.status_code == 201, back.text
