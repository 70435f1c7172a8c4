"""A data set on disk: Parquet files in one directory, read and written through DuckDB.

Layout (every file Parquet):
- `visits`: the flat form statistics run on (schema.py);
- `centres`, `services`: the dimensions, with names in kk/ru/en;
- `bookings`, `tickets`, `events`: the same visits in the form the floor records them
  (a booking row, a ticket per arrival, one event per state change), so generated data can
  be checked against the pipeline that real data goes through (floor.py).
`meta.json` says where the data came from (seed, months, scale, calibration targets).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from kezek.analytics.generate import Generated
from kezek.analytics.schema import (
    CHANNELS,
    DENORMALISED,
    DIMENSION_JOINS,
    KINDS,
    MEASURES,
    OUTCOMES,
    Column,
    sql_list,
)

FILES = ("visits", "centres", "services")
FLOOR_FILES = ("bookings", "tickets", "events")


def connect(directory: Path, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a view per Parquet file in the data set."""
    if not (directory / "visits.parquet").exists():
        raise FileNotFoundError(f"no data set in {directory} (visits.parquet is missing)")
    con = duckdb.connect()
    # Every statistic re-reads visits.parquet's footer (hundreds of row groups, some 12 ms)
    # unless it is cached; the cache lives as long as this in-memory connection.
    con.execute("SET parquet_metadata_cache = true")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    for name in FILES + FLOOR_FILES:
        path = directory / f"{name}.parquet"
        if path.exists():
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    return con


# Visits are read by every statistic: LZ4 decodes faster than ZSTD (about 9 % off a
# national year's statistics) for files half as large again. The rest is archival: ZSTD.
VISITS_COMPRESSION = "LZ4_RAW"
# The physical order of visits: month by month (a period filter still skips the other
# months' row groups), and inside a month the served visits of one sector together, then
# by day and centre. Outcome and sector then come in long runs that decode almost for
# free, and the wait measures of a sector sit together: with row groups of a million rows
# (fewer dictionaries and column set-ups to read than DuckDB's default of 122,880), a
# national year's statistics take some 40 % less CPU than in plain (day, centre) order.
VISITS_ORDER = "date_trunc('month', day), outcome, sector_id, day, center_id"
VISITS_ROW_GROUP = 1 << 20


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path,
          compression: str = "ZSTD", options: str = "") -> None:
    con.execute(f"COPY ({query}) TO '{path}' "
                f"(FORMAT PARQUET, COMPRESSION {compression}{options})")


def write_generated(gen: Generated, directory: Path, *, seed: int, months: float,
                    scale: float, floor_form: bool = True) -> dict[str, int]:
    """Writes the data set; returns row counts per file."""
    directory.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    # DuckDB scans a dict of numpy arrays in place: no copy through Python objects.
    raw = {str(k): v for k, v in gen.columns.items()}
    raw[Column.DAY] = raw[Column.DAY].astype("datetime64[s]")  # DuckDB scans no [D] arrays
    con.register("raw", raw)
    _write_dimensions(con, gen, directory)
    for name in ("centres", "services"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM "
                    f"read_parquet('{directory / (name + '.parquet')}')")
    _copy(con, f"""
        SELECT visits.*, {DENORMALISED} FROM (
        SELECT visit_id, center_id, service_id, CAST(day AS DATE) AS day,
               {sql_list(CHANNELS)}[channel + 1] AS channel,
               {sql_list(KINDS)}[kind + 1] AS kind, privileged,
               CASE WHEN lead_days >= 0 THEN lead_days END AS lead_days,
               booked_at, slot_at, arrived_at, called_at, started_at, finished_at, left_at,
               CASE WHEN "window" > 0 THEN "window" END AS "window",
               {sql_list(OUTCOMES)}[outcome + 1] AS outcome, {MEASURES}
        FROM raw) AS visits {DIMENSION_JOINS}
        ORDER BY {VISITS_ORDER}""", directory / "visits.parquet", VISITS_COMPRESSION,
          f", ROW_GROUP_SIZE {VISITS_ROW_GROUP}")
    counts = {"visits": len(gen.columns[Column.VISIT])}
    if floor_form:
        counts.update(write_floor_form(con, directory))
    meta = {"source": "generated", "seed": seed, "months": months, "scale": scale,
            "start": gen.days[0].isoformat(), "end": gen.days[-1].isoformat(),
            "targets": asdict(gen.targets), "rows": counts,
            "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    (directory / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return counts


def _write_dimensions(con: duckdb.DuckDBPyConnection, gen: Generated, directory: Path) -> None:
    centres = [{"center_id": c.index, "slug": c.slug, "city": c.city, "region": c.region,
                "kind": "specialised" if c.specialised else "general",
                "format": "booking_only" if c.booking_only else "mixed",
                "windows": c.windows} for c in gen.centres]
    services = [{"service_id": i, "code": s.code, "sector": str(s.sector),
                 "delivery": str(s.delivery), "max_wait": s.standard.max_wait_minutes,
                 "max_service": s.standard.max_service_minutes, "name_kk": s.names.kk,
                 "name_ru": s.names.ru, "name_en": s.names.en}
                for i, s in enumerate(gen.services)]
    write_rows(con, centres, directory / "centres.parquet")
    write_rows(con, services, directory / "services.parquet")


def write_rows(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], path: Path) -> None:
    """Small tables (dimensions, exports of real data) from Python rows.

    Times are written as naive UTC timestamps, like the generated data.
    """
    if not rows:
        raise ValueError(f"nothing to write to {path.name}")
    columns: dict[str, Any] = {}
    for key in rows[0]:
        values = [r[key] for r in rows]
        if any(isinstance(v, dt.datetime) for v in values):
            columns[key] = np.array([_naive_utc(v) for v in values], dtype="datetime64[us]")
        elif any(isinstance(v, dt.date) for v in values):
            columns[key] = np.array(values, dtype="datetime64[s]")
        else:
            columns[key] = np.array(values, dtype=object)
    con.register("rows_to_write", columns)
    dates = [k for k, v in columns.items() if v.dtype == np.dtype("datetime64[s]")]
    select = ", ".join(f'CAST("{k}" AS DATE) AS "{k}"' if k in dates else f'"{k}"'
                       for k in columns)
    try:
        _copy(con, f"SELECT {select} FROM rows_to_write", path)
    finally:
        con.unregister("rows_to_write")


def _naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


# A generated visit has no privilege claim of its own (the generator draws `privileged`
# only): the floor form carries the columns an export has, empty (core.privilege).
NO_CLAIM = "NULL::VARCHAR AS privilege_claim, NULL::VARCHAR AS privilege_status"


def write_floor_form(con: duckdb.DuckDBPyConnection, directory: Path) -> dict[str, int]:
    """The visits as the floor records them: bookings, tickets and timed events."""
    visits = f"read_parquet('{directory / 'visits.parquet'}')"
    _copy(con, f"""SELECT visit_id AS booking_id, center_id, service_id, channel, privileged,
                          booked_at AS created_at, slot_at AS start_utc,
                          CASE outcome WHEN 'no_show' THEN 'no_show' ELSE 'served' END
                              AS status, {NO_CLAIM}
                   FROM {visits} WHERE kind = 'booked'""", directory / "bookings.parquet")
    _copy(con, f"""SELECT visit_id AS ticket_id, center_id, day, service_id, kind, privileged,
                          CASE WHEN kind = 'booked' THEN visit_id END AS booking_id,
                          CASE WHEN kind = 'walk_in' THEN channel END AS channel, {NO_CLAIM}
                   FROM {visits} WHERE arrived_at IS NOT NULL""",
          directory / "tickets.parquet")
    steps = [("arrived", "arrived_at"), ("called", "called_at"), ("started", "started_at"),
             ("finished", "finished_at"), ("left", "left_at")]
    union = " UNION ALL ".join(
        f"""SELECT visit_id AS ticket_id, center_id, {col} AS "at", '{kind}' AS kind,
                   CASE WHEN '{kind}' IN ('called', 'started', 'finished')
                        THEN "window" END AS "window"
            FROM {visits} WHERE {col} IS NOT NULL""" for kind, col in steps)
    _copy(con, union, directory / "events.parquet")
    return {name: _rows(con, directory / f"{name}.parquet") for name in FLOOR_FILES}


def _rows(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    row = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()
    return int(row[0]) if row else 0
