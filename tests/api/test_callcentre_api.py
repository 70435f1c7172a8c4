"""The call-centre API: caller lookup by IIN in the body, booking on their behalf with the
call_centre channel and the shared quotas, advice, and video consultations."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select

from kezek.store.models_channels import BookingContactRow
from tests.api.conftest import TZ, Api, assert_error, at
from tests.conftest import next_weekday, random_iin

CHECKED = {"identity_checked": True}  # the operator asked the caller's questions

BASE_DEFAULT = "https://meet.egov.kz/kezek"


def _hours(api: Api, token: str, day: dt.date, start: int, end: int, minutes: int = 30):
    return api.client.post("/api/v1/video/hours", headers=api.auth(token), json={
        "starts_at": at(day, start), "ends_at": at(day, end), "slot_minutes": minutes})


def test_only_call_centre_staff_and_admins(api: Api) -> None:
    door = api.add_user("door1", "door", [api.centers["mixed"]])
    body = {"iin": random_iin(), **CHECKED}
    assert_error(api.client.post("/api/v1/callcentre/lookup", json=body), 401, "unauthorized")
    assert_error(api.client.post("/api/v1/callcentre/lookup", json=body,
                                 headers=api.auth(door)), 403, "forbidden")
    assert_error(api.client.get("/api/v1/video/slots", headers=api.auth(door)), 403,
                 "forbidden")
    unchecked = {"iin": body["iin"]}
    for path in ("/api/v1/callcentre/lookup", "/api/v1/callcentre/bookings/ABCD2345/cancel"):
        refused = api.client.post(path, json=unchecked, headers=api.auth(lang="ru"))
        assert "личност" in assert_error(refused, 422, "identity_check_required")
        assert body["iin"] not in refused.text
    r = api.client.post("/api/v1/callcentre/lookup", json=body, headers=api.auth())
    assert r.status_code == 200, r.text
    assert r.json() == {"iin_masked": body["iin"][:2] + "********" + body["iin"][-2:],
                        "bookings": [], "consultations": [], "ballots": [],
                        "waitlist": []}


def test_lookup_book_reschedule_cancel_for_a_caller(api: Api) -> None:
    cc = api.add_user("cc.ann", "call_centre")
    iin, day = random_iin(), next_weekday()
    mine = api.book(iin, at(day, 9), service="05010001")  # the caller booked online first
    assert mine.status_code == 201, mine.text
    bad = api.client.post("/api/v1/callcentre/lookup", json={"iin": "900101300019", **CHECKED},
                          headers=api.auth(cc, "kk"))
    assert "ЖСН" in assert_error(bad, 422, "invalid_iin")
    assert "900101300019" not in bad.text
    # the second booking within 10 days is refused whatever the channel
    refused = api.client.post("/api/v1/callcentre/bookings", headers=api.auth(cc, "en"), json={
        "iin": iin, **CHECKED, "service": "01010001", "center": api.centers["mixed"],
        "start": at(day, 11)})
    assert "at most 1 booking(s) per 10 days" in assert_error(refused, 409, "quota_exceeded")
    cancel = api.client.post(f"/api/v1/callcentre/bookings/{mine.json()['code']}/cancel",
                             headers=api.auth(cc), json={"iin": iin, **CHECKED})
    assert cancel.json() == {"code": mine.json()["code"], "status": "cancelled"}

    made = api.client.post("/api/v1/callcentre/bookings", headers=api.auth(cc, "ru"), json={
        "iin": iin, **CHECKED, "service": "01010001", "center": api.centers["mixed"],
        "start": at(day, 11), "email": "caller@example.kz", "lang": "kk"})
    assert made.status_code == 201, made.text
    line = made.json()
    assert line["channel"] == "call_centre" and line["status"] == "active"
    assert line["service_name"] == "Выдача удостоверения личности"
    assert line["center_name"] == "ЦОН 2" and line["start"] == at(day, 11)
    assert iin not in made.text

    moved = api.client.post(f"/api/v1/callcentre/bookings/{line['code']}/reschedule",
                            headers=api.auth(cc),
                            json={"iin": iin, **CHECKED, "start": at(day, 12)})
    assert moved.status_code == 200, moved.text
    assert moved.json()["start"] == at(day, 12) and moved.json()["channel"] == "call_centre"

    async def contacts() -> list[tuple[str | None, str]]:
        from kezek.store.db import make_engine, make_sessionmaker

        engine = make_engine(api.url)
        try:
            async with make_sessionmaker(engine)() as s:
                rows = (await s.scalars(select(BookingContactRow))).all()
                return [(r.email, r.lang) for r in rows]
        finally:
            await engine.dispose()

    assert asyncio.run(contacts()) == [("caller@example.kz", "kk")] * 2

    found = api.client.post("/api/v1/callcentre/lookup", json={"iin": iin, **CHECKED},
                            headers=api.auth(cc, "en"))
    lines = found.json()["bookings"]
    assert [(b["service"], b["status"], b["channel"]) for b in lines] == [
        ("05010001", "cancelled", "web"), ("01010001", "moved", "call_centre"),
        ("01010001", "active", "call_centre")]
    assert lines[-1]["service_name"] == "Issue of an identity card"
    wrong = api.client.post(f"/api/v1/callcentre/bookings/{lines[-1]['code']}/cancel",
                            headers=api.auth(cc),
                            json={"iin": random_iin(), **CHECKED})
    assert_error(wrong, 404, "not_found")
    bad_mail = api.client.post("/api/v1/callcentre/bookings", headers=api.auth(cc), json={
        "iin": random_iin(), **CHECKED, "service": "01010001", "center": api.centers["mixed"],
        "start": at(day, 13), "email": "nope"})
    assert_error(bad_mail, 422, "validation_error")


def test_advice_online_or_in_person(api: Api) -> None:
    cc = api.add_user("cc.bob", "call_centre")
    online = api.client.get("/api/v1/callcentre/advice?service=02010001&city=testcity",
                            headers=api.auth(cc, "en")).json()
    assert online["online"] and online["video"] and online["portal"] == "https://egov.kz"
    assert online["centres"] == [] and online["delivery"] == "online"
    paper = api.client.get("/api/v1/callcentre/advice?service=01010001",
                           headers=api.auth(cc, "ru")).json()
    assert not paper["online"] and paper["portal"] is None and paper["points"] == []
    assert [c["name"] for c in paper["centres"]] == ["ЦОН 1", "ЦОН 2"]
    privileged = api.client.get(
        "/api/v1/callcentre/advice?service=02010001&privilege=disability",
        headers=api.auth(cc)).json()
    assert [c["id"] for c in privileged["centres"]] == [api.centers["booking-only"]]
    assert privileged["centres"][0]["booking_only"] is True
    assert_error(api.client.get("/api/v1/callcentre/advice?service=99999999",
                                headers=api.auth(cc)), 404, "not_found")


def test_video_hours_slots_consultations(api: Api) -> None:
    ann = api.add_user("cc.ann", "call_centre")
    bob = api.add_user("cc.bob", "call_centre")
    day = next_weekday()
    published = _hours(api, ann, day, 10, 11, 20)
    assert published.status_code == 201, published.text
    hours = published.json()
    assert hours["slots"] == 3 and hours["starts_at"] == at(day, 10)
    assert_error(_hours(api, ann, day, 10, 12), 422, "validation_error")  # overlaps
    assert _hours(api, bob, day, 10, 11, 30).status_code == 201
    assert [h["id"] for h in api.client.get("/api/v1/video/hours",
                                            headers=api.auth(ann)).json()] == [hours["id"]]

    slots = api.client.get(f"/api/v1/video/slots?from={day}&days=1",
                           headers=api.auth(bob)).json()
    assert [(s["operator"], s["start"][11:16]) for s in slots] == [
        ("cc.ann", "10:00"), ("cc.bob", "10:00"), ("cc.ann", "10:20"), ("cc.bob", "10:30"),
        ("cc.ann", "10:40")]
    own = api.client.get(f"/api/v1/video/slots?from={day}&operator=me",
                         headers=api.auth(bob)).json()
    assert {s["operator"] for s in own} == {"cc.bob"} and len(own) == 2

    iin = random_iin()
    pick = slots[2]
    body = {"iin": iin, "hours_id": pick["hours_id"], "start": pick["start"],
            "service": "02010001", "lang": "kk"}
    made = api.client.post("/api/v1/video/consultations", headers=api.auth(bob), json=body)
    assert made.status_code == 201, made.text
    c = made.json()
    assert c["room"].startswith(BASE_DEFAULT + "/") and c["status"] == "scheduled"
    assert c["operator"] == "cc.ann" and c["start"] == at(day, 10, 20)
    assert iin not in made.text
    taken = api.client.post("/api/v1/video/consultations", headers=api.auth(ann, "ru"),
                            json={**body, "iin": random_iin()})
    assert "занято" in assert_error(taken, 409, "video_slot_taken")

    ann_list = api.client.get("/api/v1/video/consultations?mine=1", headers=api.auth(ann))
    assert [x["room"] for x in ann_list.json()] == [c["room"]]
    assert api.client.get("/api/v1/video/consultations?mine=1",
                          headers=api.auth(bob)).json() == []
    assert len(api.client.get("/api/v1/video/consultations?mine=0",
                              headers=api.auth(bob)).json()) == 1
    caller = api.client.post("/api/v1/callcentre/lookup", json={"iin": iin, **CHECKED},
                             headers=api.auth(bob)).json()
    assert [x["room"] for x in caller["consultations"]] == [c["room"]]

    cancelled = api.client.post(f"/api/v1/video/consultations/{c['id']}/cancel",
                                headers=api.auth(bob))
    assert cancelled.json()["status"] == "cancelled"
    assert_error(api.client.post(f"/api/v1/video/consultations/{c['id']}/cancel",
                                 headers=api.auth(bob)), 409, "invalid_state")
    assert_error(api.client.post("/api/v1/video/consultations/999999/cancel",
                                 headers=api.auth(bob)), 404, "not_found")
    again = api.client.get(f"/api/v1/video/slots?from={day}&days=1",
                           headers=api.auth(bob)).json()
    assert len(again) == 5
    late = api.client.post("/api/v1/video/consultations", headers=api.auth(bob), json={
        **body, "start": dt.datetime.combine(day, dt.time(10, 10), TZ).isoformat()})
    assert_error(late, 422, "outside_schedule")


def test_iin_never_in_a_query_string(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        if not path.startswith(("/api/v1/callcentre", "/api/v1/video")):
            continue
        for op in item.values():
            names = {p["name"] for p in op.get("parameters", [])}
            assert "iin" not in names, path
    assert "/api/v1/callcentre/lookup" in spec["paths"]
