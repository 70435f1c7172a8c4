"""The abuse API over SQLite and PostgreSQL: bookings grouped by phone, address and
network per day, bulk cancel through the normal cancel path, and the channel labels."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kezek.api.app import create_app
from kezek.store.db import make_engine, make_sessionmaker
from kezek.store.models import AuditRow, BookingRow
from tests.api.conftest import TZ, Api, assert_error, at, prepare, settings_for
from tests.conftest import next_weekday, random_iin

PROXY = "127.0.0.1"


@pytest.fixture
def aapi(db_url: str) -> Iterator[Api]:
    """The API behind a trusted proxy (our loopback peer), so each request's address is
    the X-Forwarded-For it sends; throttling is off (these tests are about the view)."""
    centers = asyncio.run(prepare(db_url))
    app = create_app(settings_for(db_url, trusted_proxies=[PROXY], throttle=False))
    with TestClient(app, client=(PROXY, 50000)) as client:
        yield Api(client, db_url, centers)


def prove(api: Api, iin: str, phone: str) -> str:
    """A proof for the IIN through the code sent to `phone` (bound on first use)."""
    sent = api.client.post("/api/v1/identity/code", json={"iin": iin, "phone": phone})
    assert sent.status_code == 201, sent.text
    got = api.client.post("/api/v1/identity/verify", json={
        "challenge": sent.json()["challenge"], "code": sent.json()["dev_code"]})
    assert got.status_code == 200, got.text
    token: str = got.json()["token"]
    return token


def book_from(api: Api, addr: str, phone: str, start: str, center: str = "mixed",
              iin: str | None = None) -> dict[str, Any]:
    iin = iin or random_iin()
    token = prove(api, iin, phone)
    r = api.client.post("/api/v1/bookings", json={
        "iin": iin, "service": "01010001", "center": api.centers[center], "start": start},
        headers={"Authorization": f"Bearer {token}", "X-Forwarded-For": addr})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def today() -> dt.date:
    return dt.datetime.now(TZ).date()


def hoard(api: Api) -> dict[str, list[str]]:
    """Three bookings through one phone from one /24 (two addresses), one elsewhere."""
    day = next_weekday()
    phone = "+77011112233"
    codes = [book_from(api, addr, phone, at(day, 10, mm))["code"]
             for addr, mm in (("10.1.1.5", 0), ("10.1.1.5", 15), ("10.1.1.6", 30))]
    other = book_from(api, "192.0.2.9", "+77019998877", at(day, 11))["code"]
    return {"hoard": codes, "other": [other]}


def summary(api: Api, by: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
    return api.client.get("/api/v1/abuse/summary",
                          params={"day": today().isoformat(), "by": by, **params},
                          headers=api.auth() if headers is None else headers)


def test_origin_is_kept_in_columns(aapi: Api) -> None:
    booked = hoard(aapi)

    async def read() -> list[BookingRow]:
        engine = make_engine(aapi.url)
        try:
            async with make_sessionmaker(engine)() as s:
                return list((await s.scalars(select(BookingRow).where(
                    BookingRow.code.in_(booked["hoard"])))).all())
        finally:
            await engine.dispose()

    rows = asyncio.run(read())
    assert {r.origin_addr for r in rows} == {"10.1.1.5", "10.1.1.6"}
    assert {r.origin_net for r in rows} == {"10.1.1.0/24"}
    assert len({r.origin_phone for r in rows}) == 1
    phone = rows[0].origin_phone
    assert phone is not None and len(phone) == 16 and "7011112233" not in phone
    assert {r.made_on for r in rows} == {today()}


def test_summary_groups_a_day_by_phone_address_and_prefix(aapi: Api) -> None:
    booked = hoard(aapi)
    by_phone = summary(aapi, "phone")
    assert by_phone.status_code == 200, by_phone.text
    groups = by_phone.json()["groups"]
    assert [g["bookings"] for g in groups] == [3, 1]
    top = groups[0]
    assert top["people"] == 3 and top["active"] == 3 and top["centres"] == 1
    assert len(top["label"]) == 8 and top["key"].startswith(top["label"])
    assert [i["code"] for i in top["items"]] == booked["hoard"]  # in the order made
    assert {i["status"] for i in top["items"]} == {"active"}
    assert top["items"][0]["start"].endswith("+05:00")
    assert "7011112233" not in by_phone.text and "+7701" not in by_phone.text

    by_addr = summary(aapi, "address").json()["groups"]
    assert [(g["key"], g["bookings"]) for g in by_addr] == [
        ("10.1.1.5", 2), ("10.1.1.6", 1), ("192.0.2.9", 1)]
    by_prefix = summary(aapi, "prefix").json()["groups"]
    assert [(g["key"], g["bookings"]) for g in by_prefix] == [
        ("10.1.1.0/24", 3), ("192.0.2.0/24", 1)]
    assert summary(aapi, "prefix", top=1).json()["groups"][0]["key"] == "10.1.1.0/24"
    assert summary(aapi, "phone", detail=0).json()["groups"][0]["items"] == []
    first_two = summary(aapi, "phone", detail=2).json()["groups"]
    assert [i["code"] for i in first_two[0]["items"]] == booked["hoard"][:2]
    assert first_two[0]["bookings"] == 3 and len(first_two[1]["items"]) == 1
    other_day = aapi.client.get("/api/v1/abuse/summary", headers=aapi.auth(), params={
        "day": (today() - dt.timedelta(days=1)).isoformat(), "by": "phone"})
    assert other_day.json()["groups"] == []


def test_summary_is_for_admins_and_managers_of_their_centres(aapi: Api) -> None:
    hoard(aapi)
    assert_error(summary(aapi, "phone", headers={}), 401, "unauthorized")
    operator = aapi.add_user("olga.operator", "operator", [aapi.centers["mixed"]])
    assert_error(summary(aapi, "phone", headers=aapi.auth(operator)), 403, "forbidden")
    mine = aapi.add_user("marat.manager", "manager", [aapi.centers["mixed"]])
    other = aapi.add_user("nurlan.manager", "manager", [aapi.centers["vehicle"]])
    assert [g["bookings"] for g in summary(aapi, "phone", headers=aapi.auth(mine))
            .json()["groups"]] == [3, 1]
    assert summary(aapi, "phone", headers=aapi.auth(other)).json()["groups"] == []
    assert_error(summary(aapi, "phone", headers=aapi.auth(other),
                         center=aapi.centers["mixed"]), 403, "forbidden")
    assert [g["bookings"] for g in summary(aapi, "phone", center=aapi.centers["mixed"])
            .json()["groups"]] == [3, 1]
    assert summary(aapi, "phone", center=aapi.centers["vehicle"]).json()["groups"] == []


@pytest.mark.parametrize("lang,word", [("kk", "Деректер"), ("ru", "Неверные"),
                                       ("en", "Invalid")])
def test_bad_summary_input_is_a_4xx_envelope(aapi: Api, lang: str, word: str) -> None:
    headers = aapi.auth(lang=lang)
    for params in ({"day": "2026-13-01", "by": "phone"}, {"day": today().isoformat(),
                                                          "by": "iin"},
                   {"by": "phone"}, {"day": today().isoformat(), "top": 0}):
        r = aapi.client.get("/api/v1/abuse/summary", params=params, headers=headers)
        assert word in assert_error(r, 422, "validation_error")


def _audit(url: str, action: str) -> list[AuditRow]:
    async def read() -> list[AuditRow]:
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as s:
                return list((await s.scalars(select(AuditRow).where(
                    AuditRow.action == action).order_by(AuditRow.id))).all())
        finally:
            await engine.dispose()
    return asyncio.run(read())


def test_bulk_cancel_of_a_group_frees_the_seats_once(aapi: Api) -> None:
    booked = hoard(aapi)
    key = summary(aapi, "phone").json()["groups"][0]["key"]
    body = {"day": today().isoformat(), "by": "phone", "key": key, "reason": "hoard",
            "note": "reseller, IIN 900101300017 called us"}
    r = aapi.client.post("/api/v1/abuse/cancel", json=body, headers=aapi.auth())
    assert r.status_code == 200, r.text
    out = r.json()
    assert sorted(c["code"] for c in out["cancelled"]) == sorted(booked["hoard"])
    assert {c["status"] for c in out["cancelled"]} == {"cancelled"}
    assert out["unchanged"] == [] and out["not_found"] == []
    # The seats are free again: the first of them is booked by someone else at once.
    day = next_weekday()
    again = book_from(aapi, "198.51.100.7", "+77015556677", at(day, 10))
    assert again["code"] not in booked["hoard"]
    # Each cancellation is audited with the admin and the reason; the note is redacted.
    rows = [a for a in _audit(aapi.url, "booking.cancel") if a.entity_id in booked["hoard"]]
    assert len(rows) == 3 and {a.actor for a in rows} == {"root.admin"}
    assert {a.channel for a in rows} == {"api"}
    assert all(a.details["reason"] == "hoard" and a.details["group"]["key"] == key
               and "900101300017" not in a.details["note"] for a in rows)
    # Again: nothing more is cancelled, and the answer says what was already closed.
    second = aapi.client.post("/api/v1/abuse/cancel", json=body, headers=aapi.auth()).json()
    assert second["cancelled"] == []
    assert sorted(c["code"] for c in second["unchanged"]) == sorted(booked["hoard"])
    assert len([a for a in _audit(aapi.url, "booking.cancel")
                if a.entity_id in booked["hoard"]]) == 3
    # The other booking of the day (and the new one) were left alone.
    groups = summary(aapi, "phone").json()["groups"]
    assert sorted((g["bookings"], g["active"]) for g in groups) == [(1, 1), (1, 1), (3, 0)]


def test_bulk_cancel_by_codes_within_the_managers_centres(aapi: Api) -> None:
    booked = hoard(aapi)
    vehicle_manager = aapi.add_user("vera.manager", "manager", [aapi.centers["vehicle"]])
    codes = [*booked["hoard"][:2], "NOSUCH22"]
    body = {"codes": codes, "reason": "resale"}
    theirs = aapi.client.post("/api/v1/abuse/cancel", json=body,
                              headers=aapi.auth(vehicle_manager)).json()
    assert theirs["cancelled"] == [] and len(theirs["not_found"]) == 3  # not their centre
    manager = aapi.add_user("mira.manager", "manager", [aapi.centers["mixed"]])
    r = aapi.client.post("/api/v1/abuse/cancel", json=body, headers=aapi.auth(manager))
    assert r.status_code == 200, r.text
    assert sorted(c["code"] for c in r.json()["cancelled"]) == sorted(booked["hoard"][:2])
    assert r.json()["not_found"] == ["NOSUCH22"]
    rows = [a for a in _audit(aapi.url, "booking.cancel") if a.entity_id in codes]
    assert {a.actor for a in rows} == {"mira.manager"}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_bad_cancel_input_is_a_4xx_envelope(aapi: Api, lang: str) -> None:
    headers = aapi.auth(lang=lang)
    day = today().isoformat()
    for body, code in (({"reason": "hoard"}, "validation_error"),
                       ({"codes": ["ABCD2345"], "day": day, "by": "phone", "key": "x",
                         "reason": "hoard"}, "validation_error"),
                       ({"codes": ["ABCD2345"], "reason": "because"}, "validation_error"),
                       ({"codes": ["ABCD2345"], "reason": "hoard", "iin": "x"},
                        "validation_error"),
                       ({"day": day, "by": "phone", "reason": "hoard"}, "validation_error")):
        r = aapi.client.post("/api/v1/abuse/cancel", json=body, headers=headers)
        message = assert_error(r, 422, code)
        assert message
    operator = aapi.add_user("oleg.operator", "operator", [aapi.centers["mixed"]])
    assert_error(aapi.client.post("/api/v1/abuse/cancel", headers=aapi.auth(operator),
                                  json={"codes": ["ABCD2345"], "reason": "hoard"}),
                 403, "forbidden")


def test_channels_are_labelled_by_the_server(aapi: Api) -> None:
    """`bot` is the bot's own; `door` is staff in person at their own centre."""
    start = at(next_weekday(), 12)
    iin = random_iin()
    assert_error(aapi.book(iin, start, channel="bot", proof=False), 403, "forbidden")
    assert_error(aapi.book(iin, start, channel="bot"), 403, "forbidden")
    elsewhere = aapi.add_user("dana.door", "door", [aapi.centers["vehicle"]])
    assert_error(aapi.book(iin, start, channel="door", headers=aapi.auth(elsewhere)),
                 403, "forbidden")
    manager = aapi.add_user("mukhtar.manager", "manager", [aapi.centers["vehicle"]])
    assert_error(aapi.book(iin, start, channel="door", headers=aapi.auth(manager)),
                 403, "forbidden")
    here = aapi.add_user("dias.door", "door", [aapi.centers["mixed"]])
    r = aapi.book(iin, start, channel="door", headers=aapi.auth(here))
    assert r.status_code == 201, r.text
    assert r.json()["channel"] == "door"
    # Moving it to another centre's time at the door is refused the same way.
    moved = aapi.client.post(f"/api/v1/bookings/{r.json()['code']}/reschedule",
                             headers=aapi.auth(here), json={
                                 "iin": iin, "start": at(next_weekday(), 13),
                                 "center": aapi.centers["booking-only"], "channel": "door"})
    assert_error(moved, 403, "forbidden")


def test_the_export_masks_addresses(aapi: Api) -> None:
    booked = hoard(aapi)
    r = aapi.client.get("/api/v1/abuse/export", headers=aapi.auth(),
                        params={"day": today().isoformat(), "by": "address"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().splitlines()
    assert lines[0] == "group,bookings,code,center,start,status,channel"
    assert len(lines) == 1 + 4
    assert "10.1.1.5" not in r.text and "192.0.2.9" not in r.text
    assert lines[1].startswith("10.1.1.x,2,") and booked["hoard"][0] in lines[1]
    by_phone = aapi.client.get("/api/v1/abuse/export", headers=aapi.auth(),
                               params={"day": today().isoformat(), "by": "phone"})
    assert all(len(line.split(",")[0]) == 8 for line in by_phone.text.strip().splitlines()[1:])
    assert_error(aapi.client.get("/api/v1/abuse/export", params={"day": "x"},
                                 headers=aapi.auth(lang="kk")), 422, "validation_error")
