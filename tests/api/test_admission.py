"""The door's admission API: the line outside a full centre, POST /admit, the queue's
outside line, the board's "please come in" labels, and auto-admit."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, assert_error
from tests.conftest import random_iin


def _windows(api: Api, center: str) -> dict[int, int]:
    r = api.client.get(f"/api/v1/centers/{api.centers[center]}/windows")
    return {w["number"]: w["id"] for w in r.json()}


def _arrive(api: Api, cid: int, token: str) -> Any:
    r = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(token),
                        json={"iin": random_iin(), "service": "01010001"})
    assert r.status_code == 201, r.text
    return r.json()


def _serve(api: Api, window: int, token: str) -> str:
    called = api.client.post(f"/api/v1/windows/{window}/call-next", headers=api.auth(token))
    ticket = called.json()["ticket"]
    for step in ("start", "finish"):
        r = api.client.post(f"/api/v1/tickets/{ticket['id']}/{step}", headers=api.auth(token))
        assert r.status_code == 200, r.text
    return str(ticket["label"])


def _limit(api: Api, cid: int, **body: Any) -> None:
    r = api.client.patch(f"/api/v1/centers/{cid}", headers=api.auth(), json=body)
    assert r.status_code == 200, r.text


def test_full_centre_puts_arrivals_outside_and_admit_lets_them_in(api: Api) -> None:
    cid = api.centers["mixed"]
    door = api.add_user("door1", "door", [cid])
    op = api.add_user("oper1", "operator", [cid])
    _limit(api, cid, occupancy_limit=2)
    made = [_arrive(api, cid, door) for _ in range(4)]
    assert [(m["ticket"]["status"], m["outside_place"]) for m in made] == [
        ("waiting", None), ("waiting", None), ("outside", 1), ("outside", 2)]
    q = api.client.get(f"/api/v1/centers/{cid}/queue", headers=api.auth(door)).json()
    assert (q["occupancy"], q["occupancy_limit"], q["free_places"]) == (2, 2, 0)
    assert q["outside"]["count"] == 2 and q["outside"]["longest_wait_minutes"] == 0
    assert [e["label"] for e in q["outside"]["entries"]] == ["A-003", "A-004"]
    assert [e["label"] for e in q["entries"]] == ["A-001", "A-002"]  # inside only
    assert q["services"] == [{"service": "01010001", "waiting": 4, "longest_wait_minutes": 0,
                              "max_wait_minutes": 30, "within_standard": True}]

    full = api.client.post(f"/api/v1/centers/{cid}/admit", headers=api.auth(door))
    assert full.status_code == 200, full.text
    assert full.json() == {"admitted": [], "occupancy": 2, "occupancy_limit": 2,
                           "free_places": 0, "outside": 2, "reason": "no_room"}
    # an operator's window cannot call someone who is still outside
    window = _windows(api, "mixed")[1]
    assert _serve(api, window, op) == "A-001"
    assert _serve(api, window, op) == "A-002"
    empty = api.client.post(f"/api/v1/windows/{window}/call-next", headers=api.auth(op))
    assert empty.json() == {"ticket": None}

    one = api.client.post(f"/api/v1/centers/{cid}/admit", headers=api.auth(door),
                          json={"count": 1}).json()
    assert [t["label"] for t in one["admitted"]] == ["A-003"]
    assert (one["occupancy"], one["free_places"], one["outside"]) == (1, 1, 1)
    board = api.client.get(f"/api/v1/centers/{cid}/board/admitted").json()
    assert board == {"tickets": ["A-003"]}
    rest = api.client.post(f"/api/v1/centers/{cid}/admit", headers=api.auth(door),
                           json={}).json()
    assert [t["label"] for t in rest["admitted"]] == ["A-004"] and rest["outside"] == 0
    assert api.client.get(f"/api/v1/centers/{cid}/board/admitted").json() == {
        "tickets": ["A-003", "A-004"]}
    nobody = api.client.post(f"/api/v1/centers/{cid}/admit", headers=api.auth(door)).json()
    assert nobody["admitted"] == [] and nobody["reason"] == "nobody_outside"
    assert api.client.post(f"/api/v1/windows/{window}/call-next",
                           headers=api.auth(op)).json()["ticket"]["label"] == "A-003"
    assert api.client.get(f"/api/v1/centers/{cid}/board/admitted").json() == {
        "tickets": ["A-004"]}  # called: no longer asked in


def test_admit_is_for_the_centres_door_staff(api: Api) -> None:
    cid, other = api.centers["mixed"], api.centers["vehicle"]
    door_other = api.add_user("door2", "door", [other])
    analyst = api.add_user("ana2", "analyst", [])
    manager = api.add_user("mgr2", "manager", [cid])
    url = f"/api/v1/centers/{cid}/admit"
    assert_error(api.client.post(url), 401, "unauthorized")
    assert_error(api.client.post(url, headers=api.auth(door_other)), 403, "forbidden")
    assert_error(api.client.post(url, headers=api.auth(analyst)), 403, "forbidden")
    assert_error(api.client.post(url, headers=api.auth(manager), json={"count": 0}),
                 422, "validation_error")
    assert_error(api.client.post(url, headers=api.auth(manager), json={"n": 2}),
                 422, "validation_error")
    ok = api.client.post(url, headers=api.auth(manager))
    assert ok.status_code == 200 and ok.json()["occupancy_limit"] is None
    assert ok.json()["reason"] == "nobody_outside" and ok.json()["free_places"] is None
    assert_error(api.client.post("/api/v1/centers/999999/admit", headers=api.auth()),
                 404, "not_found")


def test_someone_leaving_the_line_and_auto_admit(api: Api) -> None:
    cid = api.centers["mixed"]
    door = api.add_user("door3", "door", [cid])
    op = api.add_user("oper3", "operator", [cid])
    _limit(api, cid, occupancy_limit=1, floor={"auto_admit": True})
    bad = api.client.patch(f"/api/v1/centers/{cid}", headers=api.auth(),
                           json={"floor": {"auto_admit": "yes"}})
    assert_error(bad, 422, "validation_error")
    first, second, third = (_arrive(api, cid, door)["ticket"] for _ in range(3))
    assert [t["status"] for t in (first, second, third)] == ["waiting", "outside", "outside"]
    gone = api.client.post(f"/api/v1/tickets/{second['id']}/left", headers=api.auth(door))
    assert gone.status_code == 200 and gone.json()["status"] == "left"
    assert_error(api.client.post(f"/api/v1/tickets/{second['id']}/left",
                                 headers=api.auth(door)), 409, "invalid_state")
    # the first is served: the third comes in by itself, without a press at the door
    assert _serve(api, _windows(api, "mixed")[2], op) == first["label"]
    q = api.client.get(f"/api/v1/centers/{cid}/queue", headers=api.auth(door)).json()
    assert [e["label"] for e in q["entries"]] == [third["label"]]
    assert q["outside"] == {"count": 0, "longest_wait_minutes": 0, "entries": []}
    assert api.client.get(f"/api/v1/centers/{cid}/board/admitted").json() == {
        "tickets": [third["label"]]}
