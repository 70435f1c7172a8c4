"""The waitlist over HTTP (error envelope in kk/ru/en, the IIN only in bodies) and the
`kezek jobs` commands."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from kezek.api.app import create_app
from kezek.app import catalog
from kezek.cli.jobs import jobs_app
from kezek.jobs.queue import make_jobs
from kezek.settings import get_settings
from kezek.store.db import make_engine, make_sessionmaker
from kezek.store.models import CenterExceptionRow
from kezek.store.models_jobs import WaitlistEntryRow
from tests.api.conftest import Api, assert_error, at, prepare, settings_for
from tests.conftest import next_weekday, random_iin

VEHICLE = "04010001"


@pytest.fixture
def wapi(db_url: str, tmp_path: Path) -> Iterator[Api]:
    centers = asyncio.run(prepare(db_url))
    settings = settings_for(db_url)
    app = create_app(settings)
    app.state.jobs = make_jobs(settings, tmp_path / "jobs.db")
    with TestClient(app) as client:
        yield Api(client, db_url, centers)


async def _short_day(url: str, center: int, day: dt.date) -> None:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s, s.begin():
            s.add(CenterExceptionRow(center_id=center, day=day, opens="09:00",
                                     closes="09:30", note="test"))
            await s.flush()
            await catalog.changed(s)
    finally:
        await engine.dispose()


def _fill(api: Api) -> tuple[dt.date, list[tuple[str, str]]]:
    day = next_weekday(days_ahead=2)
    asyncio.run(_short_day(api.url, api.centers["vehicle"], day))
    time.sleep(catalog.RECHECK_SECONDS + 0.1)  # the app's snapshot notices the change
    booked = []
    for hh, mm in ((9, 0), (9, 15)):
        iin = random_iin()
        r = api.book(iin, at(day, hh, mm), center="vehicle", service=VEHICLE)
        assert r.status_code == 201, r.text
        booked.append((iin, r.json()["code"]))
    return day, booked


def test_waitlist_over_http(wapi: Api) -> None:
    c = wapi.client
    vehicle = wapi.centers["vehicle"]
    day = next_weekday(days_ahead=2)
    body = {"service": VEHICLE, "center": vehicle, "day": day.isoformat()}
    free = c.post("/api/v1/waitlist", json={"iin": (w := random_iin()), **body},
                  headers=wapi.person(w, "kk"))
    assert "бос уақыт бар" in assert_error(free, 409, "waitlist_slots_free")

    day, booked = _fill(wapi)
    iin = random_iin()
    r = c.post("/api/v1/waitlist", json={"iin": iin, **body, "email": "w@example.kz"},
               headers=wapi.person(iin))
    assert r.status_code == 201, r.text
    entry = r.json()
    assert entry["status"] == "waiting" and entry["position"] == 1 and entry["offer"] is None
    assert entry["iin_masked"] == iin[:2] + "********" + iin[10:] and iin not in r.text
    again = c.post("/api/v1/waitlist", json={"iin": iin, **body},
                   headers=wapi.person(iin, "en"))
    assert "already on the waitlist" in assert_error(again, 409, "waitlist_already")
    other = random_iin()
    stranger = c.post(f"/api/v1/waitlist/{entry['code']}", json={"iin": other},
                      headers=wapi.person(other))
    assert_error(stranger, 404, "not_found")
    early = c.post(f"/api/v1/waitlist/{entry['code']}/accept", json={"iin": iin},
                   headers=wapi.person(iin, "ru"))
    assert "нет придержанного места" in assert_error(early, 409, "waitlist_no_offer")

    cancelled = c.post(f"/api/v1/bookings/{booked[0][1]}/cancel", json={"iin": booked[0][0]},
                       headers=wapi.person(booked[0][0]))
    assert cancelled.status_code == 200
    jobs = c.app.state.jobs  # type: ignore[attr-defined]
    assert jobs.huey.pending_count() >= 1  # seat_freed queued after the commit
    from kezek.jobs.run import run_due

    run_due(jobs)
    seen = c.post(f"/api/v1/waitlist/{entry['code']}", json={"iin": iin},
                  headers=wapi.person(iin)).json()
    assert seen["status"] == "offered" and seen["position"] is None
    assert seen["offer"]["start"] == at(day, 9) and seen["offer"]["held_until"]

    taken = wapi.book(random_iin(), at(day, 9), center="vehicle", service=VEHICLE)
    assert_error(taken, 409, "slot_full")
    accepted = c.post(f"/api/v1/waitlist/{entry['code']}/accept", json={"iin": iin},
                      headers=wapi.person(iin))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["code"] == seen["offer"]["booking_code"]
    assert accepted.json()["status"] == "active" and accepted.json()["start"] == at(day, 9)
    mine = c.post("/api/v1/bookings/search", json={"iin": iin}, headers=wapi.person(iin)).json()
    assert [b["code"] for b in mine] == [seen["offer"]["booking_code"]]
    left = c.post(f"/api/v1/waitlist/{entry['code']}/leave", json={"iin": iin},
                  headers=wapi.person(iin))
    assert_error(left, 409, "waitlist_no_offer")


def test_openapi_lists_the_waitlist_with_the_iin_in_bodies(wapi: Api) -> None:
    spec = wapi.client.get("/openapi.json").json()
    paths = [p for p in spec["paths"] if p.startswith("/api/v1/waitlist")]
    assert sorted(paths) == ["/api/v1/waitlist", "/api/v1/waitlist/{code}",
                             "/api/v1/waitlist/{code}/accept", "/api/v1/waitlist/{code}/leave"]
    for p in paths:
        assert all(prm["name"] != "iin" for op in spec["paths"][p].values()
                   for prm in op.get("parameters", []))


runner = CliRunner()


# The default queue file sits beside a SQLite database: there is none beside PostgreSQL.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_cli_run_due_offers_a_freed_seat(wapi: Api, monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    """`kezek jobs run-due` drains the queue the API wrote to (the same SQLite file)."""
    assert wapi.backend == "sqlite"
    from kezek.jobs.queue import default_path, jobs_for

    settings = settings_for(wapi.url)
    wapi.client.app.state.jobs = jobs_for(settings)  # type: ignore[attr-defined]
    wapi.client.app.state.jobs.huey.flush()  # type: ignore[attr-defined]
    day, booked = _fill(wapi)
    iin = random_iin()
    r = wapi.client.post("/api/v1/waitlist", json={
        "iin": iin, "service": VEHICLE, "center": wapi.centers["vehicle"],
        "day": day.isoformat()}, headers=wapi.person(iin))
    assert r.status_code == 201
    wapi.client.post(f"/api/v1/bookings/{booked[1][1]}/cancel", json={"iin": booked[1][0]},
                     headers=wapi.person(booked[1][0]))
    assert default_path(settings).exists()

    monkeypatch.setenv("KEZEK_DATABASE_URL", wapi.url)
    monkeypatch.setenv("KEZEK_IIN_KEY", settings.iin_key)
    get_settings.cache_clear()
    try:
        result = runner.invoke(jobs_app, ["run-due"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "queued" in result.stdout

    async def status() -> str | None:
        engine = make_engine(wapi.url)
        try:
            async with make_sessionmaker(engine)() as s:
                return await s.scalar(select(WaitlistEntryRow.status))
        finally:
            await engine.dispose()

    assert asyncio.run(status()) == "offered"


def test_cli_bad_input_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = runner.invoke(jobs_app, ["worker", "--workers", "0"])
    assert bad.exit_code == 1 and "between 1 and 32" in bad.output
    monkeypatch.setenv("KEZEK_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    get_settings.cache_clear()
    try:
        result = runner.invoke(jobs_app, ["run-due"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert result.output.startswith("error:") and len(result.output.strip().splitlines()) == 1
