"""Operations: /metrics counts what happened, request ids go round, probes tell apart
alive from ready and never hang."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import time
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kezek.api.app import create_app
from kezek.core.errors import KezekError
from tests.api.conftest import Api, assert_error, at, prepare, settings_for
from tests.conftest import next_weekday, random_iin

TOKEN = "metrics-token-for-tests"
SCRAPE = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def ops_api(db_url: str) -> Iterator[Api]:
    centers = asyncio.run(prepare(db_url))
    with TestClient(create_app(settings_for(db_url, metrics_token=TOKEN))) as client:
        yield Api(client, db_url, centers)


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one series in a scrape (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        got = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if (line.startswith(name + "{") and got == labels) or (not labels and "{" not in line):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def scrape(api: Api) -> str:
    r = api.client.get("/metrics", headers=SCRAPE)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return r.text


def test_metrics_count_requests_bookings_and_refusals(ops_api: Api) -> None:
    api = ops_api
    before = scrape(api)
    start = at(next_weekday(), 10)
    iin = random_iin()
    assert api.book(iin, start).status_code == 201
    refused = api.book("123456789012", start, proof=False)
    assert refused.status_code == 422
    code = refused.json()["error"]["code"]
    looked = api.client.post("/api/v1/bookings/NOSUCH1", json={"iin": iin},
                             headers=api.person(iin))
    assert looked.status_code == 404, looked.text
    after = scrape(api)

    def moved(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert moved("kezek_bookings_total", channel="web") == 1
    assert moved("kezek_refusals_total", code=code) == 1
    assert moved("kezek_http_requests_total", method="POST", route="/api/v1/bookings",
                 status="201") == 1
    assert moved("kezek_http_requests_total", method="POST", route="/api/v1/bookings",
                 status="422") == 1
    assert moved("kezek_http_request_duration_seconds_count", method="POST",
                 route="/api/v1/bookings") == 2
    # Route templates only: no booking code, no IIN, no raw path in any label.
    assert "NOSUCH1" not in after and iin not in after and "123456789012" not in after
    assert 'route="/api/v1/bookings/{code}"' in after
    assert sample(after, "kezek_db_pool_size") >= 0
    assert "kezek_jobs_pending" in after and "kezek_sse_clients" in after


def test_a_refused_booking_is_not_counted_as_made(ops_api: Api) -> None:
    api = ops_api
    before = sample(scrape(api), "kezek_bookings_total", channel="web")
    r = api.book(random_iin(), at(next_weekday(), 3))  # the centre is closed at 3 am
    assert r.status_code >= 400
    assert sample(scrape(api), "kezek_bookings_total", channel="web") == before


def test_tickets_waiting_are_counted_per_centre(ops_api: Api) -> None:
    api = ops_api
    centre = api.centers["mixed"]
    door = api.add_user("door.ops", "door", [centre])
    r = api.client.post(f"/api/v1/centers/{centre}/arrivals", headers=api.auth(door),
                        json={"iin": random_iin(), "service": "01010001"})
    assert r.status_code == 201, r.text
    text = scrape(api)
    assert sample(text, "kezek_tickets_waiting", center=str(centre)) >= 1
    assert sample(text, "kezek_ticket_longest_wait_seconds", center=str(centre)) >= 0


def test_metrics_refused_without_the_token(ops_api: Api) -> None:
    assert_error(ops_api.client.get("/metrics"), 403, "forbidden")
    wrong = ops_api.client.get("/metrics", headers={"Authorization": "Bearer nope",
                                                    "Accept-Language": "kk"})
    assert "Метрикалар" in assert_error(wrong, 403, "forbidden")


def test_metrics_without_a_token_only_for_loopback(api: Api) -> None:
    # The test client's peer is "testclient", not a loopback address.
    assert_error(api.client.get("/metrics"), 403, "forbidden")


def test_request_id_round_trip(ops_api: Api) -> None:
    mine = str(uuid.uuid4())
    r = ops_api.client.get("/healthz", headers={"X-Request-ID": mine})
    assert r.headers["X-Request-ID"] == mine
    made = ops_api.client.get("/healthz").headers["X-Request-ID"]
    assert uuid.UUID(made) and made != mine
    # An invalid id (here an IIN) is replaced, never echoed.
    bad = ops_api.client.get("/healthz", headers={"X-Request-ID": "123456789012"})
    assert uuid.UUID(bad.headers["X-Request-ID"])

    r = ops_api.client.post("/api/v1/bookings", json={"iin": "1"},
                            headers={"X-Request-ID": mine})
    assert r.status_code == 422 and r.headers["X-Request-ID"] == mine


def test_envelope_log_line_carries_the_request_id(
        ops_api: Api, caplog: pytest.LogCaptureFixture) -> None:
    from asgi_correlation_id import CorrelationIdFilter

    app = ops_api.client.app

    @app.get("/boom-for-test")  # type: ignore[attr-defined, untyped-decorator]
    async def boom() -> None:
        raise RuntimeError("boom")

    caplog.handler.addFilter(CorrelationIdFilter())
    sent = str(uuid.uuid4())
    with caplog.at_level(logging.ERROR, logger="kezek.api"):
        r = TestClient(app, raise_server_exceptions=False).get(
            "/boom-for-test", headers={"X-Request-ID": sent})
    assert_error(r, 500, "internal_error")
    assert r.headers["X-Request-ID"] == sent  # the answer names the request to report
    logged = [rec for rec in caplog.records if rec.name == "kezek.api"]
    assert logged and all(getattr(rec, "correlation_id", None) == sent for rec in logged)


def test_healthz_touches_no_database_and_readyz_is_ready(ops_api: Api) -> None:
    assert ops_api.client.get("/healthz").json()["status"] == "ok"
    assert ops_api.client.get("/readyz").json()["status"] == "ready"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # closed again: nothing listens there


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_readyz_503_when_postgresql_is_absent(sqlite_url: str, lang: str) -> None:
    url = f"postgresql://postgres@127.0.0.1:{_free_port()}/kezek"
    with TestClient(create_app(settings_for(url))) as client:
        alive = client.get("/healthz")
        started = time.monotonic()
        r = client.get("/readyz", headers={"Accept-Language": lang})
        took = time.monotonic() - started
    assert alive.status_code == 200
    text = assert_error(r, 503, "not_ready")
    assert "database" in text and took < 3.0
    assert r.headers["Retry-After"]


def test_readyz_503_names_redis_when_nothing_listens(sqlite_url: str) -> None:
    settings = settings_for(sqlite_url, jobs_redis_url=f"redis://127.0.0.1:{_free_port()}/0")
    with TestClient(create_app(settings)) as client:
        r = client.get("/readyz")
    text = assert_error(r, 503, "not_ready")
    assert "jobs_redis" in text and "database" not in text


def test_refusal_codes_are_a_bounded_set() -> None:
    """Labels come from the domain's codes, never from the client's text."""
    codes = {cls.code for cls in KezekError.__subclasses__() if hasattr(cls, "code")}
    assert codes and all(re.fullmatch(r"[a-z_]+", c) for c in codes)
