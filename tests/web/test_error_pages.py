"""Errors as pages for browsers, as the JSON envelope for the API; the database's
overload and absence as 503 with a time to come back, never a 500.

The overload is real: a pool of one connection, held by the test, and a short pool
timeout. The absence is real too: a PostgreSQL URL on a port where nothing listens.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from kezek.api.app import create_app
from kezek.settings import Settings
from tests.web.conftest import WEB_IIN_KEY, WEB_SECRET

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def settings(url: str, **extra: object) -> Settings:
    return Settings(database_url=url, iin_key=WEB_IIN_KEY, secret_key=WEB_SECRET,
                    env="test", **extra)  # type: ignore[arg-type]


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan run, called in this test's event loop."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://kezek") as c:
            yield c


def assert_envelope(r: httpx.Response, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"]["code"] == code


def test_an_unknown_page_is_a_page_and_an_unknown_api_path_is_json(site) -> None:
    r = site.client.get("/no-such-page?lang=kk", headers=HTML)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Бет табылмады" in r.text and '<html lang="kk"' in r.text
    assert_envelope(site.client.get("/no-such-page", headers={"Accept": "application/json"}),
                    404, "not_found")
    assert_envelope(site.client.get("/api/v1/no-such-thing", headers=HTML), 404, "not_found")
    r = site.client.get("/bookings/cancel?lang=en", headers=HTML)  # a form's POST-only target
    assert r.status_code == 405 and "This page cannot be opened" in r.text


async def test_an_exhausted_pool_answers_busy(pg_url) -> None:
    app = create_app(settings(pg_url, db_pool_size=1, db_pool_timeout=0.2))
    async with running(app) as client:
        async with app.state.engine.connect() as held:  # the pool's only connection
            await held.exec_driver_sql("SELECT 1")
            r = await client.get("/api/v1/centers", headers={"Accept-Language": "kk"})
            assert_envelope(r, 503, "busy")
            assert r.headers["retry-after"] == "5" and "қайталап" in r.json()["error"]["message"]
            page = await client.get("/services", params={"q": "паспорт", "lang": "ru"},
                                    headers=HTML)
            assert page.status_code == 503 and page.headers["retry-after"] == "5"
            assert "Сейчас большая нагрузка" in page.text
        assert (await client.get("/api/v1/centers")).status_code == 200  # released: served


async def test_an_unreachable_database_answers_unavailable() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(settings(f"postgresql://kezek@127.0.0.1:{port}/kezek"))
    async with running(app) as client:
        assert (await client.get("/healthz")).status_code == 200  # alive all the same
        ready = await client.get("/readyz")
        assert_envelope(ready, 503, "not_ready")
        assert ready.headers["retry-after"] == "5"
        r = await client.post("/api/v1/bookings", headers={"Accept-Language": "en"}, json={
            "iin": "900101300017", "service": "01010001", "center": 1,
            "start": "2030-01-07T10:00:00+05:00", "channel": "web"})
        assert_envelope(r, 503, "unavailable")
        assert "900101300017" not in r.text
        page = await client.get("/services/01010001?lang=en", headers=HTML)
        assert page.status_code == 503 and "Temporarily unavailable" in page.text
