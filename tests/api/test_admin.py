"""The staff API: tokens, and admin changes that need a token, a role, and leave an audit row.

Every change must answer 401 without a token and 403 with the wrong role, change nothing
then, and with an admin's token succeed and write an audit row naming the admin and the
channel `api`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.conftest import ADMIN_USER, Api, assert_error, at
from tests.conftest import next_weekday, random_iin

DAY = next_weekday(days_ahead=2)


@dataclass(frozen=True)
class Change:
    method: str
    path: str  # "{mixed}" is replaced by the mixed centre's id
    body: dict[str, Any]
    status: int
    action: str
    entity: str
    check: Callable[[Api], None] | None = None


def _new_service_listed(api: Api) -> None:
    found = api.client.get("/api/v1/services", params={"q": "passport"}).json()
    assert [s["code"] for s in found] == ["06010001"]


def _service_renamed(api: Api) -> None:
    svc = api.client.get("/api/v1/services/01010001", headers={"Accept-Language": "en"}).json()
    assert svc["name"] == "Identity card (renamed)"
    assert svc["standard"]["slot_minutes"] == 20


def _centre_listed(api: Api) -> None:
    slugs = [c["slug"] for c in api.client.get("/api/v1/centers").json()]
    assert "new-centre" in slugs


def _centre_patched(api: Api) -> None:
    centre = api.client.get(f"/api/v1/centers/{api.centers['mixed']}").json()
    assert centre["occupancy_limit"] == 40


def _window_adds_a_seat(api: Api) -> None:
    slots = api.client.get(f"/api/v1/centers/{api.centers['mixed']}/slots", params={
        "service": "01010001", "from": DAY.isoformat(), "days": 1}).json()
    assert slots and all(s["free"] == 4 for s in slots)


def _day_closed(api: Api) -> None:
    slots = api.client.get(f"/api/v1/centers/{api.centers['mixed']}/slots", params={
        "service": "01010001", "from": DAY.isoformat(), "days": 1}).json()
    assert slots == []
    assert_error(api.book(random_iin(), at(DAY, 10)), 422, "outside_schedule")


def _policy_allows_two(api: Api) -> None:
    iin = random_iin()
    assert api.book(iin, at(DAY, 10)).status_code == 201
    assert api.book(iin, at(DAY, 11), service="03010001").status_code == 201
    assert api.client.get("/api/v1/policy").json()["max_bookings"] == 2


NAMES = {"kk": "Төлқұжат", "ru": "Паспорт", "en": "Passport"}
CHANGES = {
    "create user": Change("POST", "/api/v1/users", {
        "username": "olga.operator", "password": "operator-password", "role": "operator",
        "centers": [1], "full_name": "Olga"}, 201, "user.create", "user"),
    "create service": Change("POST", "/api/v1/services", {
        "code": "06010001", "names": NAMES, "sector": "identity", "delivery": "paper"},
        201, "service.create", "service", _new_service_listed),
    "replace service": Change("PUT", "/api/v1/services/01010001", {
        "names": {"kk": "Жеке куәлік", "ru": "Удостоверение", "en": "Identity card (renamed)"},
        "sector": "identity", "delivery": "paper", "standard": {"slot_minutes": 20}},
        200, "service.update", "service", _service_renamed),
    "create centre": Change("POST", "/api/v1/centers", {
        "slug": "new-centre", "name_ru": "Новый ЦОН", "name_en": "New PSC", "city": "testcity",
        "kind": "general", "format": "booking_only"}, 201, "center.create", "center",
        _centre_listed),
    "patch centre": Change("PATCH", "/api/v1/centers/{mixed}", {"occupancy_limit": 40},
                           200, "center.update", "center", _centre_patched),
    "add window": Change("POST", "/api/v1/centers/{mixed}/windows",
                         {"number": 7, "scope": "all"}, 201, "window.create", "window",
                         _window_adds_a_seat),
    "set exception": Change("PUT", "/api/v1/centers/{mixed}/exceptions", {
        "date": DAY.isoformat(), "note": "repairs"}, 204, "center.exception", "center",
        _day_closed),
    "set policy": Change("PUT", "/api/v1/policy", {"max_bookings": 2}, 200, "policy.update",
                         "network", _policy_allows_two),
}


def audit_rows(api: Api, entity: str, action: str) -> list[dict[str, Any]]:
    r = api.client.get("/api/v1/audit", params={"entity": entity, "limit": 1000},
                       headers=api.auth())
    assert r.status_code == 200, r.text
    return [row for row in r.json() if row["action"] == action]


@pytest.mark.parametrize("name", list(CHANGES))
def test_admin_change_needs_a_token_and_a_role_and_is_audited(api: Api, name: str) -> None:
    change = CHANGES[name]
    path = change.path.format(mixed=api.centers["mixed"])
    other = api.centers["booking-only"]
    tokens = {"analyst": api.add_user("ann.analyst", "analyst"),
              "manager of another centre": api.add_user("max.manager", "manager", [other])}
    before = audit_rows(api, change.entity, change.action)

    def send(headers: dict[str, str]) -> Any:
        return api.client.request(change.method, path, json=change.body, headers=headers)

    assert_error(send({}), 401, "unauthorized")
    assert_error(send({"Authorization": "Bearer kz_forged"}), 401, "unauthorized")
    for token in tokens.values():
        assert_error(send(api.auth(token, lang="en")), 403, "forbidden")
    assert audit_rows(api, change.entity, change.action) == before  # nothing happened

    r = send(api.auth())
    assert r.status_code == change.status, r.text
    after = audit_rows(api, change.entity, change.action)
    assert len(after) == len(before) + 1
    row = after[0]
    assert (row["actor"], row["channel"]) == (ADMIN_USER, "api")
    assert dt.datetime.fromisoformat(row["at"]).tzinfo is not None
    if change.check:
        change.check(api)


def test_manager_changes_only_their_own_centre(api: Api) -> None:
    mixed = api.centers["mixed"]
    token = api.add_user("mia.manager", "manager", [mixed])
    r = api.client.patch(f"/api/v1/centers/{mixed}", json={"occupancy_limit": 12},
                         headers=api.auth(token))
    assert r.status_code == 200, r.text
    rows = audit_rows(api, "center", "center.update")
    assert (rows[0]["actor"], rows[0]["channel"]) == ("mia.manager", "api")
    for method, path, body in (("PUT", "/api/v1/policy", {"max_bookings": 3}),
                               ("POST", "/api/v1/users", {"username": "x.user",
                                                          "password": "x-user-password",
                                                          "role": "admin"})):
        assert_error(api.client.request(method, path, json=body, headers=api.auth(token)),
                     403, "forbidden")


def test_audit_log_needs_an_admin(api: Api) -> None:
    assert_error(api.client.get("/api/v1/audit"), 401, "unauthorized")
    analyst = api.add_user("ann.analyst", "analyst")
    assert_error(api.client.get("/api/v1/audit", headers=api.auth(analyst)), 403, "forbidden")
    rows = api.client.get("/api/v1/audit", headers=api.auth()).json()
    assert rows[0]["action"] == "user.create" and rows[0]["actor"] == ADMIN_USER
    assert_error(api.client.get("/api/v1/audit", params={"limit": 0}, headers=api.auth()),
                 422, "validation_error")


def test_tokens(api: Api) -> None:
    bad = api.client.post("/api/v1/auth/token",
                          json={"username": ADMIN_USER, "password": "wrong-password"})
    assert_error(bad, 401, "unauthorized")
    nobody = api.client.post("/api/v1/auth/token",
                             json={"username": "nobody", "password": "wrong-password"})
    assert bad.json() == nobody.json()  # an unknown user and a wrong password look alike
    assert_error(api.client.post("/api/v1/auth/token", json={"username": ADMIN_USER}),
                 422, "validation_error")
    r = api.client.post("/api/v1/auth/token",
                        json={"username": ADMIN_USER.upper(), "password": "admin-password-1"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["role"] == "admin"
    token = body["access_token"]
    assert api.client.get("/api/v1/audit", headers=api.auth(token)).status_code == 200
    assert api.client.post("/api/v1/auth/logout", headers=api.auth(token)).status_code == 204
    assert_error(api.client.get("/api/v1/audit", headers=api.auth(token)), 401, "unauthorized")


def test_a_failed_change_writes_no_audit_row(api: Api) -> None:
    before = audit_rows(api, "center", "center.create")
    r = api.client.post("/api/v1/centers", headers=api.auth(), json={
        "slug": "bad-centre", "city": "atlantis", "kind": "general", "format": "mixed"})
    assert_error(r, 422, "validation_error")
    r = api.client.post("/api/v1/services", headers=api.auth(), json={
        "code": "01010001", "names": NAMES, "sector": "identity", "delivery": "paper"})
    assert_error(r, 409, "conflict")
    assert audit_rows(api, "center", "center.create") == before
    assert audit_rows(api, "service", "service.create") == []
