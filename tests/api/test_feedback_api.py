"""Visit feedback end to end over HTTP on SQLite and PostgreSQL: visits served through
the floor API, rated on the feedback page, counted by GET /api/v1/feedback/stats per
centre, service and window; a manager sees only their centres, door staff nothing."""

from __future__ import annotations

import re

from kezek.app.feedback import token_for
from tests.api.conftest import API_SECRET, Api, assert_error
from tests.conftest import random_iin

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _served(api: Api, staff: str, center: str, service: str, window: int) -> int:
    cid = api.centers[center]
    r = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(staff),
                        json={"iin": random_iin(), "service": service})
    assert r.status_code == 201, r.text
    called = api.client.post(f"/api/v1/windows/{window}/call-next", headers=api.auth(staff))
    tid = called.json()["ticket"]["id"]
    assert api.client.post(f"/api/v1/tickets/{tid}/start", headers=api.auth(staff)
                           ).status_code == 200
    assert api.client.post(f"/api/v1/tickets/{tid}/finish", headers=api.auth(staff)
                           ).json()["status"] == "done"
    return int(tid)


def _rate(api: Api, ticket: int, rating: int, comment: str = "") -> int:
    link = f"/feedback/{token_for(ticket, API_SECRET)}"
    page = api.client.get(link)
    assert page.status_code == 200
    # A rated visit's page has no form: the browser's token is on any other form.
    csrf = CSRF.search(page.text) or CSRF.search(api.client.get("/bookings/find").text)
    assert csrf
    r = api.client.post(link, data={"rating": str(rating), "comment": comment,
                                    "csrf": csrf.group(1)})
    return r.status_code


def _windows(api: Api, center: str) -> dict[int, int]:
    r = api.client.get(f"/api/v1/centers/{api.centers[center]}/windows")
    return {w["number"]: w["id"] for w in r.json()}


def test_feedback_is_counted_per_centre_service_and_window(api: Api) -> None:
    mixed, vehicle = api.centers["mixed"], api.centers["vehicle"]
    w, wv = _windows(api, "mixed"), _windows(api, "vehicle")
    manager = api.add_user("fb.mgr", "manager", [mixed, vehicle])
    visits = [(_served(api, manager, "mixed", "01010001", w[1]), 5),
              (_served(api, manager, "mixed", "03010001", w[1]), 4),
              (_served(api, manager, "mixed", "01010001", w[2]), 2),
              (_served(api, manager, "vehicle", "04010001", wv[1]), 3)]
    for ticket, rating in visits:
        assert _rate(api, ticket, rating) == 200
    assert _rate(api, visits[0][0], 1) == 409  # one answer per visit

    analyst = api.add_user("fb.an", "analyst")
    r = api.client.get("/api/v1/feedback/stats", headers=api.auth(analyst))
    assert r.status_code == 200, r.text
    assert r.json() == [
        {"center": mixed, "service": None, "window": None, "answers": 3, "mean": 3.67,
         "satisfied": 0.667},
        {"center": vehicle, "service": None, "window": None, "answers": 1, "mean": 3.0,
         "satisfied": 0.0}]
    by_service = api.client.get(f"/api/v1/feedback/stats?by=service&center={mixed}",
                                headers=api.auth(analyst)).json()
    assert [(x["service"], x["answers"], x["mean"]) for x in by_service] == [
        ("01010001", 2, 3.5), ("03010001", 1, 4.0)]
    by_window = api.client.get(f"/api/v1/feedback/stats?by=window&center={mixed}",
                               headers=api.auth(manager)).json()
    assert [(x["window"], x["answers"], x["satisfied"]) for x in by_window] == [
        (w[1], 2, 1.0), (w[2], 1, 0.0)]

    other = api.add_user("fb.other", "manager", [api.centers["booking-only"]])
    assert api.client.get("/api/v1/feedback/stats", headers=api.auth(other)).json() == []
    assert_error(api.client.get(f"/api/v1/feedback/stats?center={mixed}",
                                headers=api.auth(other, "kk")), 403, "forbidden")
    door = api.add_user("fb.door", "door", [mixed])
    assert_error(api.client.get("/api/v1/feedback/stats", headers=api.auth(door)), 403,
                 "forbidden")
    assert_error(api.client.get("/api/v1/feedback/stats?by=desk", headers=api.auth()), 422,
                 "validation_error")
    later = api.client.get("/api/v1/feedback/stats?from=2999-01-01", headers=api.auth())
    assert later.status_code == 200 and later.json() == []
