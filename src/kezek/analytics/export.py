"""The database's own record of the floor, exported to a data set.

Reads bookings, tickets and floor events (what the floor recorded, see app/tickets.py)
with the network and the registry, writes them in the floor form, and builds `visits`
with the same SQL that checks the generator (floor.py). No IIN leaves the database: the
export holds ids, services, times and outcomes only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import duckdb
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.analytics.dataset import write_rows
from kezek.analytics.floor import rebuild_visits
from kezek.store.models import (
    BookingRow,
    CenterRow,
    CityRow,
    FloorEventRow,
    ServiceRow,
    TicketRow,
    WindowRow,
)

# Bookings still ahead or cancelled are not visits; the rest are (served or not).
VISIT_STATUSES = ("checked_in", "served", "no_show", "expired")


async def export(session: AsyncSession, directory: Path) -> dict[str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    services = (await session.execute(select(ServiceRow).order_by(ServiceRow.code))).scalars()
    service_rows = [{"service_id": i, "code": s.code, "sector": s.sector,
                     "delivery": s.delivery, "max_wait": s.max_wait_minutes,
                     "max_service": s.max_service_minutes, "name_kk": s.name_kk,
                     "name_ru": s.name_ru, "name_en": s.name_en}
                    for i, s in enumerate(services.all())]
    service_id = {r["code"]: r["service_id"] for r in service_rows}
    regions = dict((await session.execute(select(CityRow.slug, CityRow.region))).all())
    centres = (await session.execute(select(CenterRow).order_by(CenterRow.id))).scalars().all()
    windows = (await session.execute(
        select(WindowRow.id, WindowRow.number, WindowRow.center_id))).all()
    window_no = {wid: number for wid, number, _ in windows}
    per_centre = Counter(center for _, _, center in windows)
    centre_rows = [{"center_id": c.id, "slug": c.slug, "city": c.city,
                    "region": regions.get(c.city, ""), "kind": c.kind, "format": c.format,
                    "windows": per_centre[c.id]} for c in centres]
    bookings = (await session.execute(
        select(BookingRow).where(BookingRow.status.in_(VISIT_STATUSES)))).scalars().all()
    booking_rows = [{"booking_id": b.id, "center_id": b.center_id,
                     "service_id": service_id[b.service_code], "channel": b.channel,
                     "privileged": b.privilege is not None, "created_at": b.created_at,
                     "privilege_claim": b.privilege_claim,
                     "privilege_status": b.privilege_status,
                     "start_utc": b.start_utc,
                     "status": "no_show" if b.status in ("no_show", "expired") else "served"}
                    for b in bookings]
    tickets = (await session.execute(select(TicketRow))).scalars().all()
    ticket_rows = [{"ticket_id": t.id, "center_id": t.center_id, "day": t.day,
                    "service_id": service_id.get(t.services[0]) if t.services else None,
                    "kind": "booked" if t.booking_id else "walk_in",
                    "privileged": t.privilege is not None, "booking_id": t.booking_id,
                    "privilege_claim": t.privilege_claim,
                    "privilege_status": t.privilege_status,
                    "channel": None if t.booking_id else "walk_in"} for t in tickets]
    events = (await session.execute(
        select(FloorEventRow).where(FloorEventRow.ticket_id.is_not(None)))).scalars().all()
    event_rows = [{"ticket_id": e.ticket_id, "center_id": e.center_id, "at": e.at,
                   "kind": e.kind, "window": window_no.get(e.window_id or 0)} for e in events]
    counts = {}
    for name, rows in (("services", service_rows), ("centres", centre_rows),
                       ("bookings", booking_rows), ("tickets", ticket_rows),
                       ("events", event_rows)):
        if rows:
            write_rows(con, rows, directory / f"{name}.parquet")
        counts[name] = len(rows)
    if not ticket_rows and not booking_rows:
        raise ValueError("the database holds no visits yet: nothing to export")
    for name in ("bookings", "tickets", "events", "centres", "services"):
        if not counts[name]:
            _empty(con, name, directory)
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM "
                    f"read_parquet('{directory / (name + '.parquet')}')")
    counts["visits"] = rebuild_visits(con, directory)
    meta = {"source": "database", "rows": counts,
            "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    (directory / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return counts


EMPTY: dict[str, str] = {
    "bookings": "NULL::BIGINT AS booking_id, NULL::BIGINT AS center_id, "
                "NULL::BIGINT AS service_id, NULL::VARCHAR AS channel, "
                "NULL::BOOLEAN AS privileged, NULL::TIMESTAMP AS created_at, "
                "NULL::TIMESTAMP AS start_utc, NULL::VARCHAR AS status, "
                "NULL::VARCHAR AS privilege_claim, NULL::VARCHAR AS privilege_status",
    "tickets": "NULL::BIGINT AS ticket_id, NULL::BIGINT AS center_id, NULL::DATE AS day, "
               "NULL::BIGINT AS service_id, NULL::VARCHAR AS kind, NULL::BOOLEAN AS privileged, "
               "NULL::BIGINT AS booking_id, NULL::VARCHAR AS channel, "
               "NULL::VARCHAR AS privilege_claim, NULL::VARCHAR AS privilege_status",
    "events": "NULL::BIGINT AS ticket_id, NULL::BIGINT AS center_id, NULL::TIMESTAMP AS \"at\", "
              "NULL::VARCHAR AS kind, NULL::BIGINT AS \"window\"",
}


def _empty(con: duckdb.DuckDBPyConnection, name: str, directory: Path) -> None:
    """An empty file with the right columns, so the same SQL runs on a quiet database."""
    con.execute(f"COPY (SELECT {EMPTY[name]} LIMIT 0) TO "
                f"'{directory / (name + '.parquet')}' (FORMAT PARQUET)")
