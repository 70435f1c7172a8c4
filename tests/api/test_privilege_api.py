"""Privilege claims over HTTP on SQLite and PostgreSQL: checked against a state registry
on loopback at booking, left to the door without one, decided by door staff under the
network's rule, and counted.

The network runs with `identity: none` here (the IIN alone books), so that the tests are
about the claim, not about the code step, which has its own tests.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kezek.api.app import create_app
from tests.api.conftest import Api, assert_error, at, prepare, settings_for
from tests.api.test_identity import Recorder
from tests.conftest import next_weekday, random_iin

PENSIONER, NOBODY, SILENT, UNKNOWN = (random_iin() for _ in range(4))


@pytest.fixture
def registry() -> Iterator[Recorder]:
    """The state registry on loopback: a pensioner, a person without a privilege, one the
    registry answers without the field for, and 404 for anyone else."""
    server = Recorder({
        PENSIONER: (200, {"phones": ["+77010000001"], "privilege": "pensioner"}),
        NOBODY: (200, {"phones": ["+77010000002"], "privilege": None}),
        SILENT: (200, {"phones": ["+77010000003"]}),
    })
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def reg_api(db_url: str, registry: Recorder) -> Iterator[Api]:
    centers = asyncio.run(prepare(db_url, identity="none"))
    settings = settings_for(db_url, identity_registry_url=registry.url + "/lookup")
    with TestClient(create_app(settings)) as client:
        yield Api(client, db_url, centers)


@pytest.fixture
def own_api(db_url: str) -> Iterator[Api]:
    centers = asyncio.run(prepare(db_url, identity="none"))
    with TestClient(create_app(settings_for(db_url))) as client:
        yield Api(client, db_url, centers)


def _book(api: Api, iin: str, hour: int, privilege: str | None = "pensioner",
          lang: str | None = None) -> Any:
    body: dict[str, Any] = {"iin": iin, "service": "01010001",
                            "center": api.centers["mixed"], "start": at(next_weekday(), hour)}
    if privilege:
        body["privilege"] = privilege
    headers = {"Accept-Language": lang} if lang else {}
    return api.client.post("/api/v1/bookings", json=body, headers=headers)


def _mine(api: Api, iin: str) -> list[dict[str, Any]]:
    r = api.client.post("/api/v1/bookings/search", json={"iin": iin})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _audit(api: Api, action: str) -> list[dict[str, Any]]:
    r = api.client.get("/api/v1/audit", headers=api.auth())
    assert r.status_code == 200, r.text
    return [a for a in r.json() if a["action"] == action]


def test_the_registry_verifies_a_matching_claim(reg_api: Api, registry: Recorder) -> None:
    r = _book(reg_api, PENSIONER, 10)
    assert r.status_code == 201, r.text
    assert r.json()["privilege"] == "pensioner"
    assert r.json()["privilege_status"] == "verified"
    assert registry.seen[-1][2] == {"iin": PENSIONER}
    created = _audit(reg_api, "booking.create")[0]
    assert created["details"]["privilege_status"] == "verified"
    assert created["details"]["privilege_source"] == "registry"
    # no claim, no question to the registry
    asked = len(registry.seen)
    plain = _book(reg_api, random_iin(), 11, privilege=None)
    assert plain.status_code == 201 and plain.json()["privilege_status"] is None
    assert len(registry.seen) == asked


@pytest.mark.parametrize(("lang", "words"), [
    ("kk", "Жеңілдік расталмады"), ("ru", "Льгота не подтверждена"),
    ("en", "privilege is not confirmed")])
def test_the_registry_refuses_a_claim_that_is_not_the_persons(
        reg_api: Api, lang: str, words: str) -> None:
    wrong = _book(reg_api, NOBODY, 10, lang=lang)
    message = assert_error(wrong, 422, "privilege_not_confirmed")
    assert words in message
    # it tells nothing more: not which privilege (if any) the registry holds
    assert "pension" not in message.lower() and "зейнет" not in message and NOBODY not in message
    assert _mine(reg_api, NOBODY) == []  # nothing half-written
    # a pensioner claiming another privilege is refused too
    assert_error(_book(reg_api, PENSIONER, 11, privilege="disability"), 422,
                 "privilege_not_confirmed")
    # and the same person books in the general queue without a claim
    assert _book(reg_api, NOBODY, 12, privilege=None).status_code == 201


def test_a_registry_that_cannot_say_leaves_the_claim_to_the_door(
        reg_api: Api, registry: Recorder) -> None:
    silent = _book(reg_api, SILENT, 10)
    assert silent.status_code == 201 and silent.json()["privilege_status"] == "claimed"
    unknown = _book(reg_api, UNKNOWN, 11)
    assert unknown.status_code == 201 and unknown.json()["privilege_status"] == "claimed"
    registry.answers["*"] = (503, {})
    down = _book(reg_api, random_iin(), 12)
    assert down.status_code == 201 and down.json()["privilege_status"] == "claimed"
    sources = [a["details"]["privilege_source"] for a in _audit(reg_api, "booking.create")]
    assert sorted(sources) == ["registry_silent", "registry_unavailable", "registry_unknown"]


def test_kezeks_own_directory_records_a_claim(own_api: Api) -> None:
    r = _book(own_api, random_iin(), 10, privilege="large_family")
    assert r.status_code == 201 and r.json()["privilege_status"] == "claimed"
    assert _audit(own_api, "booking.create")[0]["details"]["privilege_source"] == "no_registry"


def test_the_waitlist_checks_the_claim_too(reg_api: Api) -> None:
    day = next_weekday().isoformat()
    body = {"iin": NOBODY, "service": "01010001", "center": reg_api.centers["mixed"],
            "day": day, "privilege": "pensioner"}
    assert_error(reg_api.client.post("/api/v1/waitlist", json=body), 422,
                 "privilege_not_confirmed")


def _walk_in(api: Api, token: str, privilege: str | None = "pensioner",
             center: str = "mixed") -> dict[str, Any]:
    body: dict[str, Any] = {"iin": random_iin(), "service": "01010001"}
    if privilege:
        body["privilege"] = privilege
    r = api.client.post(f"/api/v1/centers/{api.centers[center]}/arrivals",
                        headers=api.auth(token), json=body)
    assert r.status_code == 201, r.text
    return r.json()["ticket"]  # type: ignore[no-any-return]


def _decide(api: Api, token: str, ticket: int, decision: str, center: str = "mixed",
            lang: str | None = None) -> Any:
    return api.client.post(f"/api/v1/centers/{api.centers[center]}/tickets/{ticket}/privilege",
                           headers=api.auth(token, lang), json={"decision": decision})


def test_the_door_confirms_and_rejects_under_the_general_rule(own_api: Api) -> None:
    api = own_api
    cid = api.centers["mixed"]
    door = api.add_user("door.priv", "door", [cid])
    first, second = _walk_in(api, door), _walk_in(api, door, "disability")
    assert (first["privilege_claim"], first["privilege_status"]) == ("pensioner", "claimed")
    assert first["privileged"] and first["label"].startswith("L")
    listed = api.client.get(f"/api/v1/centers/{cid}/privilege/claims", headers=api.auth(door))
    assert [t["id"] for t in listed.json()] == [first["id"], second["id"]]
    ok = _decide(api, door, first["id"], "confirm")
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "confirmed" and ok.json()["rule"] is None
    assert ok.json()["ticket"]["privileged"] is True
    assert_error(_decide(api, door, first["id"], "reject"), 409, "invalid_state")
    no = _decide(api, door, second["id"], "reject")
    assert no.status_code == 200, no.text
    assert (no.json()["status"], no.json()["rule"], no.json()["told"]) == (
        "rejected", "general", None)
    ticket = no.json()["ticket"]
    assert ticket["status"] == "waiting" and ticket["privileged"] is False  # general queue
    assert ticket["privilege_claim"] == "disability"
    left = api.client.get(f"/api/v1/centers/{cid}/privilege/claims", headers=api.auth(door))
    assert left.json() == []
    decided = _audit(api, "privilege.confirm") + _audit(api, "privilege.reject")
    assert [(a["actor"], a["entity_id"], a["details"].get("rule")) for a in decided] == [
        ("door.priv", str(first["id"]), None), ("door.priv", str(second["id"]), "general")]


def test_the_refuse_rule_closes_the_ticket_and_says_why(own_api: Api) -> None:
    api = own_api
    cid = api.centers["mixed"]
    put = api.client.put("/api/v1/privilege/policy", headers=api.auth(),
                         json={"rejected": "refuse"})
    assert put.status_code == 200 and put.json() == {"rejected": "refuse"}
    assert _audit(api, "privilege.policy")[0]["details"] == {"rejected": "refuse"}
    door = api.add_user("door.ref", "door", [cid])
    ticket = _walk_in(api, door)
    no = _decide(api, door, ticket["id"], "reject", lang="kk")
    assert no.status_code == 200, no.text
    body = no.json()
    assert (body["status"], body["rule"]) == ("rejected", "refuse")
    assert body["ticket"]["status"] == "left"
    assert "Жеңілдік құжатпен расталмады" in body["told"]
    queue = api.client.get(f"/api/v1/centers/{cid}/queue", headers=api.auth(door))
    assert ticket["id"] not in [e["ticket_id"] for e in queue.json()["entries"]]


def test_bad_decisions_get_the_envelope(own_api: Api) -> None:
    api = own_api
    cid, other = api.centers["mixed"], api.centers["vehicle"]
    door = api.add_user("door.a", "door", [cid])
    stranger = api.add_user("door.b", "door", [other])
    caller = api.add_user("cc.a", "call_centre", [cid])
    ticket = _walk_in(api, door)
    plain = _walk_in(api, door, privilege=None)
    assert_error(_decide(api, door, 999999, "confirm"), 404, "not_found")
    # staff of another centre: refused before anything is read
    assert_error(_decide(api, stranger, ticket["id"], "confirm"), 403, "forbidden")
    # the ticket asked through another centre's path is unknown there
    assert_error(_decide(api, stranger, ticket["id"], "confirm", center="vehicle"), 404,
                 "not_found")
    assert_error(_decide(api, caller, ticket["id"], "confirm"), 403, "forbidden")
    assert_error(api.client.post(f"/api/v1/centers/{cid}/tickets/{ticket['id']}/privilege",
                                 json={"decision": "confirm"}), 401, "unauthorized")
    assert_error(_decide(api, door, ticket["id"], "maybe"), 422, "validation_error")
    message = assert_error(_decide(api, door, plain["id"], "confirm", lang="ru"), 409,
                           "invalid_state")
    assert "нет льготы" in message
    assert_error(api.client.put("/api/v1/privilege/policy", headers=api.auth(door),
                                json={"rejected": "refuse"}), 403, "forbidden")
    assert_error(api.client.put("/api/v1/privilege/policy", headers=api.auth(),
                                json={"rejected": "sometimes"}), 422, "validation_error")


def test_statistics_count_claims_verifications_and_decisions(
        reg_api: Api, registry: Recorder) -> None:
    api = reg_api
    cid, other = api.centers["mixed"], api.centers["vehicle"]
    assert _book(api, PENSIONER, 10).json()["privilege_status"] == "verified"
    assert _book(api, SILENT, 11).json()["privilege_status"] == "claimed"
    door = api.add_user("door.st", "door", [cid])
    yes, no, pending = (_walk_in(api, door) for _ in range(3))
    dis = _walk_in(api, door, "disability")
    assert _decide(api, door, yes["id"], "confirm").status_code == 200
    assert _decide(api, door, no["id"], "reject").status_code == 200
    assert _decide(api, door, dis["id"], "reject").status_code == 200
    analyst = api.add_user("an.st", "analyst")
    r = api.client.get("/api/v1/privilege/stats", headers=api.auth(analyst))
    assert r.status_code == 200, r.text
    assert r.json() == [
        {"center": cid, "privilege": "disability", "claims": 1, "verified": 0,
         "confirmed": 0, "rejected": 1, "open": 0},
        {"center": cid, "privilege": "pensioner", "claims": 5, "verified": 1,
         "confirmed": 1, "rejected": 1, "open": 2}]
    assert pending["id"]  # the third walk-in and the silent booking are the open two
    manager = api.add_user("mgr.other", "manager", [other])
    assert api.client.get("/api/v1/privilege/stats", headers=api.auth(manager)).json() == []
    assert_error(api.client.get(f"/api/v1/privilege/stats?center={cid}",
                                headers=api.auth(manager)), 403, "forbidden")
    assert_error(api.client.get("/api/v1/privilege/stats", headers=api.auth(door)), 403,
                 "forbidden")
    later = api.client.get("/api/v1/privilege/stats?from=2999-01-01", headers=api.auth())
    assert later.status_code == 200 and later.json() == []


def test_the_rule_travels_with_the_network_document(own_api: Api) -> None:
    api = own_api
    exported = api.client.get("/api/v1/network/export", headers=api.auth())
    assert exported.status_code == 200, exported.text
    doc = exported.json()
    assert doc["privilege_policy"] == {"rejected": "general"}
    doc["privilege_policy"] = {"rejected": "refuse"}
    imported = api.client.post("/api/v1/network/import", headers=api.auth(), json=doc)
    assert imported.status_code == 200, imported.text
    got = api.client.get("/api/v1/privilege/policy", headers=api.auth())
    assert got.json() == {"rejected": "refuse"}
    doc["privilege_policy"] = {"rejected": "never"}
    assert_error(api.client.post("/api/v1/network/import", headers=api.auth(), json=doc),
                 422, "validation_error")
    assert api.client.get("/api/v1/privilege/policy", headers=api.auth()).json() == {
        "rejected": "refuse"}


def test_the_exported_data_set_and_the_report_count_claims(own_api: Api, tmp_path: Any
                                                            ) -> None:
    from kezek.analytics import report
    from kezek.analytics.dataset import connect
    from kezek.analytics.stats import Filter
    from tests.api.test_analytics_export import _export

    api = own_api
    cid = api.centers["mixed"]
    door = api.add_user("door.ex", "door", [cid])
    assert _book(api, random_iin(), 10).json()["privilege_status"] == "claimed"
    yes, no = _walk_in(api, door), _walk_in(api, door, "large_family")
    _walk_in(api, door, privilege=None)
    assert _decide(api, door, yes["id"], "confirm").status_code == 200
    assert _decide(api, door, no["id"], "reject").status_code == 200
    _export(api.url, tmp_path)
    con = connect(tmp_path)
    columns = {r[0] for r in con.execute("DESCRIBE tickets").fetchall()}
    assert {"privilege_claim", "privilege_status"} <= columns
    tables = dict(report.build(con))
    # the data set holds visits that happened: the future booking is not one yet
    assert tables["privilege"].rows == [("mixed", "large_family", 1, 0, 0, 1, 0),
                                        ("mixed", "pensioner", 1, 0, 1, 0, 0)]
    assert dict(report.build(con, Filter(centre="vehicle"))).get("privilege") is None
