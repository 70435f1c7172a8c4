"""National statistics over a data set, computed by DuckDB in SQL.

Every function returns a `Table` (column names and rows) small enough to print, chart or
write as CSV: the heavy lifting stays in DuckDB, which scans the Parquet files in parallel,
so a national year (about 35 million visits) aggregates in seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from kezek.analytics.calibration import Targets

DIMENSIONS = {
    "region": "v.region", "city": "v.city", "centre": "v.centre", "sector": "v.sector",
    "service": "s.code", "channel": "v.channel", "kind": "v.kind",
    "month": "strftime(v.day, '%Y-%m')", "week": "strftime(v.day, '%G-W%V')",
    "day": "CAST(v.day AS VARCHAR)", "weekday": "dayname(v.day)",
}
CENTRES_JOIN = " JOIN centres c ON c.center_id = v.center_id"
SERVICES_JOIN = " JOIN services s ON s.service_id = v.service_id"
WAIT = "v.wait_s / 60.0"  # minutes, from the measure stored with each visit


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    notes: dict[str, Any] = field(default_factory=dict)

    def column(self, name: str) -> list[Any]:
        i = self.columns.index(name)
        return [r[i] for r in self.rows]

    def write_csv(self, path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(self.columns)
            out.writerows(self.rows)


@dataclass(frozen=True)
class Filter:
    """Narrows every statistic: a period, a region (ISO code), a city or a centre slug."""

    start: dt.date | None = None
    end: dt.date | None = None
    region: str | None = None
    city: str | None = None
    centre: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        parts, params = ["TRUE"], []
        for column, value in (("v.day >= ?", self.start), ("v.day <= ?", self.end),
                              ("v.region = ?", self.region), ("v.city = ?", self.city),
                              ("v.centre = ?", self.centre)):
            if value is not None:
                parts.append(column)
                params.append(value)
        return " AND ".join(parts), params


def _from(sql: str) -> str:
    """`visits v` joined only to the dimensions the query names. Visits carry the usual
    dimensions themselves (region, city, centre, sector, maximum wait), so most queries
    join nothing: a join costs a probe per visit, tens of millions in a national year."""
    source = "visits v"
    if re.search(r"\bc\.\w", sql):
        source += CENTRES_JOIN
    if re.search(r"\bs\.\w", sql):
        source += SERVICES_JOIN
    return sql.replace("__FROM__", source)


def _table(con: duckdb.DuckDBPyConnection, title: str, sql: str, params: list[Any]) -> Table:
    cur = con.execute(_from(sql), params)
    columns = [d[0] for d in cur.description or []]
    return Table(title, columns, [tuple(r) for r in cur.fetchall()])


def services_by(con: duckdb.DuckDBPyConnection, dimension: str, flt: Filter = Filter(),
                limit: int | None = None) -> Table:
    """Services delivered (served visits) by one dimension, with each one's share."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; use one of {', '.join(DIMENSIONS)}")
    where, params = flt.sql()
    order = "1" if dimension in ("month", "week", "day") else "2 DESC, 1"
    sql = f"""SELECT {DIMENSIONS[dimension]} AS {dimension}, count(*) AS services,
                     round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS share_pct
              FROM __FROM__ WHERE v.outcome = 'served' AND {where}
              GROUP BY 1 ORDER BY {order}{f' LIMIT {int(limit)}' if limit else ''}"""
    return _table(con, f"Services by {dimension}", sql, params)


def waits(con: duckdb.DuckDBPyConnection, by: str = "sector", flt: Filter = Filter()) -> Table:
    """Wait and service time per group: mean, median, 90th and 95th percentiles (exact)."""
    where, params = flt.sql()
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}; use one of {', '.join(DIMENSIONS)}")
    # One pass: the three wait quantiles come from one list-quantile (one sort per group).
    sql = f"""SELECT g AS {by}, n AS served, round(w / 60, 1) AS wait_mean,
                     round(q[1] / 60, 1) AS wait_p50, round(q[2] / 60, 1) AS wait_p90,
                     round(q[3] / 60, 1) AS wait_p95, round(st / 60, 1) AS service_mean,
                     round(sq / 60, 1) AS service_p90
              FROM (SELECT {DIMENSIONS[by]} AS g, count(*) AS n, avg(v.wait_s) AS w,
                           quantile_cont(v.wait_s, [0.5, 0.9, 0.95]) AS q,
                           avg(v.service_s) AS st, quantile_cont(v.service_s, 0.9) AS sq
                    FROM __FROM__ WHERE v.outcome = 'served' AND {where} GROUP BY 1)
              ORDER BY 1"""
    return _table(con, f"Wait and service minutes by {by}", sql, params)


def wait_histogram(con: duckdb.DuckDBPyConnection, flt: Filter = Filter(),
                   width: int = 5, top: int = 90) -> Table:
    """Served visits by wait, in bins of `width` minutes; the last bin holds the tail."""
    where, params = flt.sql()
    sql = f"""SELECT least(floor({WAIT} / {width}) * {width}, {top}) AS wait_from,
                     count(*) FILTER (WHERE v.kind = 'booked') AS booked,
                     count(*) FILTER (WHERE v.kind = 'walk_in') AS walk_in
              FROM __FROM__ WHERE v.outcome = 'served' AND {where} GROUP BY 1 ORDER BY 1"""
    return _table(con, "Served visits by wait (minutes)", sql, params)


def compliance(con: duckdb.DuckDBPyConnection, by: str = "sector",
               flt: Filter = Filter(), limit: int | None = None) -> Table:
    """Share of served visits that waited no longer than their service's maximum wait."""
    where, params = flt.sql()
    sql = f"""SELECT {DIMENSIONS[by]} AS {by}, count(*) AS served,
                count_if(v.wait_s <= v.max_wait * 60) AS within,
                round(100.0 * count_if(v.wait_s <= v.max_wait * 60) / count(*), 2)
                    AS within_pct
              FROM __FROM__ WHERE v.outcome = 'served' AND {where}
              GROUP BY 1 ORDER BY within_pct, 1{f' LIMIT {int(limit)}' if limit else ''}"""
    return _table(con, f"Maximum wait met, by {by}", sql, params)


def no_shows(con: duckdb.DuckDBPyConnection, by: str = "channel",
             flt: Filter = Filter()) -> Table:
    """No-show rate of bookings: booked people who did not come."""
    where, params = flt.sql()
    sql = f"""SELECT {DIMENSIONS[by]} AS {by}, count(*) AS bookings,
                count(*) FILTER (WHERE v.outcome = 'no_show') AS no_shows,
                round(100.0 * count(*) FILTER (WHERE v.outcome = 'no_show') / count(*), 2)
                    AS no_show_pct
              FROM __FROM__ WHERE v.kind = 'booked' AND {where} GROUP BY 1 ORDER BY 1"""
    return _table(con, f"No-shows by {by}", sql, params)


def lead_times(con: duckdb.DuckDBPyConnection, flt: Filter = Filter()) -> Table:
    """How many days ahead people book (0 = the same day)."""
    where, params = flt.sql()
    sql = f"""SELECT v.lead_days AS days_ahead, count(*) AS bookings,
                round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS share_pct
              FROM __FROM__ WHERE v.kind = 'booked' AND {where} GROUP BY 1 ORDER BY 1"""
    return _table(con, "Booking lead time", sql, params)


def online_shift(con: duckdb.DuckDBPyConnection, flt: Filter = Filter()) -> Table:
    """Per month, the share of in-person services that could have been done online."""
    where, params = flt.sql()
    sql = f"""SELECT strftime(v.day, '%Y-%m') AS month, count(*) AS services,
                count(*) FILTER (WHERE s.delivery <> 'paper') AS online_capable,
                round(100.0 * count(*) FILTER (WHERE s.delivery <> 'paper') / count(*), 2)
                    AS online_capable_pct
              FROM __FROM__ WHERE v.outcome = 'served' AND {where} GROUP BY 1 ORDER BY 1"""
    return _table(con, "In-person services that are also online", sql, params)


def calibration(con: duckdb.DuckDBPyConnection, targets: Targets) -> Table:
    """The data set's own figures against the article's, with the relative difference."""
    row = con.execute(_from("""
        SELECT count(*),
               count(*) FILTER (WHERE v.city IN ('almaty', 'astana')),
               count(*) FILTER (WHERE v.sector = 'vehicle'),
               count(*) FILTER (WHERE v.sector = 'vehicle' AND v.city = 'almaty')
        FROM __FROM__ WHERE v.outcome = 'served'""")).fetchone()
    assert row is not None
    national, big, vehicle, vehicle_almaty = (int(x) for x in row)
    figures = [("services, national", national, targets.national),
               ("services, Almaty + Astana", big, targets.almaty_astana),
               ("vehicle services, national", vehicle, targets.vehicle),
               ("vehicle services, Almaty", vehicle_almaty, targets.vehicle_almaty)]
    rows: list[tuple[Any, ...]] = [
        (name, got, want, round(100.0 * (got - want) / want, 3) if want else None)
        for name, got, want in figures]
    share = round(100.0 * vehicle_almaty / vehicle, 2) if vehicle else None
    rows.append(("Almaty's share of vehicle services, %", share, 24.0,
                 round(share - 24.0, 3) if share is not None else None))
    return Table("Calibration against the article's figures", ["figure", "data", "article",
                                                                "difference_pct"], rows)
