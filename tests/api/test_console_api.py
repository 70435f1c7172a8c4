"""The operator console's safety steps (issue 13): undo of a no-show at its window, end of
shift, and the booked time on the floor's tickets and queue entries."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select

from kezek import clock
from kezek.api.app import create_app
from kezek.settings import Settings
from kezek.store.db import make_engine, make_sessionmaker
from kezek.store.models import BookingRow
from tests.api.conftest import Api, assert_error, at, prepare, settings_for
from tests.conftest import random_iin


def _windows(api: Api, center: str) -> dict[int, int]:
    r = api.client.get(f"/api/v1/centers/{api.centers[center]}/windows")
    return {w["number"]: w["id"] for w in r.json()}


def _booking_status(url: str, code: str) -> str:
    async def read() -> str:
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as s:
                return str(await s.scalar(select(BookingRow.status)
                                          .where(BookingRow.code == code)))
        finally:
            await engine.dispose()
    return asyncio.run(read())


def _audit(api: Api, entity: str, action: str) -> list[dict[str, object]]:
    r = api.client.get("/api/v1/audit", params={"entity": entity}, headers=api.auth())
    assert r.status_code == 200, r.text
    return [a for a in r.json() if a["action"] == action]


def _booked_and_called(api: Api, day: dt.date, window: int, op: str, door: str
                       ) -> tuple[dict[str, object], str]:
    """A person booked for 11:00 at "mixed", checked in and called to `window`."""
    cid = api.centers["mixed"]
    iin = random_iin()
    booked = api.book(iin, at(day, 11), center="mixed")
    assert booked.status_code == 201, booked.text
    code = booked.json()["code"]
    arrived = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                              json={"iin": iin, "code": code})
    assert arrived.status_code == 201, arrived.text
    called = api.client.post(f"/api/v1/windows/{window}/call-next", headers=api.auth(op))
    assert called.status_code == 200, called.text
    return called.json()["ticket"], code


def test_undo_no_show_calls_the_person_again_at_the_same_window(
        api: Api, pinned_clock: dt.datetime) -> None:
    cid = api.centers["mixed"]
    op = api.add_user("undo.op", "operator", [cid])
    door = api.add_user("undo.door", "door", [cid])
    window = _windows(api, "mixed")[1]
    ticket, code = _booked_and_called(api, pinned_clock.date(), window, op, door)
    tid = ticket["id"]
    gone = api.client.post(f"/api/v1/tickets/{tid}/no-show", headers=api.auth(op))
    assert gone.json()["status"] == "no_show"
    assert _booking_status(api.url, code) == "no_show"
    back = api.client.post(f"/api/v1/tickets/{tid}/undo-no-show", headers=api.auth(op),
                           json={"window": window})
    assert back.status_code == 200, back.text
    assert back.json()["status"] == "called" and back.json()["window"] == 1
    assert back.json()["calls"] == ticket["calls"]
    assert api.client.get(f"/api/v1/centers/{cid}/board").json() == [
        {"ticket": ticket["label"], "window": 1, "status": "called"}]
    assert _booking_status(api.url, code) == "checked_in"
    q = api.client.get(f"/api/v1/centers/{cid}/queue", headers=api.auth(op)).json()
    assert q["no_shows_today"] == 0
    (row,) = _audit(api, "ticket", "ticket.undo_no_show")
    assert row["entity_id"] == str(tid) and row["details"]["window"] == 1  # type: ignore[index]
    assert "undo.op" in str(row["actor"])
    # The person is served from there as if the no-show had not been pressed.
    assert api.client.post(f"/api/v1/tickets/{tid}/start", headers=api.auth(op)).json()[
        "status"] == "serving"
    again = api.client.post(f"/api/v1/tickets/{tid}/undo-no-show", headers=api.auth(op),
                            json={"window": window})
    assert_error(again, 409, "invalid_state")


def test_undo_no_show_only_at_its_window_and_only_for_the_undo_minutes(
        api: Api, pinned_clock: dt.datetime) -> None:
    cid = api.centers["mixed"]
    op = api.add_user("undo.op2", "operator", [cid])
    other_op = api.add_user("undo.op3", "operator", [api.centers["vehicle"]])
    door = api.add_user("undo.door2", "door", [cid])
    windows = _windows(api, "mixed")
    ticket, _ = _booked_and_called(api, pinned_clock.date(), windows[1], op, door)
    tid = ticket["id"]
    api.client.post(f"/api/v1/tickets/{tid}/no-show", headers=api.auth(op))
    for lang, words in (("ru", "только окно"), ("kk", "тек оны қойған терезе"),
                        ("en", "only the window")):
        wrong = api.client.post(f"/api/v1/tickets/{tid}/undo-no-show",
                                headers=api.auth(op, lang), json={"window": windows[2]})
        assert words in assert_error(wrong, 409, "invalid_state")
    assert_error(api.client.post(f"/api/v1/tickets/{tid}/undo-no-show",
                                 headers=api.auth(other_op), json={"window": windows[1]}),
                 403, "forbidden")
    assert_error(api.client.post(f"/api/v1/tickets/{tid}/undo-no-show", headers=api.auth(op),
                                 json={"window": "one"}), 422, "validation_error")
    with clock.pinned(clock.now() + dt.timedelta(minutes=5, seconds=30)):
        for lang, words in (("ru", "нельзя отменить"), ("kk", "қайтару мүмкін емес"),
                            ("en", "no longer be undone")):
            late = api.client.post(f"/api/v1/tickets/{tid}/undo-no-show",
                                   headers=api.auth(op, lang), json={"window": windows[1]})
            assert words in assert_error(late, 409, "undo_expired")
            assert "5" in late.json()["error"]["message"]
    assert _audit(api, "ticket", "ticket.undo_no_show") == []


def test_undo_is_refused_once_the_window_called_the_next_person(
        api: Api, pinned_clock: dt.datetime) -> None:
    cid = api.centers["mixed"]
    op = api.add_user("undo.op4", "operator", [cid])
    door = api.add_user("undo.door4", "door", [cid])
    window = _windows(api, "mixed")[1]
    ticket, _ = _booked_and_called(api, pinned_clock.date(), window, op, door)
    api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                    json={"iin": random_iin(), "service": "01010001"})
    api.client.post(f"/api/v1/tickets/{ticket['id']}/no-show", headers=api.auth(op))
    nxt = api.client.post(f"/api/v1/windows/{window}/call-next", headers=api.auth(op))
    assert nxt.json()["ticket"] is not None
    busy = api.client.post(f"/api/v1/tickets/{ticket['id']}/undo-no-show",
                           headers=api.auth(op, "ru"), json={"window": window})
    assert "сначала завершите" in assert_error(busy, 409, "invalid_state")


def test_end_of_shift_is_refused_while_someone_is_at_the_window(api: Api) -> None:
    cid = api.centers["mixed"]
    op = api.add_user("shift.op", "operator", [cid])
    door = api.add_user("shift.door", "door", [cid])
    window = _windows(api, "mixed")[2]
    api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                    json={"iin": random_iin(), "service": "01010001"})
    tid = api.client.post(f"/api/v1/windows/{window}/call-next",
                          headers=api.auth(op)).json()["ticket"]["id"]
    for step in ("called", "serving"):
        if step == "serving":
            api.client.post(f"/api/v1/tickets/{tid}/start", headers=api.auth(op))
        for lang, words in (("ru", "сначала завершите"), ("kk", "алдымен аяқтаңыз"),
                            ("en", "finish first")):
            busy = api.client.post(f"/api/v1/windows/{window}/end-shift",
                                   headers=api.auth(op, lang))
            assert words in assert_error(busy, 409, "invalid_state")
    api.client.post(f"/api/v1/tickets/{tid}/finish", headers=api.auth(op))
    done = api.client.post(f"/api/v1/windows/{window}/end-shift", headers=api.auth(op))
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "closed" and done.json()["ended_at"]
    q = api.client.get(f"/api/v1/centers/{cid}/queue", headers=api.auth(op)).json()
    assert {w["id"]: w["state"] for w in q["windows"]}[window] == "closed"
    (row,) = _audit(api, "window", "window.end_shift")
    assert row["entity_id"] == str(window)
    assert row["details"] == {"window": 2, "center": cid, "was": "open"}
    assert {w["id"]: w["shift_ended"] for w in q["windows"]} == {
        w: w == window for w in _windows(api, "mixed").values()}
    # Closed for the day: N does not open it again (it did, a closed window is opened by
    # the first call), the next day does, and so does opening it on purpose.
    api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                    json={"iin": random_iin(), "service": "01010001"})
    for lang, words in (("ru", "смена у этого окна"), ("kk", "ауысым аяқталды"),
                        ("en", "shift at this window has ended")):
        refused = api.client.post(f"/api/v1/windows/{window}/call-next",
                                  headers=api.auth(op, lang))
        assert words in assert_error(refused, 409, "invalid_state")
    tokens = dict(api._tokens)
    with clock.pinned(clock.now() + dt.timedelta(days=1)):
        api._tokens.clear()  # today's tokens have expired by then: the admin signs in anew
        tomorrow = api.client.post(f"/api/v1/windows/{window}/call-next", headers=api.auth())
        assert tomorrow.status_code == 200, tomorrow.text
    api._tokens.clear()
    api._tokens.update(tokens)
    api.client.post(f"/api/v1/windows/{window}/end-shift", headers=api.auth(op))
    assert api.client.post(f"/api/v1/windows/{window}/state", headers=api.auth(op),
                           json={"state": "open"}).json() == {"state": "open"}
    again = api.client.post(f"/api/v1/windows/{window}/call-next", headers=api.auth(op))
    assert again.status_code == 200, again.text
    assert_error(api.client.post(f"/api/v1/windows/{window}/end-shift"), 401, "unauthorized")
    assert_error(api.client.post(f"/api/v1/windows/{window}/end-shift",
                                 headers=api.auth(door)), 403, "forbidden")
    assert_error(api.client.post("/api/v1/windows/999999/end-shift", headers=api.auth()),
                 404, "not_found")


def test_booked_time_in_the_centres_time_on_tickets_and_queue(
        api: Api, pinned_clock: dt.datetime) -> None:
    cid = api.centers["mixed"]
    op = api.add_user("time.op", "operator", [cid])
    door = api.add_user("time.door", "door", [cid])
    iin = random_iin()
    booked = api.book(iin, at(pinned_clock.date(), 11, 30), center="mixed")
    assert booked.status_code == 201, booked.text
    arrived = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                              json={"iin": iin, "code": booked.json()["code"]})
    assert arrived.json()["ticket"]["booked_time"] == "11:30"  # Almaty, not 06:30 UTC
    walk = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                           json={"iin": random_iin(), "service": "01010001"})
    assert walk.json()["ticket"]["booked_time"] is None
    q = api.client.get(f"/api/v1/centers/{cid}/queue", headers=api.auth(op)).json()
    times = {e["kind"]: e["booked_time"] for e in q["entries"]}
    assert times == {"booked": "11:30", "walk_in": None}
    window = _windows(api, "mixed")[1]
    called = api.client.post(f"/api/v1/windows/{window}/call-next", headers=api.auth(op))
    assert called.json()["ticket"]["booked_time"] in ("11:30", None)
    ticket = called.json()["ticket"]
    assert ticket["booked_time"] == ("11:30" if ticket["kind"] == "booked" else None)


def test_the_undo_minutes_come_from_the_setting(db_url: str, pinned_clock: dt.datetime,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEZEK_NO_SHOW_UNDO_MINUTES", "2")
    assert Settings().no_show_undo_minutes == 2
    monkeypatch.setenv("KEZEK_NO_SHOW_UNDO_MINUTES", "61")
    with pytest.raises(ValidationError):
        Settings()
    monkeypatch.delenv("KEZEK_NO_SHOW_UNDO_MINUTES")
    assert Settings().no_show_undo_minutes == 5
    centers = asyncio.run(prepare(db_url))
    with TestClient(create_app(settings_for(db_url, no_show_undo_minutes=1))) as client:
        api = Api(client, db_url, centers)
        cid = centers["mixed"]
        op = api.add_user("undo.short", "operator", [cid])
        door = api.add_user("undo.short.door", "door", [cid])
        window = _windows(api, "mixed")[1]
        ticket, _ = _booked_and_called(api, pinned_clock.date(), window, op, door)
        api.client.post(f"/api/v1/tickets/{ticket['id']}/no-show", headers=api.auth(op))
        with clock.pinned(clock.now() + dt.timedelta(seconds=70)):  # past 1, within 5
            late = api.client.post(f"/api/v1/tickets/{ticket['id']}/undo-no-show",
                                   headers=api.auth(op, "en"), json={"window": window})
            assert "more than 1 min have" in assert_error(late, 409, "undo_expired")
