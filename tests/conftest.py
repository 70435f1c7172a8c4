"""Shared fixtures: a real SQLite file and a real PostgreSQL database per test run.

Each backend gets a fresh, migrated database for the session and its tables are
emptied before each test. Under CI a missing PostgreSQL is a failure, not a skip.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kezek import clock
from kezek.app.actor import SYSTEM, Channel
from kezek.app.network_io import import_network
from kezek.app.registry import import_services
from kezek.core.registry_io import services_from_records
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.migrate import upgrade
from kezek.store.models import Base

# Jobs queued by the tests (reminders, waitlist offers) go to a scratch queue file, never
# to the developer's ./var/jobs.db, unless a test sets up a queue of its own.
os.environ.setdefault("KEZEK_JOBS_FILE", os.path.join(
    os.environ.get("TMPDIR", "/tmp"), f"kezek-test-jobs-{os.getpid()}.db"))

# No quiet hours unless a test sets them: offers made by tests at the real time of day must
# not wait for the morning when the suite runs at night (tests/jobs/test_quiet_hours.py).
os.environ.setdefault("KEZEK_QUIET_HOURS", "")

PG_ADMIN = os.environ.get("KEZEK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
IIN_KEY = b"test-iin-key"


def _pg_available() -> str | None:
    import asyncpg

    async def probe() -> None:
        conn = await asyncpg.connect(PG_ADMIN.replace("postgresql://", "postgres://"), timeout=3)
        await conn.close()

    try:
        asyncio.run(probe())
        return None
    except Exception as exc:
        return f"PostgreSQL at {PG_ADMIN} not reachable: {exc}"


def _create_pg_db() -> tuple[str, str]:
    import asyncpg

    name = f"kezek_test_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        conn = await asyncpg.connect(PG_ADMIN.replace("postgresql://", "postgres://"))
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()

    asyncio.run(create())
    base = PG_ADMIN.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def _drop_pg_db(name: str) -> None:
    import asyncpg

    async def drop() -> None:
        conn = await asyncpg.connect(PG_ADMIN.replace("postgresql://", "postgres://"))
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    asyncio.run(drop())


@contextmanager
def empty_pg_db() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; skips the test without a
    server, except in CI, where a missing server is a failure."""
    problem = _pg_available()
    if problem:
        if IN_CI:
            pytest.fail(f"CI needs PostgreSQL: {problem}")
        pytest.skip(problem)
    name, url = _create_pg_db()
    try:
        yield url
    finally:
        _drop_pg_db(name)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this run, dropped afterwards."""
    with empty_pg_db() as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'kezek.db'}"
    upgrade(url)
    return url


@pytest.fixture(params=["sqlite", "pg"])
def db_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(name)
    asyncio.run(_truncate(url))
    return url


async def _truncate(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
            if conn.dialect.name == "postgresql":
                await conn.execute(text(
                    "TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
            else:
                for t in tables:
                    await conn.execute(text(f"DELETE FROM {t}"))
    finally:
        await engine.dispose()


# A small network for tests: a booking-only general centre with a privilege window,
# a mixed general centre, and a specialised vehicle centre, all in one city.
SERVICES = [
    {"code": "01010001", "names": {"kk": "Жеке куәлік беру", "ru": "Выдача удостоверения личности",
                                   "en": "Issue of an identity card"},
     "sector": "identity", "delivery": "paper"},
    {"code": "02010001", "names": {"kk": "Мекенжай анықтамасы", "ru": "Адресная справка",
                                   "en": "Address certificate"},
     "sector": "other", "delivery": "online"},
    {"code": "03010001", "names": {"kk": "Бала тууын тіркеу", "ru": "Регистрация рождения ребёнка",
                                   "en": "Registration of a birth"},
     "sector": "family_social", "delivery": "both"},
    {"code": "04010001", "names": {"kk": "Көлікті тіркеу",
                                   "ru": "Регистрация транспортного средства",
                                   "en": "Vehicle registration"},
     "sector": "vehicle", "delivery": "paper", "specialised_only": True},
    {"code": "05010001", "names": {"kk": "Жылжымайтын мүлікті тіркеу",
                                   "ru": "Регистрация недвижимости",
                                   "en": "Registration of real estate"},
     "sector": "real_estate", "delivery": "paper"},
]
WEEK = {d: ["09:00", "18:00"] for d in ("mon", "tue", "wed", "thu", "fri")} | {
    "sat": ["09:00", "13:00"], "sun": ["10:00", "14:00"]}
NETWORK = {
    "cities": [{"slug": "testcity", "region": "KZ-11", "kind": "city",
                "names": {"kk": "Тест", "ru": "Тест", "en": "Test"}}],
    "centers": [
        {"slug": "booking-only", "names": {"kk": "ХҚО 1", "ru": "ЦОН 1", "en": "PSC 1"},
         "city": "testcity", "kind": "general", "format": "booking_only", "schedule": WEEK,
         "latest_booking": "17:30", "occupancy_limit": 20,
         "windows": [{"number": 1, "scope": "all"}, {"number": 2, "scope": "all"},
                     {"number": 9, "privilege": True, "scope": "all"}]},
        {"slug": "mixed", "names": {"kk": "ХҚО 2", "ru": "ЦОН 2", "en": "PSC 2"},
         "city": "testcity", "kind": "general", "format": "mixed", "schedule": WEEK,
         "windows": [{"number": 1, "scope": "all"}, {"number": 2, "scope": "all"},
                     {"number": 3, "scope": {"sectors": ["identity"]}}]},
        {"slug": "vehicle", "names": {"kk": "Авто ХҚО", "ru": "Спец ЦОН", "en": "Vehicle PSC"},
         "city": "testcity", "kind": "specialised", "format": "mixed", "schedule": WEEK,
         "latest_booking": "15:30",
         "windows": [{"number": 1, "scope": {"sectors": ["vehicle"]}}]},
    ],
}


async def seed(sm: async_sessionmaker[AsyncSession]) -> None:
    async with unit_of_work(sm) as s:
        await import_services(s, services_from_records(SERVICES), SYSTEM, Channel.CLI)
        await import_network(s, NETWORK, SYSTEM, Channel.CLI)


@pytest.fixture
async def sm(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(db_url)
    maker = make_sessionmaker(engine)
    await seed(maker)
    yield maker
    await engine.dispose()


# A working-day morning in Almaty: a Tuesday at 10:00, when every seeded centre is open
# (WEEK: 09:00-18:00) and the whole evening is still ahead; ten days on (the booking
# horizon) is a Friday. Tests of the time of day pin the clock here instead of skipping
# near midnight (issue 12, item 8; ADR 0024).
MORNING = dt.datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))


@pytest.fixture
def pinned_clock() -> Iterator[dt.datetime]:
    """Kezek's clock (kezek.clock) reads MORNING from the start of the test and advances
    normally; the moment is given to the test, in Almaty's zone."""
    with clock.pinned(MORNING) as at:
        yield at


def next_weekday(now: dt.datetime | None = None, days_ahead: int = 1) -> dt.date:
    """A date some days ahead that is Monday-Friday (from Kezek's clock, pinned or not)."""
    day = (now or clock.now()).date() + dt.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def random_iin(rng: secrets.SystemRandom | None = None) -> str:
    """A valid person IIN with random digits (the check digit computed)."""
    from kezek.core.iin import check_digit

    r = rng or secrets.SystemRandom()
    while True:
        yy, mm, dd = r.randint(0, 99), r.randint(1, 12), r.randint(1, 28)
        first = f"{yy:02d}{mm:02d}{dd:02d}{r.choice('3456')}{r.randint(0, 9999):04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)


def _needs_pg(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    if callspec is not None and {"pg", "postgresql"} & set(map(str, callspec.params.values())):
        return True
    fixtures = getattr(item, "fixturenames", ())
    code = getattr(getattr(item, "function", None), "__code__", None)
    return "pg_url" in fixtures or (code is not None and "empty_pg_db" in code.co_names)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks every test that reaches PostgreSQL `pg` and every one with a browser
    `browser`, whatever way it gets there (a parametrized store, a session database, a
    database of its own), so that `make test-fast` (-m "not browser and not pg") runs
    none of them."""
    for item in items:
        if _needs_pg(item):
            item.add_marker(pytest.mark.pg)
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
