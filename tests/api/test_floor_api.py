"""The floor API: arrivals, the window, the queue and the public board."""

from __future__ import annotations

import datetime as dt

from tests.api.conftest import Api, assert_error, at
from tests.conftest import random_iin


def _windows(api: Api, center: str) -> dict[int, int]:
    r = api.client.get(f"/api/v1/centers/{api.centers[center]}/windows")
    return {w["number"]: w["id"] for w in r.json()}


def test_walk_in_call_start_finish_and_board(api: Api) -> None:
    cid = api.centers["mixed"]
    door = api.add_user("door1", "door", [cid])
    op = api.add_user("oper1", "operator", [cid])
    iin = random_iin()
    r = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                        json={"iin": iin, "service": "01010001"})
    assert r.status_code == 201, r.text
    ticket = r.json()["ticket"]
    assert ticket["label"] == "A-001" and ticket["status"] == "waiting"
    assert iin not in r.text and ticket["iin_masked"].count("*") == 8
    window = _windows(api, "mixed")[1]
    called = api.client.post(f"/api/v1/windows/{window}/call-next", headers=api.auth(op))
    assert called.status_code == 200 and called.json()["ticket"]["window"] == 1
    board = api.client.get(f"/api/v1/centers/{cid}/board").json()
    assert board == [{"ticket": "A-001", "window": 1, "status": "called"}]
    tid = ticket["id"]
    assert api.client.post(f"/api/v1/tickets/{tid}/start", headers=api.auth(op)).json()[
        "status"] == "serving"
    assert api.client.post(f"/api/v1/tickets/{tid}/finish", headers=api.auth(op)).json()[
        "status"] == "done"
    assert api.client.get(f"/api/v1/centers/{cid}/board").json() == []
    empty = api.client.post(f"/api/v1/windows/{window}/call-next", headers=api.auth(op))
    assert empty.status_code == 200 and empty.json() == {"ticket": None}


def test_floor_permissions_and_errors(api: Api) -> None:
    cid, other = api.centers["mixed"], api.centers["vehicle"]
    op_other = api.add_user("oper2", "operator", [other])
    door = api.add_user("door2", "door", [cid])
    window = _windows(api, "mixed")[1]
    assert_error(api.client.post(f"/api/v1/windows/{window}/call-next"), 401, "unauthorized")
    assert_error(api.client.post(f"/api/v1/windows/{window}/call-next",
                                 headers=api.auth(op_other)), 403, "forbidden")
    assert_error(api.client.post(f"/api/v1/windows/{window}/call-next",
                                 headers=api.auth(door)), 403, "forbidden")
    assert_error(api.client.post(f"/api/v1/centers/{other}/arrivals", headers=api.auth(door),
                                 json={"iin": random_iin(), "service": "04010001"}),
                 403, "forbidden")
    assert_error(api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                                 json={"iin": "900101300019", "service": "01010001"}),
                 422, "invalid_iin")
    assert_error(api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                                 json={"iin": random_iin()}), 404, "not_found")
    assert_error(api.client.post("/api/v1/tickets/999999/start", headers=api.auth()),
                 404, "not_found")
    assert_error(api.client.get("/api/v1/centers/999999/board"), 404, "not_found")


def test_booking_only_door_gets_an_offer_and_online_is_refused(api: Api) -> None:
    cid = api.centers["booking-only"]
    door = api.add_user("door3", "door", [cid])
    r = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                        json={"iin": random_iin(), "service": "01010001"})
    assert r.status_code == 200, r.text
    offer = r.json()["offer"]
    assert offer["reason"] == "booking_only" and offer["slots"]
    assert "+05:00" in offer["slots"][0]["start"]
    online = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door, "ru"),
                             json={"iin": random_iin(), "service": "03010001"})
    assert "egov.kz" in assert_error(online, 422, "service_not_offered")


def test_queue_view_for_staff(api: Api) -> None:
    cid = api.centers["mixed"]
    door = api.add_user("door4", "door", [cid])
    for service in ("01010001", "03010001", "01010001"):
        api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                        json={"iin": random_iin(), "service": service})
    q = api.client.get(f"/api/v1/centers/{cid}/queue", headers=api.auth(door)).json()
    assert [e["label"] for e in q["entries"]] == ["A-001", "B-001", "A-002"]
    assert q["occupancy"] == 3 and q["no_shows_today"] == 0
    loads = {x["service"]: x for x in q["services"]}
    assert loads["01010001"]["waiting"] == 2 and loads["01010001"]["within_standard"]
    assert {w["number"] for w in q["windows"]} == {1, 2, 3}
    assert_error(api.client.get(f"/api/v1/centers/{cid}/queue"), 401, "unauthorized")


def test_pause_stops_calls(api: Api) -> None:
    cid = api.centers["mixed"]
    op = api.add_user("oper5", "operator", [cid])
    door = api.add_user("door5", "door", [cid])
    window = _windows(api, "mixed")[2]
    api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                    json={"iin": random_iin(), "service": "01010001"})
    assert api.client.post(f"/api/v1/windows/{window}/state", headers=api.auth(op),
                           json={"state": "paused"}).json() == {"state": "paused"}
    paused = assert_error(api.client.post(f"/api/v1/windows/{window}/call-next",
                                          headers=api.auth(op, "ru")), 409, "invalid_state")
    assert "паузе" in paused
    api.client.post(f"/api/v1/windows/{window}/state", headers=api.auth(op),
                    json={"state": "open"})
    ok = api.client.post(f"/api/v1/windows/{window}/call-next", headers=api.auth(op))
    assert ok.json()["ticket"]["label"] == "A-001"


def test_multi_service_walk_in_left_and_centre_floor_rules(api: Api) -> None:
    cid = api.centers["mixed"]
    door = api.add_user("door6", "door", [cid])
    r = api.client.patch(f"/api/v1/centers/{cid}", headers=api.auth(),
                         json={"floor": {"group_prefixes": {"identity": "P"}}})
    assert r.status_code == 200, r.text
    bad = api.client.patch(f"/api/v1/centers/{cid}", headers=api.auth(),
                           json={"floor": {"max_calls": 0}})
    assert_error(bad, 422, "validation_error")
    r = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door), json={
        "iin": random_iin(), "services": ["01010001", "03010001"]})
    ticket = r.json()["ticket"]
    assert ticket["label"] == "P-001" and ticket["services"] == ["01010001", "03010001"]
    gone = api.client.post(f"/api/v1/tickets/{ticket['id']}/left", headers=api.auth(door))
    assert gone.status_code == 200 and gone.json()["status"] == "left"
    again = api.client.post(f"/api/v1/tickets/{ticket['id']}/left", headers=api.auth(door))
    assert_error(again, 409, "invalid_state")


def test_a_second_check_in_says_so(api: Api, pinned_clock: dt.datetime) -> None:
    # Before, the door read "Это действие сейчас невозможно" and had to guess why.
    cid = api.centers["mixed"]
    door = api.add_user("door9", "door", [cid])
    iin = random_iin()
    booked = api.book(iin, at(pinned_clock.date(), 11), center="mixed")
    assert booked.status_code == 201, booked.text
    code = booked.json()["code"]
    first = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                            json={"iin": iin, "code": code})
    assert first.status_code == 201, first.text
    label = first.json()["ticket"]["label"]
    # ... and then only "already checked in": now when, with which ticket, what to do.
    for lang, words in (
            ("ru", f"Вы уже зарегистрировались по этой записи в 10:00, ваш талон {label}. "
                   "Ждите вызова этого номера на табло."),
            ("kk", f"10:00 тіркелгенсіз, талоныңыз {label}. Таблодан нөміріңізді күтіңіз."),
            ("en", f"Already checked in for this booking at 10:00, ticket {label}.")):
        again = api.client.post(f"/api/v1/centers/{cid}/arrivals",
                                headers=api.auth(door, lang), json={"iin": iin, "code": code})
        message = assert_error(again, 409, "invalid_state")
        assert words in message and "невозможно" not in message


def test_a_refused_check_in_says_what_to_do(api: Api, pinned_clock: dt.datetime) -> None:
    """A wrong code or IIN read "Не найдено"; a cancelled booking "Это действие сейчас
    невозможно: запись отменена" (issue 13): now what happened and what to do."""
    cid = api.centers["mixed"]
    door = api.add_user("door10", "door", [cid])
    iin = random_iin()
    booked = api.book(iin, at(pinned_clock.date(), 11), center="mixed")
    code = booked.json()["code"]
    wrong = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door, "ru"),
                            json={"iin": random_iin(), "code": code})
    assert assert_error(wrong, 404, "not_found") == (
        "Запись с таким кодом и ИИН не найдена. Проверьте код и ИИН и введите их снова "
        "или обратитесь к сотруднику у входа.")
    kk = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door, "kk"),
                         json={"iin": random_iin(), "code": code})
    assert "Код пен ЖСН-ді тексеріп" in assert_error(kk, 404, "not_found")
    other = api.centers["vehicle"]
    elsewhere = api.add_user("door11", "door", [other])
    there = api.client.post(f"/api/v1/centers/{other}/arrivals",
                            headers=api.auth(elsewhere, "en"), json={"iin": iin, "code": code})
    assert assert_error(there, 409, "invalid_state") == (
        "This booking is for another centre. Check the address in the booking.")
