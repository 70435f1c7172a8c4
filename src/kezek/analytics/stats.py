"""National statistics over a data set, computed by DuckDB in SQL.

Every function returns a `Table` (column names and rows) small enough to print, chart or
write as CSV: the heavy lifting stays in DuckDB, which scans the Parquet files in parallel,
so a national year (about 35 million visits) aggregates in seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from kezek.analytics.calibration import Targets
from kezek.analytics.schema import SECTOR_CODES

DIMENSIONS = {
    "region": "v.region", "city": "v.city", "centre": "v.centre", "sector": "v.sector",
    "service": "s.code", "channel": "v.channel", "kind": "v.kind",
    "month": "strftime(v.day, '%Y-%m')", "week": "strftime(v.day, '%G-W%V')",
    "day": "CAST(v.day AS VARCHAR)", "weekday": "dayname(v.day)",
}
CENTRES_JOIN = " JOIN centres c ON c.center_id = v.center_id"
SERVICES_JOIN = " JOIN services s ON s.service_id = v.service_id"
WAIT = "v.wait_s / 60.0"  # minutes, from the measure stored with each visit
# Dimensions stored with a small-integer code beside the name: (code column, the query that
# decodes it, giving columns `code` and `name`). Grouping by the code lets DuckDB aggregate
# into a directly indexed ("perfect") hash table instead of hashing strings.
CODED = {"sector": ("v.sector_id", f"(SELECT sector_id AS code, sector AS name "
                                   f"FROM {SECTOR_CODES})")}
# Group keys up to 2^20 combinations go to a perfect hash table (DuckDB's default: 2^12):
# a sector code and a wait in seconds (up to 18 h) need 4 + 16 bits.
PERFECT_HT_BITS = 20
QUANTILES = (0.5, 0.9, 0.95)


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


def _coded(con: duckdb.DuckDBPyConnection, by: str) -> tuple[str, str] | None:
    """The code column and its decoding query, if `by` is coded in this data set (data sets
    written before the codes existed have none, a connection may lack the dimension
    tables: they take the general path)."""
    if by not in CODED:
        return None
    code, decode = CODED[by]
    try:
        con.execute(f"SELECT {code} FROM visits v LIMIT 0")
        con.execute(f"SELECT code, name FROM {decode} LIMIT 0")
    except (duckdb.BinderException, duckdb.CatalogException):
        return None
    return code, decode


def waits(con: duckdb.DuckDBPyConnection, by: str = "sector", flt: Filter = Filter()) -> Table:
    """Wait and service time per group: mean, median, 90th and 95th percentiles (exact)."""
    where, params = flt.sql()
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}; use one of {', '.join(DIMENSIONS)}")
    coded = _coded(con, by)
    if coded is not None:
        return _waits_by_code(con, by, coded, where, params)
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


Pick = tuple[int | None, int | None, float | None]


def _ranks(xs: npt.NDArray[Any], counts: npt.NDArray[Any],
           quantiles: tuple[float, ...]) -> tuple[float | None, list[Pick]]:
    """From a histogram (values, counts) of one group: the mean, and for each quantile
    what DuckDB's quantile_cont takes from the sorted values: the position
    RN = (n - 1) * q in double precision, the values at its floor and its ceiling (the
    first value whose cumulative count passes that 0-based rank) and the fraction between
    them (`_interpolated` finishes the job). avg's mean, too: the exact integer sum over
    the count, one rounding."""
    if xs.size == 0:
        return None, [(None, None, None)] * len(quantiles)
    order = np.argsort(xs, kind="stable")
    xs, counts = xs[order], counts[order]
    cum = np.cumsum(counts)
    n = int(cum[-1])
    mean = int((xs.astype(np.int64) * counts).sum()) / n
    picks: list[Pick] = []
    for q in quantiles:
        rn = float(n - 1) * q
        lo, hi = math.floor(rn), math.ceil(rn)
        picks.append((int(xs[np.searchsorted(cum, lo, side="right")]),
                      int(xs[np.searchsorted(cum, hi, side="right")]), rn - lo))
    return mean, picks


def _interpolated(con: duckdb.DuckDBPyConnection, picks: list[Pick]) -> list[float | None]:
    """quantile_cont's value for each (lo, hi, fraction), to the last bit.

    Where every step of the interpolation is exact in double precision (all of a national
    year's groups: the fraction has few significant bits when n is large), any way of
    computing it gives that one number, so Python does. Otherwise the last bit depends on
    how the DuckDB build rounds (it may fuse the multiply-add), so DuckDB's own
    quantile_cont interpolates the two values with the same fraction."""
    out: list[float | None] = []
    ask: list[int] = []
    for i, (lo, hi, d) in enumerate(picks):
        if lo is None or hi is None or d is None:
            out.append(None)
        elif d == 0:
            out.append(float(lo))
        else:
            value = _exact_interpolation(lo, hi, d)
            out.append(value)
            if value is None:
                ask.append(i)
    if ask:
        params: list[Any] = []
        for i in ask:
            params += [picks[i][2], picks[i][0], picks[i][1]]
        sql = "SELECT [" + ", ".join(
            "(SELECT quantile_cont(x, ?) FROM (VALUES (?::BIGINT), (?::BIGINT)) t(x))"
            for _ in ask) + "]"
        row = con.execute(sql, params).fetchone()
        assert row is not None
        for i, value in zip(ask, row[0], strict=True):
            out[i] = value
    return out


def _exact_interpolation(lo: int, hi: int, d: float) -> float | None:
    """lo + (hi - lo) * d if that and every intermediate of either textbook form
    (lo * (1 - d) + hi * d) is exactly representable, else None."""
    fd = Fraction(d)
    steps = (1 - fd, lo * (1 - fd), hi * fd, (hi - lo) * fd, lo + (hi - lo) * fd)
    if all(Fraction(float(x)) == x for x in steps):
        return float(steps[-1])
    return None


def _waits_by_code(con: duckdb.DuckDBPyConnection, by: str, coded: tuple[str, str],
                   where: str, params: list[Any]) -> Table:
    """`waits` for a coded dimension, from histograms of whole seconds per group.

    The same figures as quantile_cont and avg give, to the last bit (the tests compare
    both), at a fraction of the cost: quantile_cont gathers and partially sorts every
    value (35 million in a national year), while a histogram keyed by (code, seconds) is
    a perfect hash table of counts; the ranks are then read off its cumulative sums
    (some 150,000 rows, in numpy)."""
    code, decode = coded
    sql = " UNION ALL ".join(
        _from(f"""SELECT {m} AS m, {code} AS g, v.{measure} AS x, count(*) AS c
                  FROM __FROM__ WHERE v.outcome = 'served' AND {where} GROUP BY ALL""")
        for m, measure in enumerate(("wait_s", "service_s")))
    row = con.execute("SELECT current_setting('perfect_ht_threshold')").fetchone()
    con.execute(f"SET perfect_ht_threshold = {PERFECT_HT_BITS}")
    try:
        h = con.execute(sql, params + params).fetchnumpy()
    finally:
        con.execute(f"SET perfect_ht_threshold = {int(row[0]) if row else 12}")
    measure, group, counts = h["m"], h["g"], h["c"]
    measured = ~np.ma.getmaskarray(h["x"])
    values = np.ma.getdata(h["x"])
    groups, picks = [], []
    for g, name in con.execute(f"SELECT code, name FROM {decode} ORDER BY name").fetchall():
        in_group = group == g
        waits, services = in_group & (measure == 0), in_group & (measure == 1)
        if not waits.any():
            continue  # no served visit in this group
        wait_mean, wait_picks = _ranks(values[waits & measured], counts[waits & measured],
                                       QUANTILES)
        service_mean, service_picks = _ranks(values[services & measured],
                                             counts[services & measured], (0.9,))
        groups.append((name, int(counts[waits].sum()), wait_mean, service_mean))
        picks += wait_picks + service_picks
    figures = [m for _, _, *means in groups for m in means] + _interpolated(con, picks)
    rounded = con.execute("SELECT [round(v / 60, 1) for v in ?::DOUBLE[]]",
                          [figures]).fetchone()
    assert rounded is not None
    minutes: list[float | None] = rounded[0]
    per, means = len(QUANTILES) + 1, 2 * len(groups)
    rows = []
    for k, (name, served, _, _) in enumerate(groups):
        p50, p90, p95, s90 = minutes[means + k * per:means + (k + 1) * per]
        rows.append((name, served, minutes[2 * k], p50, p90, p95, minutes[2 * k + 1], s90))
    return Table(f"Wait and service minutes by {by}",
                 [by, "served", "wait_mean", "wait_p50", "wait_p90", "wait_p95",
                  "service_mean", "service_p90"], rows)


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
    coded = _coded(con, by)
    if coded is not None:  # group by the code, name the dozen groups afterwards
        code, decode = coded
        sql = f"""SELECT d.name AS {by}, served, within,
                         round(100.0 * within / served, 2) AS within_pct
                  FROM (SELECT {code} AS g, count(*) AS served,
                               count_if(v.wait_s <= v.max_wait * 60) AS within
                        FROM __FROM__ WHERE v.outcome = 'served' AND {where} GROUP BY 1)
                  JOIN {decode} d ON d.code = g
                  ORDER BY within_pct, 1{f' LIMIT {int(limit)}' if limit else ''}"""
        return _table(con, f"Maximum wait met, by {by}", sql, params)
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
