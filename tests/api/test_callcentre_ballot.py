"""The ballot from the 1414 console, over HTTP (ADR 13): what the console asks to show a
day in its ballot (`GET /api/v1/ballot/open`), the caller's request entered by an
operator with channel call_centre and the identity check on record, the one-request
rule, and the caller's requests in the lookup. Kezek's clock is pinned to a working-day
morning (tests.conftest.MORNING), and the release time is set a few minutes before it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import Api, assert_error
from tests.api.test_release_api import VEHICLE, first_start, local_now, newest, put_policy
from tests.conftest import random_iin

pytestmark = pytest.mark.usefixtures("pinned_clock")
CHECKED = {"identity_checked": True}


def open_ballot(api: Api) -> str:
    """An hour of ballot from five minutes ago; returns the release time set."""
    now = local_now()
    opened = (now - dt.timedelta(minutes=5)).strftime("%H:%M")
    put_policy(api, release_time=opened, ballot_minutes=60)
    return opened


def test_the_console_enters_and_finds_a_callers_ballot_request(api: Api) -> None:
    cid = api.centers["vehicle"]
    shut = api.client.get("/api/v1/ballot/open", params={"center": cid, "service": VEHICLE})
    assert shut.status_code == 200 and shut.json() == {
        "open": False, "day": None, "draw_at": None, "starts": []}
    opened = open_ballot(api)
    day = newest(api)
    seen = api.client.get("/api/v1/ballot/open", params={"center": cid, "service": VEHICLE})
    assert seen.status_code == 200, seen.text
    found = seen.json()
    assert found["open"] is True and found["day"] == day.isoformat()
    start = first_start(api, day)
    assert start in found["starts"] and all(s.startswith(day.isoformat())
                                            for s in found["starts"])
    closes = dt.datetime.fromisoformat(found["draw_at"])
    assert dt.timedelta(minutes=50) < closes - local_now() <= dt.timedelta(minutes=55)
    assert_error(api.client.get("/api/v1/ballot/open", params={
        "center": cid, "service": "99999999"}), 404, "not_found")
    assert_error(api.client.get("/api/v1/ballot/open", params={
        "center": 999999, "service": VEHICLE}), 404, "not_found")
    assert_error(api.client.get("/api/v1/ballot/open", params={
        "center": "x", "service": VEHICLE}), 422, "validation_error")

    cc = api.add_user("cc.bal", "call_centre")
    iin = random_iin()
    second = found["starts"][3]
    body = {"iin": iin, "center": cid, "day": day.isoformat(), "service": VEHICLE,
            "choices": [second, start], "channel": "call_centre", "lang": "kk"}
    # Not an operator: the call-centre channel is refused, whatever the person proves.
    assert_error(api.client.post("/api/v1/ballot", json={**body, **CHECKED},
                                 headers=api.person(iin)), 401, "unauthorized")
    # An operator who did not record the identity check enters nothing.
    unchecked = api.client.post("/api/v1/ballot", json=body, headers=api.auth(cc, "ru"))
    assert "личност" in assert_error(unchecked, 422, "identity_check_required")
    assert iin not in unchecked.text
    made = api.client.post("/api/v1/ballot", json={**body, **CHECKED},
                           headers=api.auth(cc, "ru"))
    assert made.status_code == 201, made.text
    entry = made.json()
    assert entry["channel"] == "call_centre" and entry["status"] == "entered"
    assert entry["choices"] == [second, start] and entry["draw_at"] == found["draw_at"]
    assert entry["service_name"] == "Регистрация транспортного средства"
    assert iin not in made.text
    again = api.client.post("/api/v1/ballot", json={**body, **CHECKED, "choices": [start]},
                            headers=api.auth(cc, "en"))
    assert "already sent a ballot request" in assert_error(again, 409, "ballot_already")

    looked = api.client.post("/api/v1/callcentre/lookup", json={"iin": iin, **CHECKED},
                             headers=api.auth(cc, "ru"))
    assert looked.status_code == 200, looked.text
    caller = looked.json()
    assert caller["bookings"] == []
    assert [(b["code"], b["status"], b["choices"], b["center"]) for b in caller["ballots"]
            ] == [(entry["code"], "entered", [second, start], cid)]
    other = api.client.post("/api/v1/callcentre/lookup", json={"iin": random_iin(), **CHECKED},
                            headers=api.auth(cc))
    assert other.json()["ballots"] == []

    # The window closes; the next booking of the day draws, and the lookup shows the win.
    put_policy(api, release_time=opened, ballot_minutes=1)
    later = dt.datetime.fromisoformat(start) + dt.timedelta(minutes=30)
    booked = api.book(random_iin(), later.isoformat(), center="vehicle", service=VEHICLE)
    assert booked.status_code == 201, booked.text
    drawn = api.client.post("/api/v1/callcentre/lookup", json={"iin": iin, **CHECKED},
                            headers=api.auth(cc)).json()
    assert drawn["ballots"][0]["status"] == "won" and drawn["ballots"][0]["won_choice"] == 0
    assert drawn["ballots"][0]["booking"]["start"] == second
    assert [b["start"] for b in drawn["bookings"]] == [second]
