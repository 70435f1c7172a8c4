"""The national bench's database: the demo network and registry, sized for the hour's
flows, with the people already booked and already waiting put in place before the clock.

Setup is not what the bench measures, so people and their bookings for the slice's
check-ins, and the tickets of those already waiting, are written with COPY (seconds for
tens of thousands of rows) instead of through the API; everything inside the replay goes
through HTTP. Booked slots are placed when the replay starts (`place_bookings`): each
check-in keeps its punctuality from the data set, in real minutes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from bench.national_events import Hour
from bench.rushdb import BenchDb, asyncpg_dsn
from kezek.analytics.generate import CentreInfo
from kezek.app import catalog
from kezek.app.accounts import create_user
from kezek.app.actor import SYSTEM, Channel
from kezek.app.demo import demo_document
from kezek.app.identity import policy_store
from kezek.app.network_io import import_network
from kezek.app.registry import import_services
from kezek.core.errors import ServiceNotOffered
from kezek.core.policy import Privilege, eligible_windows
from kezek.core.registry import Service
from kezek.core.registry_io import services_from_records
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work

PRELOAD_PREFIX = "ZZ"  # no floor rule uses it: the counters of real prefixes stay untouched
PRIVILEGE = "pensioner"


@dataclass(frozen=True)
class Floor:
    """Ids in the bench database, by the data set's indexes."""

    centers: dict[int, int]            # data set centre index -> centres.id
    zones: dict[int, str]              # centre index -> time zone
    kinds: dict[int, str]              # centre index -> general | specialised
    windows: dict[int, list[int]]      # centre index -> window ids
    services: list[str]                # data set service index -> code
    # centre index -> (services offered to anyone there, to privileged people there)
    offered: dict[int, tuple[frozenset[int], frozenset[int]]]

    def offers(self, centre: int, service: int, privileged: bool) -> bool:
        return service in self.offered[centre][1 if privileged else 0]


def network_for(hour: Hour, centres: list[CentreInfo]) -> dict[str, Any]:
    """The demo network with windows added (serving everything) where a centre has fewer
    than the slice's busiest moment needs, plus two spare; no occupancy limit."""
    doc: dict[str, Any] = demo_document("network.json")
    need = hour.windows_needed()
    by_slug = {c.slug: c.index for c in centres}
    for centre in doc["centers"]:
        # The data set has no line outside: people it sees arrive are on the floor until
        # called. With the occupancy limit and nobody at the door admitting (the replay
        # has no such events), every arrival past the limit would wait outside forever.
        centre["occupancy_limit"] = None
        have = centre["windows"]
        want = need.get(by_slug[centre["slug"]], 0) + 2
        top = max(w["number"] for w in have)
        have.extend({"number": top + k, "scope": "all"} for k in range(1, want - len(have) + 1))
    return doc


async def _seed(url: str, doc: dict[str, Any], admin: tuple[str, str]) -> None:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await import_services(s, services_from_records(
                demo_document("registry.json")["services"]), SYSTEM, Channel.CLI)
            await import_network(s, doc, SYSTEM, Channel.CLI)
            await policy_store.change(s, {"mode": "none"}, SYSTEM, Channel.CLI)
            await create_user(s, admin[0], admin[1], "admin", [], "", SYSTEM, Channel.CLI)
    finally:
        await engine.dispose()


async def _ids(url: str, centres: list[CentreInfo], services: list[Service]) -> Floor:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        rows = await conn.fetch("SELECT id, slug, timezone, kind FROM centers")
        by_slug = {r["slug"]: r for r in rows}
        windows: dict[int, list[int]] = {}
        for w in await conn.fetch("SELECT id, center_id FROM windows ORDER BY number"):
            windows.setdefault(w["center_id"], []).append(w["id"])
        ids = {c.index: int(by_slug[c.slug]["id"]) for c in centres}
        offered = await _offered(url, ids, services)
        return Floor(ids, {c.index: str(by_slug[c.slug]["timezone"]) for c in centres},
                     {c.index: str(by_slug[c.slug]["kind"]) for c in centres},
                     {c.index: windows[ids[c.index]] for c in centres},
                     [s.code for s in services], offered)
    finally:
        await conn.close()


async def _offered(url: str, ids: dict[int, int], services: list[Service]
                   ) -> dict[int, tuple[frozenset[int], frozenset[int]]]:
    """What the network's own rule (core.policy.eligible_windows) lets each centre take.

    The generator gives some visits a service the centre would send online (portal-only
    services; online ones at booking-only centres, for people without a privilege): the
    platform refuses them, rightly, so the replay leaves them out and counts them."""
    engine = make_engine(url)
    out = {}
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            for index, centre_id in ids.items():
                ctx = await catalog.center(s, centre_id)
                sets: list[set[int]] = [set(), set()]
                for k, svc in enumerate(services):
                    for privileged, privilege in ((0, None), (1, Privilege(PRIVILEGE))):
                        try:
                            eligible_windows(ctx.center, svc, ctx.windows, privilege)
                        except ServiceNotOffered:
                            continue
                        sets[privileged].add(k)
                out[index] = (frozenset(sets[0]), frozenset(sets[1]))
    finally:
        await engine.dispose()
    return out


def seed(db: BenchDb, hour: Hour, centres: list[CentreInfo], services: list[Service],
         admin: tuple[str, str]) -> Floor:
    """Services, the network (with the windows the hour needs), identity off, an admin."""
    asyncio.run(_seed(db.url, network_for(hour, centres), admin))
    return asyncio.run(_ids(db.url, centres, services))


def _digest(key: bytes, iin: str) -> str:
    return hmac.new(key, iin.encode(), hashlib.sha256).hexdigest()


def _mask(iin: str) -> str:
    return iin[:2] + "*" * 8 + iin[10:]


async def _people(url: str, hour: Hour, floor: Floor, iin_of: dict[int, str], key: bytes,
                  now: dt.datetime) -> None:
    booked = [a for a in hour.arrivals if a.booked]
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.copy_records_to_table("persons", records=[
            (_digest(key, iin_of[a.visit]), _mask(iin_of[a.visit]), 1) for a in booked],
            columns=["iin_hash", "iin_masked", "bookings_made"])
        person = {r["iin_hash"]: r["id"] for r in await conn.fetch(
            "SELECT id, iin_hash FROM persons")}
        records = []
        for seat, a in enumerate(booked):
            iin = iin_of[a.visit]
            start = now + dt.timedelta(seconds=-a.late_by)  # placed again at the start
            local = now.astimezone(ZoneInfo(floor.zones[a.center])).date()
            records.append((
                secrets.token_hex(6).upper(), person[_digest(key, iin)], _mask(iin),
                floor.services[a.service], floor.centers[a.center], floor.kinds[a.center],
                floor.windows[a.center][0], seat, start.replace(tzinfo=None),
                (start + dt.timedelta(minutes=15)).replace(tzinfo=None), local, "active",
                PRIVILEGE if a.privileged else None, PRIVILEGE if a.privileged else None,
                "verified" if a.privileged else None, "web", now.replace(tzinfo=None),
                now.replace(tzinfo=None)))
        await conn.copy_records_to_table("bookings", records=records, columns=[
            "code", "person_id", "iin_masked", "service_code", "center_id", "center_kind",
            "window_id", "seat", "start_utc", "end_utc", "local_date", "status", "privilege",
            "privilege_claim", "privilege_status", "channel", "created_at", "updated_at"])
        tickets = []
        number: dict[int, int] = {}
        for w in hour.waiting:
            n = number[w.center] = number.get(w.center, 0) + 1
            arrived = now - dt.timedelta(seconds=w.waited)
            day = now.astimezone(ZoneInfo(floor.zones[w.center])).date()
            tickets.append((
                floor.centers[w.center], day, PRELOAD_PREFIX, n, f"{PRELOAD_PREFIX}-{n:03d}",
                "******", json.dumps([floor.services[w.service]]),
                PRIVILEGE if w.privileged else None, "walk_in", "waiting", 0,
                arrived.replace(tzinfo=None)))
        await conn.copy_records_to_table("tickets", records=tickets, columns=[
            "center_id", "day", "prefix", "number", "label", "iin_masked", "services",
            "privilege", "kind", "status", "calls", "arrived_at"])
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


def people(db: BenchDb, hour: Hour, floor: Floor, iin_of: dict[int, str], key: bytes) -> None:
    """The slice's booked people with today's booking, and the people already waiting."""
    asyncio.run(_people(db.url, hour, floor, iin_of, key, dt.datetime.now(dt.UTC)))


async def place_bookings(url: str, hour: Hour, t0: dt.datetime, speed: float) -> None:
    """Moves every booked slot so that the person arrives, in the replay's clock, as late
    or early as in the data set: slot = the arrival's real moment + (slot - arrival)."""
    at = [a.at for a in hour.arrivals if a.booked]  # in seat order, as `_people` wrote them
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        # Written with start = created_at - late_by; the arrival at data second `at`
        # happens at t0 + at / speed.
        await conn.execute(
            "UPDATE bookings b SET start_utc = $1::timestamp + (b.start_utc - b.created_at)"
            " + (a.at / $2) * interval '1 second', end_utc = $1::timestamp"
            " + (b.end_utc - b.created_at) + (a.at / $2) * interval '1 second'"
            " FROM unnest($3::int[], $4::float8[]) AS a(seat, at) WHERE b.seat = a.seat",
            t0.replace(tzinfo=None), speed, list(range(len(at))), at)
    finally:
        await conn.close()
