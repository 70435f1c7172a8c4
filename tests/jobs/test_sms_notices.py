"""SMS notices for people who proved their number by a code (ADR 0020), over the real API,
the real job queue and a loopback SMS gateway that records what it is sent.

A booking proven by an SMS code is told by SMS, once, when staff cancel it, also after it
was moved; a waitlist offer and a ballot result reach the number likewise; a booking made
without a proof, or on a deployment without a gateway, gets none. The database, the proof
token and the logs never hold the number in clear.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import datetime as dt
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kezek.api.app import create_app
from kezek.app import catalog, sms_texts
from kezek.jobs import flows
from kezek.jobs.queue import Jobs, make_jobs
from kezek.jobs.run import run_due
from kezek.settings import Settings
from kezek.store.db import make_engine, make_sessionmaker
from kezek.store.models import Base, utcnow
from kezek.store.models_channels import BookingContactRow
from kezek.store.models_jobs import NotificationClaimRow
from tests import fake_gateway
from tests.api.conftest import Api, at, phone_of, prepare, settings_for
from tests.conftest import next_weekday, random_iin
from tests.fake_gateway import Recorder
from tests.jobs.test_api_cli import _short_day

VEHICLE = "04010001"
OTP = re.compile(r"\b(\d{6})\b")


@dataclasses.dataclass
class Sms:
    """The API with SMS configured, its queue, and the gateway's record."""

    api: Api
    gateway: Recorder
    jobs: Jobs
    settings: Settings
    otps: set[str] = dataclasses.field(default_factory=set)

    def prove(self, iin: str) -> str:
        """A proof got by a code that came by SMS to the person's number (bound on first
        use), used by `api.book` and `api.person` from then on."""
        c = self.api.client
        sent = c.post("/api/v1/identity/code", json={"iin": iin, "phone": phone_of(iin)})
        assert sent.status_code == 201, sent.text
        body = sent.json()
        assert body["channel"] == "sms" and body["dev_code"] is None
        text = [m["text"] for _, _, m in self.gateway.seen if m["to"] == phone_of(iin)][-1]
        self.otps.add(text)
        match = OTP.search(text)
        assert match is not None
        got = c.post("/api/v1/identity/verify", json={"challenge": body["challenge"],
                                                      "code": match.group(1)})
        assert got.status_code == 200, got.text
        token = str(got.json()["token"])
        self.api._proofs[iin] = token
        return token

    def notices(self) -> list[tuple[str, str]]:
        """(number, text) of every SMS that was not a code."""
        return [(m["to"], m["text"]) for _, _, m in self.gateway.seen
                if m["text"] not in self.otps]

    def run(self, minutes: int = 0, at: dt.datetime | None = None) -> None:
        run_due(self.jobs, (at or utcnow()) + dt.timedelta(minutes=minutes))

    def cancel_by_staff(self, *codes: str) -> Any:
        r = self.api.client.post("/api/v1/abuse/cancel", headers=self.api.auth(), json={
            "codes": list(codes), "reason": "resale"})
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def gateway() -> Iterator[Recorder]:
    server = fake_gateway.start({"*": (202, {"id": "m1"})})
    yield server
    fake_gateway.stop(server)


@contextlib.contextmanager
def sms_api(db_url: str, jobs_file: Path, gateway: Recorder, **overrides: Any
            ) -> Iterator[Sms]:
    """The API with the gateway configured (and `overrides`), over a seeded database."""
    centers = asyncio.run(prepare(db_url))
    settings = settings_for(db_url, sms_url=gateway.url + "/sms", sms_token="sms-secret",
                            public_url="https://kezek.test", **overrides)
    app = create_app(settings)
    jobs = app.state.jobs = make_jobs(settings, jobs_file)
    with TestClient(app) as client:
        yield Sms(Api(client, db_url, centers), gateway, jobs, settings)


@pytest.fixture
def sms(db_url: str, tmp_path: Path, gateway: Recorder) -> Iterator[Sms]:
    with sms_api(db_url, tmp_path / "jobs.db", gateway) as world:
        yield world


def rows(url: str, model: Any = None) -> list[tuple[Any, ...]]:
    """Every row of one table, or of every table (to look for a number in clear)."""
    async def read() -> list[tuple[Any, ...]]:
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as s:
                tables = [model.__table__] if model is not None else \
                    Base.metadata.sorted_tables
                out: list[tuple[Any, ...]] = []
                for table in tables:
                    out += [tuple(r) for r in (await s.execute(select(table))).all()]
                return out
        finally:
            await engine.dispose()
    return asyncio.run(read())


def assert_nowhere_in_clear(phone: str, *places: str) -> None:
    """Neither the number nor its last seven digits (a number's own part) appear."""
    for place in places:
        assert phone[1:] not in place and phone[-7:] not in place


def token_payload(token: str) -> str:
    """The readable part of a `kzp.` token (itsdangerous: base64 JSON, then signature)."""
    body = token[len("kzp."):].split(".")[0]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("utf-8", "replace")


def test_a_staff_cancel_reaches_the_proven_number_once(sms: Sms,
                                                       caplog: pytest.LogCaptureFixture
                                                       ) -> None:
    caplog.set_level(logging.INFO)
    api = sms.api
    iin = random_iin()
    phone = phone_of(iin)
    token = sms.prove(iin)
    assert_nowhere_in_clear(phone, token, token_payload(token))
    day = next_weekday(days_ahead=3)
    proven = api.book(iin, at(day, 10), headers={"Accept-Language": "kk"})
    assert proven.status_code == 201, proven.text
    # The door books for a person standing there: no proof, no number to keep.
    walk_in = api.book(random_iin(), at(day, 10, 15), proof=False, headers=api.auth(),
                       channel="door")
    assert walk_in.status_code == 201, walk_in.text
    sms.run()
    assert sms.notices() == []  # no reminder planned, none sent: SMS reminders are off
    done = sms.cancel_by_staff(proven.json()["code"], walk_in.json()["code"])
    assert len(done["cancelled"]) == 2
    sms.run()
    sms.cancel_by_staff(proven.json()["code"], walk_in.json()["code"])  # again: unchanged
    sms.run(minutes=5)
    (to, text), = sms.notices()
    code = proven.json()["code"]
    assert to == phone and f"{code[:4]}-{code[4:]}" in text
    assert "ХҚО қызметкері" in text and f"{day:%d.%m} 10:00" in text
    assert len(text) <= sms_texts.LIMIT
    contacts = rows(api.url, BookingContactRow)
    assert len(contacts) == 1 and contacts[0][3]  # the proven booking's, sealed
    claims = [(r[1], r[3], r[5] is not None, r[6])
              for r in rows(api.url, NotificationClaimRow) if r[2] == "staff_cancel"]
    assert claims == [(contacts[0][0], "sms", True, None)]  # sent, once
    assert_nowhere_in_clear(phone, repr(rows(api.url)), caplog.text)
    assert caplog.records  # the check above read real log lines


def test_a_moved_booking_keeps_its_number(sms: Sms) -> None:
    api = sms.api
    iin = random_iin()
    sms.prove(iin)
    day = next_weekday(days_ahead=3)
    first = api.book(iin, at(day, 11))
    assert first.status_code == 201, first.text
    moved = api.client.post(f"/api/v1/bookings/{first.json()['code']}/reschedule",
                            json={"iin": iin, "start": at(day, 12)}, headers=api.person(iin))
    assert moved.status_code == 200, moved.text
    sms.cancel_by_staff(moved.json()["code"])
    sms.run()
    (to, text), = sms.notices()
    new = moved.json()["code"]
    assert to == phone_of(iin) and f"{new[:4]}-{new[4:]}" in text and "12:00" in text


def test_a_waitlist_offer_reaches_the_proven_number(sms: Sms) -> None:
    api = sms.api
    vehicle = api.centers["vehicle"]
    day = next_weekday(days_ahead=2)
    asyncio.run(_short_day(api.url, vehicle, day))
    time.sleep(catalog.RECHECK_SECONDS + 0.1)  # the app's snapshot notices the shorter day
    booked = []
    for hh, mm in ((9, 0), (9, 15)):
        iin = random_iin()
        sms.prove(iin)
        r = api.book(iin, at(day, hh, mm), center="vehicle", service=VEHICLE)
        assert r.status_code == 201, r.text
        booked.append((iin, r.json()["code"]))
    waiting = random_iin()
    sms.prove(waiting)
    joined = api.client.post("/api/v1/waitlist", json={
        "iin": waiting, "service": VEHICLE, "center": vehicle, "day": day.isoformat()},
        headers=api.person(waiting, "ru"))
    assert joined.status_code == 201, joined.text
    iin, code = booked[0]
    left = api.client.post(f"/api/v1/bookings/{code}/cancel", json={"iin": iin},
                           headers=api.person(iin))
    assert left.status_code == 200, left.text
    sms.run()
    sms.run(minutes=1)  # the sweep finds the offer told already
    (to, text), = sms.notices()
    entry = joined.json()["code"]
    assert to == phone_of(waiting) and f"{entry[:4]}-{entry[4:]}" in text
    assert "держим до" in text and f"{day:%d.%m} 09:00" in text
    assert f"https://kezek.test/waitlist/{entry}" in text and len(text) <= sms_texts.LIMIT
    assert_nowhere_in_clear(phone_of(waiting), repr(rows(api.url)))


def test_a_ballot_result_reaches_the_proven_number(sms: Sms, pinned_clock: dt.datetime
                                                   ) -> None:
    now = pinned_clock  # a morning in the centres' zone: the ballot window fits in today
    api = sms.api
    opened = (now - dt.timedelta(minutes=5)).strftime("%H:%M")
    policy = api.client.put("/api/v1/policy", headers=api.auth(),
                            json={"release_time": opened, "ballot_minutes": 60})
    assert policy.status_code == 200, policy.text
    vehicle = api.centers["vehicle"]
    horizon = api.client.get(f"/api/v1/centers/{vehicle}").json()["horizon_days"]
    day = now.date() + dt.timedelta(days=horizon)
    start = at(day, 10 if day.weekday() < 6 else 11)
    iin = random_iin()
    sms.prove(iin)
    entered = api.client.post("/api/v1/ballot", headers=api.person(iin, "en"), json={
        "iin": iin, "center": vehicle, "day": day.isoformat(), "service": VEHICLE,
        "choices": [start]})
    assert entered.status_code == 201, entered.text
    closed = api.client.put("/api/v1/policy", headers=api.auth(),
                            json={"release_time": opened, "ballot_minutes": 1})
    assert closed.status_code == 200, closed.text
    sms.run(minutes=1)  # the sweep draws the closed ballot and tells the result
    sms.run(minutes=2)
    (to, text), = sms.notices()
    assert to == phone_of(iin) and text.startswith("Ballot: you have a place")
    assert dt.datetime.fromisoformat(start).strftime("%d.%m %H:%M") in text
    assert len(text) <= sms_texts.LIMIT


def test_a_refused_gateway_gives_the_claim_back(sms: Sms, caplog: pytest.LogCaptureFixture
                                                ) -> None:
    caplog.set_level(logging.INFO)
    api = sms.api
    iin = random_iin()
    sms.prove(iin)
    proven = api.book(iin, at(next_weekday(days_ahead=3), 10))
    assert proven.status_code == 201, proven.text
    port = sms.gateway.server_address[1]
    fake_gateway.stop(sms.gateway)  # the connection is refused now
    sms.cancel_by_staff(proven.json()["code"])
    sms.run()
    assert [r for r in rows(api.url, NotificationClaimRow)] == []  # released
    back = fake_gateway.start({"*": (202, {})}, port)
    try:
        async def again(sm: Any) -> int:
            return await flows.send_cancel_notice(sm, sms.settings, booking_id, "resale",
                                                  utcnow())
        booking_id = rows(api.url, BookingContactRow)[0][0]
        assert asyncio.run(flows.with_db(sms.settings, again)) == 1
        (_, _, message), = back.seen
        assert message["to"] == phone_of(iin)
    finally:
        fake_gateway.stop(back)
    assert "not sent" in caplog.text
    assert_nowhere_in_clear(phone_of(iin), caplog.text)


def test_no_gateway_no_number_kept(db_url: str, tmp_path: Path, gateway: Recorder) -> None:
    """A proof by SMS used on a deployment that sends no SMS notices (the same database,
    KEZEK_SMS_URL unset): the booking keeps no number, and staff cancel it in silence."""
    centers = asyncio.run(prepare(db_url))
    with_sms = settings_for(db_url, sms_url=gateway.url + "/sms")
    app = create_app(with_sms)
    app.state.jobs = make_jobs(with_sms, tmp_path / "a.db")
    iin = random_iin()
    with TestClient(app) as client:
        first = Sms(Api(client, db_url, centers), gateway, app.state.jobs, with_sms)
        token = first.prove(iin)
    without = settings_for(db_url)
    app = create_app(without)
    jobs = app.state.jobs = make_jobs(without, tmp_path / "b.db")
    with TestClient(app) as client:
        plain = Sms(Api(client, db_url, centers), gateway, jobs, without, first.otps)
        plain.api._proofs[iin] = token
        booked = plain.api.book(iin, at(next_weekday(days_ahead=3), 10))
        assert booked.status_code == 201, booked.text
        plain.cancel_by_staff(booked.json()["code"])
        plain.run()
    assert rows(db_url, BookingContactRow) == [] and plain.notices() == []


@pytest.mark.parametrize("on", [False, True])
def test_reminders_by_sms_only_where_the_network_turns_them_on(
        db_url: str, tmp_path: Path, gateway: Recorder, on: bool) -> None:
    with sms_api(db_url, tmp_path / "jobs.db", gateway, sms_reminders=on) as sms:
        iin = random_iin()
        sms.prove(iin)
        start = at(next_weekday(days_ahead=3), 10)
        booked = sms.api.book(iin, start, headers={"Accept-Language": "en"})
        assert booked.status_code == 201, booked.text
        hour_before = dt.datetime.fromisoformat(start) - dt.timedelta(minutes=59)
        sms.run(at=hour_before)
        sms.run(at=hour_before, minutes=1)
        if not on:
            assert sms.notices() == []
            return
        (to, text), = sms.notices()
        code = booked.json()["code"]
        assert to == phone_of(iin) and text.startswith("In an hour: booking")
        assert f"{code[:4]}-{code[4:]}" in text and len(text) <= sms_texts.LIMIT
