"""Fair release over HTTP (ADR 13): a day not open yet answers 409 `not_released` with
when it opens, in the requester's language, on slots, bookings and the waitlist; the
ballot is a personal action (proof of identity), and the first booking after its window
draws it. Kezek's clock is pinned to a working-day morning (tests.conftest.MORNING), so
the release time set relative to it fits in the day at any hour the tests run."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kezek import clock
from tests.api.conftest import Api, assert_error
from tests.conftest import random_iin

pytestmark = pytest.mark.usefixtures("pinned_clock")
TZ = ZoneInfo("Asia/Almaty")  # the test centres' zone
VEHICLE = "04010001"


def local_now() -> dt.datetime:
    """Now in the centres' zone, by Kezek's (pinned) clock."""
    return clock.now().astimezone(TZ)


def newest(api: Api) -> dt.date:
    r = api.client.get(f"/api/v1/centers/{api.centers['vehicle']}")
    return local_now().date() + dt.timedelta(days=r.json()["horizon_days"])


def put_policy(api: Api, **values: object) -> None:
    r = api.client.put("/api/v1/policy", json=values, headers=api.auth())
    assert r.status_code == 200, r.text


def first_start(api: Api, day: dt.date) -> str:
    """A slot start of the vehicle centre that day (weekend hours differ)."""
    hh = 10 if day.weekday() < 6 else 11
    return dt.datetime.combine(day, dt.time(hh, 0), TZ).isoformat()


def test_a_day_not_released_answers_when_it_opens(api: Api) -> None:
    assert local_now().time() < dt.time(23, 59)  # the release time is still ahead today
    put_policy(api, release_time="23:59")
    cid, day = api.centers["vehicle"], newest(api)
    slots = api.client.get(f"/api/v1/centers/{cid}/slots", params={
        "service": VEHICLE, "from": day.isoformat(), "days": 1},
        headers={"Accept-Language": "kk"})
    text = assert_error(slots, 409, "not_released")
    assert "23:59" in text and "ашылады" in text
    iin = random_iin()
    refused = api.book(iin, first_start(api, day), center="vehicle", service=VEHICLE,
                       headers={"Accept-Language": "ru"})
    assert "23:59" in assert_error(refused, 409, "not_released")
    joined = api.client.post("/api/v1/waitlist", json={
        "iin": iin, "service": VEHICLE, "center": cid, "day": day.isoformat()},
        headers={**api.person(iin), "Accept-Language": "en"})
    assert "opens at" in assert_error(joined, 409, "not_released")
    centre = api.client.get(f"/api/v1/centers/{cid}").json()
    assert centre["release_time"] == "23:59" and centre["ballot_minutes"] == 0
    assert centre["next_opening"].startswith(local_now().date().isoformat() + "T23:59")
    earlier = api.client.get(f"/api/v1/centers/{cid}/slots", params={
        "service": VEHICLE, "from": (day - dt.timedelta(days=7)).isoformat(), "days": 8})
    assert earlier.status_code == 200
    assert all(not s["start"].startswith(day.isoformat()) for s in earlier.json())


def test_the_ballot_over_http_then_the_lazy_draw(api: Api) -> None:
    now = local_now()
    opened = (now - dt.timedelta(minutes=5)).strftime("%H:%M")
    put_policy(api, release_time=opened, ballot_minutes=60)
    cid, day = api.centers["vehicle"], newest(api)
    start = first_start(api, day)
    iin = random_iin()
    body = {"iin": iin, "center": cid, "day": day.isoformat(), "service": VEHICLE,
            "choices": [start]}
    assert_error(api.client.post("/api/v1/ballot", json=body), 401, "identity_required")
    entered = api.client.post("/api/v1/ballot", json=body, headers=api.person(iin))
    assert entered.status_code == 201, entered.text
    entry = entered.json()
    assert entry["status"] == "entered" and entry["choices"] == [start]
    assert entry["iin_masked"] != iin and iin not in entered.text
    again = api.client.post("/api/v1/ballot", json=body, headers=api.person(iin, "kk"))
    assert_error(again, 409, "ballot_already")
    four = {**body, "iin": random_iin(), "choices": [start] * 4}
    assert_error(api.client.post("/api/v1/ballot", json=four), 422, "validation_error")
    assert_error(api.book(random_iin(), start, center="vehicle", service=VEHICLE), 409,
                 "ballot_open")
    mine = api.client.get("/api/v1/ballot", params={"center": cid, "day": day.isoformat()},
                          headers=api.person(iin))
    assert mine.status_code == 200 and mine.json()["code"] == entry["code"]
    assert_error(api.client.get("/api/v1/ballot", params={
        "center": cid, "day": day.isoformat()}), 401, "unauthorized")
    # The window closes (a shorter ballot): the next booking of the day draws it.
    put_policy(api, release_time=opened, ballot_minutes=1)
    other = dt.datetime.fromisoformat(start) + dt.timedelta(minutes=15)
    booked = api.book(random_iin(), other.isoformat(), center="vehicle", service=VEHICLE)
    assert booked.status_code == 201, booked.text
    seen = api.client.post(f"/api/v1/ballot/{entry['code']}", json={"iin": iin},
                           headers=api.person(iin))
    result = seen.json()
    assert result["status"] == "won" and result["won_choice"] == 0
    assert result["booking"]["start"] == start
    taken = api.book(random_iin(), start, center="vehicle", service=VEHICLE)
    assert_error(taken, 409, "slot_full")
