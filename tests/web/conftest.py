"""The citizen pages under Starlette's test client, over a seeded SQLite database.

Pages are adapters over the same app layer that the storage tests run on both
backends, so these run on SQLite only: a truncated, seeded file per test.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import socket
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select

from kezek.api.app import create_app
from kezek.app import accounts
from kezek.app.actor import SYSTEM, Channel
from kezek.app.identity import policy_store
from kezek.app.network_io import import_network
from kezek.settings import Settings
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models import CenterRow, WindowRow
from tests.conftest import IN_CI, _truncate, seed

WEB_IIN_KEY = "web-test-iin-key-0123456789abcdef"
WEB_SECRET = "web-test-secret-key-0123456789abcdef"
IIN = "900101300017"
_TYPED_IIN = re.compile(r'(id="iin" name="iin" type="text") value="[^"]*"')


def outside_iin_field(text: str) -> str:
    """A page without the IIN field's value: a refused POST gives back what was typed
    there (issue 13, no-store); an IIN anywhere else on a page is a leak."""
    return _TYPED_IIN.sub(r"\1", text)
SELF_SERVICE = {"self_service_points": [{
    "slug": "test-ssp-employment", "city": "testcity",
    "names": {"kk": "Жұмыспен қамту бөлімі", "ru": "Отдел занятости",
              "en": "Employment department"},
    "address": {"kk": "Абай көшесі, 1", "ru": "ул. Абая, 1", "en": "1 Abai Street"},
    "hours": {d: ["09:00", "18:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
}]}
STAFF_PASSWORD = "correct-horse-battery"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
T = TypeVar("T")
CSRF_INPUT = re.compile(r'name="csrf" value="([^"]+)"')


async def prepare(url: str, identity: str = "none") -> dict[str, int]:
    """Empties the database, seeds the test network and a self-service point.

    The page tests of booking, look-up and the floor run the network on the IIN alone
    (`identity: none`); the code step that the default `otp` puts before every personal
    action is tested in test_identity_pages.py and test_identity_browser.py."""
    await _truncate(url)
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        await seed(sm)
        async with unit_of_work(sm) as s:
            await import_network(s, SELF_SERVICE, SYSTEM, Channel.CLI)
            await policy_store.change(s, {"mode": identity}, SYSTEM, Channel.CLI)
            rows = (await s.execute(select(CenterRow.slug, CenterRow.id))).all()
        return {slug: cid for slug, cid in rows}
    finally:
        await engine.dispose()


def web_settings(url: str, clock_at: dt.datetime | None = None) -> Settings:
    return Settings(database_url=url, iin_key=WEB_IIN_KEY, secret_key=WEB_SECRET, env="test",
                    default_lang="ru", clock_at=clock_at)


@dataclass
class Site:
    client: TestClient
    centers: dict[str, int]

    def csrf(self, html: str) -> str:
        found = CSRF_INPUT.search(html)
        assert found, "the page has no CSRF field"
        return found.group(1)


def run_async(fn: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
    """Runs a coroutine to the end in its own thread, whatever loop this thread runs
    (Playwright's sync API keeps one running in the main thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(fn(*args))).result()


@pytest.fixture
def seeded_url(sqlite_url: str) -> Iterator[tuple[str, dict[str, int]]]:
    centers = run_async(prepare, sqlite_url)
    yield sqlite_url, centers


@pytest.fixture
def site(seeded_url: tuple[str, dict[str, int]]) -> Iterator[Site]:
    url, centers = seeded_url
    with TestClient(create_app(web_settings(url))) as client:
        yield Site(client, centers)


async def _add_staff(url: str, username: str, role: str, centres: list[int]) -> None:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await accounts.create_user(s, username, STAFF_PASSWORD, role, centres,
                                       username.title(), SYSTEM, Channel.CLI)
    finally:
        await engine.dispose()


def add_staff(url: str, username: str, role: str, centres: list[int]) -> None:
    """A staff account in the seeded database, with the shared test password."""
    run_async(_add_staff, url, username, role, centres)


async def _windows(url: str, center_id: int) -> dict[int, int]:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            rows = (await s.execute(select(WindowRow.number, WindowRow.id).where(
                WindowRow.center_id == center_id))).all()
        return {number: wid for number, wid in rows}
    finally:
        await engine.dispose()


def window_ids(url: str, center_id: int) -> dict[int, int]:
    """Window number -> window id for a centre."""
    return run_async(_windows, url, center_id)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def base_url(seeded_url: tuple[str, dict[str, int]], request: pytest.FixtureRequest
             ) -> Iterator[str]:
    """A real uvicorn on loopback, in a background thread, over the seeded database.

    In a test that pins the clock (`pinned_clock`), the server is given that time the
    way a server of its own would be, by the KEZEK_CLOCK_AT setting (ADR 0024)."""
    url, _ = seeded_url
    at = (request.getfixturevalue("pinned_clock") if "pinned_clock" in request.fixturenames
          else None)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(web_settings(url, at)), host="127.0.0.1",
                                           port=port, log_level="warning", access_log=False,
                                           timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's chromium under Playwright; never a downloaded browser."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (make browser)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


PHONE = {"width": 390, "height": 844}


def pin_browser_clock(context: Any, at: dt.datetime) -> None:
    """The browser's own clock (`Date` in the pages' scripts: the kiosk's and the
    console's "today" and "updated at") starts at `at` and runs on, as the server's."""
    context.clock.install(time=at)


@contextmanager
def phone_page(browser: Any, **options: Any) -> Iterator[Any]:
    """A page on a phone-sized touch screen in its own context (cookies of its own),
    closed on exit; `options` add to or override the context's settings."""
    context = browser.new_context(**{"viewport": PHONE, "is_mobile": True, "has_touch": True,
                                     "locale": "ru-RU", "device_scale_factor": 1, **options})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def new_context(browser: Any) -> Iterator[Callable[[dict[str, int]], Any]]:
    """Browser contexts (separate cookie jars: the lobby screen, the desks), all closed
    at the end."""
    made: list[Any] = []

    def make(viewport: dict[str, int]) -> Any:
        context = browser.new_context(viewport=viewport, locale="ru-RU", device_scale_factor=1)
        made.append(context)
        return context

    try:
        yield make
    finally:
        for context in made:
            context.close()


def signed_in(context: Any, base_url: str, username: str, path: str,
              ready: str = '#live-status[data-state="on"]') -> Any:
    """Opens a live staff page: the sign-in form comes first and leads back to it, and
    the page is ready when `ready` shows (by default, its live stream connected).

    The page's script errors are collected in `page.script_errors`.
    """
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + path)
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(base_url + path)
    page.locator(ready).wait_for()
    page.script_errors = errors
    return page
