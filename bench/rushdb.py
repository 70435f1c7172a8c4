"""The bench database: created, migrated and seeded for one run, checked, then dropped."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import asyncpg

from bench.reference_app import SCHEMA
from kezek.app.actor import SYSTEM, Channel
from kezek.app.identity import policy_store
from kezek.app.network_io import import_network
from kezek.app.registry import import_services
from kezek.core.registry_io import services_from_records
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.migrate import upgrade

TZ = "Asia/Almaty"
OPENS, CLOSES, SLOT_MINUTES = dt.time(9), dt.time(18), 15
SERVICES = [
    {"code": f"0{i}010001", "names": {"kk": f"Қызмет {i}", "ru": f"Услуга {i}",
                                      "en": f"Service {i}"},
     "sector": sector, "delivery": "paper"}
    for i, sector in enumerate(("identity", "family_social", "real_estate", "other",
                                "land"), start=1)
]


def asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@dataclass(frozen=True)
class BenchDb:
    name: str
    admin_url: str

    @property
    def url(self) -> str:
        return f"{self.admin_url.rsplit('/', 1)[0]}/{self.name}"


async def _admin(admin_url: str, sql: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def create(admin_url: str) -> BenchDb:
    db = BenchDb(f"kezek_bench_{uuid.uuid4().hex[:10]}", admin_url)
    asyncio.run(_admin(admin_url, f'CREATE DATABASE "{db.name}"'))
    upgrade(db.url)
    return db


async def _server_settings(admin_url: str) -> str:
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        rows = await conn.fetch("SELECT name, setting FROM pg_settings WHERE name IN "
                                "('server_version', 'fsync', 'synchronous_commit') "
                                "ORDER BY name DESC")
    finally:
        await conn.close()
    return ", ".join(f"{r['name']} {r['setting']}" for r in rows)


def server_settings(admin_url: str) -> str:
    """The PostgreSQL version and durability settings, for the record."""
    return asyncio.run(_server_settings(admin_url))


def drop(db: BenchDb) -> None:
    asyncio.run(_admin(db.admin_url, f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)'))


def network(windows: int, days: int) -> dict[str, object]:
    """One general centre open every day 09:00-18:00 with `windows` windows of one seat."""
    every_day = {d: [OPENS.strftime("%H:%M"), CLOSES.strftime("%H:%M")]
                 for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    return {
        "cities": [{"slug": "benchcity", "region": "KZ-11", "kind": "city",
                    "names": {"kk": "Бенч", "ru": "Бенч", "en": "Bench"}}],
        "centers": [{
            "slug": "rush", "names": {"kk": "ХҚО", "ru": "ЦОН", "en": "PSC"},
            "city": "benchcity", "kind": "general", "format": "mixed", "timezone": TZ,
            "schedule": every_day, "latest_booking": CLOSES.strftime("%H:%M"),
            "horizon_days": days + 1, "slot_minutes": SLOT_MINUTES,
            "windows": [{"number": n, "scope": "all"} for n in range(1, windows + 1)],
        }],
    }


async def _seed(url: str, windows: int, days: int, identity: str) -> int:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await import_services(s, services_from_records(SERVICES), SYSTEM, Channel.CLI)
            await import_network(s, network(windows, days), SYSTEM, Channel.CLI)
            if identity != "otp":  # the network's default is the one-time code
                await policy_store.change(s, {"mode": identity}, SYSTEM, Channel.CLI)
        conn = await asyncpg.connect(asyncpg_dsn(url))
        try:
            await conn.execute(SCHEMA)
            center = await conn.fetchval("SELECT id FROM centers WHERE slug = 'rush'")
        finally:
            await conn.close()
        return int(center)
    finally:
        await engine.dispose()


def seed(db: BenchDb, windows: int, days: int, identity: str = "otp") -> int:
    """Seeds the network and the reference tables; returns the centre's id.

    `identity` is the network's policy: the default, `otp`, for every bench that
    measures Kezek as deployed (bench/abuse.py above all); `none` for the ones that
    measure booking itself against a reference that has no code step (the rush)."""
    return asyncio.run(_seed(db.url, windows, days, identity))


async def _register(url: str, people: list[tuple[str, str]], table: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.executemany(
            f"INSERT INTO {table} (iin_hash, iin_masked, bookings_made) VALUES ($1, $2, 1)",
            people)
    finally:
        await conn.close()


def register(db: BenchDb, iins: list[str], kezek_key: bytes, reference_key: bytes) -> None:
    """Registers people as seen before, with no booking, in Kezek's persons table and
    the reference's: each server finds them by its own keyed hash."""
    for table, key in (("persons", kezek_key), ("ref_persons", reference_key)):
        people = [(hmac.new(key, iin.encode(), hashlib.sha256).hexdigest(),
                   iin[:2] + "*" * 8 + iin[10:]) for iin in iins]
        asyncio.run(_register(db.url, people, table))


def slot_starts(days: int, now: dt.datetime | None = None) -> list[str]:
    """Every slot start from tomorrow (local) for `days` days, ISO 8601 with offset."""
    zone = ZoneInfo(TZ)
    today = (now or dt.datetime.now(dt.UTC)).astimezone(zone).date()
    out = []
    for d in range(1, days + 1):
        day = today + dt.timedelta(days=d)
        t = dt.datetime.combine(day, OPENS, zone)
        while t.time() < CLOSES:
            out.append(t.isoformat())
            t += dt.timedelta(minutes=SLOT_MINUTES)
    return out


CHECKS = {
    "seats held twice": """
        SELECT count(*) FROM (SELECT 1 FROM {bookings}
        WHERE status IN ('active', 'checked_in', 'held')
        GROUP BY window_id, start_utc, seat HAVING count(*) > 1) x""",
    "slots over capacity": """
        SELECT count(*) FROM (SELECT b.center_id, b.start_utc, count(*) AS n
        FROM {bookings} b WHERE b.status IN ('active', 'checked_in', 'held')
        GROUP BY b.center_id, b.start_utc) x
        WHERE x.n > (SELECT sum(w.seats) FROM windows w
                     WHERE w.center_id = x.center_id AND w.active)""",
}
KEZEK_ONLY = {
    "people over quota": """
        SELECT count(DISTINCT a.person_id) FROM bookings a JOIN bookings b
        ON a.person_id = b.person_id AND a.id < b.id AND a.center_kind = b.center_kind
        AND abs(extract(epoch FROM a.start_utc - b.start_utc)) < 10 * 86400
        WHERE a.status = 'active' AND b.status = 'active'""",
}


async def _check(url: str, table: str) -> dict[str, int]:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        out = {"bookings held": int(await conn.fetchval(
            f"SELECT count(*) FROM {table} WHERE status IN ('active', 'checked_in')"))}
        queries = CHECKS | (KEZEK_ONLY if table == "bookings" else {})
        for name, sql in queries.items():
            out[name] = int(await conn.fetchval(sql.format(bookings=table)))
        return out
    finally:
        await conn.close()


def check(db: BenchDb, table: str) -> dict[str, int]:
    """Counts of held bookings and of every way a rush could have overbooked (all 0)."""
    return asyncio.run(_check(db.url, table))
