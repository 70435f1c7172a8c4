"""The fast paths of the statistics (grouping by a stored sector code, exact quantiles read
off histograms) must give exactly what the general SQL gives: quantile_cont and avg over
every value, grouped by the sector's name."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from kezek.analytics import stats
from kezek.analytics.dataset import connect
from kezek.analytics.schema import SECTOR_CODES


def general(monkeypatch: pytest.MonkeyPatch, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    """The same statistic through the general path (no coded dimensions)."""
    with monkeypatch.context() as m:
        m.setattr(stats, "CODED", {})
        return fn(*args, **kwargs)


def test_the_generated_data_set_stores_sector_codes_that_decode_to_the_names(dataset):
    con = connect(dataset)
    row = con.execute(f"""SELECT count(*), count(*) FILTER (WHERE d.sector <> v.sector)
                          FROM visits v LEFT JOIN {SECTOR_CODES} d
                          ON d.sector_id = v.sector_id""").fetchone()
    assert row is not None and row[0] > 20_000 and row[1] == 0


@pytest.mark.parametrize("flt", [stats.Filter(), stats.Filter(city="almaty"),
                                 stats.Filter(end=__import__("datetime").date(2026, 1, 20))])
def test_coded_waits_and_compliance_equal_the_general_sql(dataset, monkeypatch, flt):
    con = connect(dataset)
    fast, slow = stats.waits(con, "sector", flt), general(monkeypatch, stats.waits, con,
                                                          "sector", flt)
    assert fast.columns == slow.columns and fast.rows == slow.rows and len(fast.rows) > 5
    fast_c = stats.compliance(con, "sector", flt, limit=4)
    slow_c = general(monkeypatch, stats.compliance, con, "sector", flt, limit=4)
    assert fast_c.columns == slow_c.columns and fast_c.rows == slow_c.rows
    assert con.execute("SELECT current_setting('perfect_ht_threshold')").fetchone() == (12,)


def test_a_data_set_without_codes_takes_the_general_path(dataset, tmp_path):
    for name in ("centres", "services"):
        shutil.copy(dataset / f"{name}.parquet", tmp_path / f"{name}.parquet")
    duckdb.execute(f"""COPY (SELECT * EXCLUDE (sector_id)
                             FROM read_parquet('{dataset / "visits.parquet"}'))
                       TO '{tmp_path / "visits.parquet"}' (FORMAT PARQUET)""")
    old, new = connect(tmp_path), connect(dataset)
    assert stats.waits(old, "sector").rows == stats.waits(new, "sector").rows
    assert stats.compliance(old, "sector").rows == stats.compliance(new, "sector").rows
    bare = duckdb.connect()  # visits alone, no services table to decode the codes with
    bare.execute(f"CREATE VIEW visits AS SELECT * FROM read_parquet('{dataset}/visits.parquet')")
    assert stats.waits(bare, "sector").rows == stats.waits(new, "sector").rows


def crafted(seed: int) -> duckdb.DuckDBPyConnection:
    """Visits of very uneven groups (one visit to thousands), waits in ten-minute steps so
    that an interpolation off by a hundredth shows after rounding, some missing times."""
    con = duckdb.connect()
    con.execute(f"SELECT setseed({seed / 100})")
    con.execute("""CREATE TABLE services AS
                   SELECT i AS service_id, 'sector_' || chr(CAST(97 + i % 9 AS INTEGER)) AS sector,
                          5 + i % 4 * 10 AS max_wait FROM range(27) t(i)""")
    con.execute(f"""CREATE TABLE visits AS
        SELECT s.service_id, s.sector, s.max_wait, sc.sector_id, DATE '2026-01-01' AS day,
               'r' AS region, 'c' AS city, 'x' AS centre,
               CASE WHEN random() < 0.97 THEN 'served' ELSE 'left' END AS outcome,
               CASE WHEN random() < 0.02 THEN NULL
                    ELSE CAST(floor(random() * random() * 40) * 600 AS INTEGER) END AS wait_s,
               CASE WHEN random() < 0.01 THEN NULL
                    ELSE CAST(60 + floor(random() * 90) * 600 AS INTEGER) END AS service_s
        FROM range(6000) t(i)
        JOIN services s ON s.service_id = CAST(floor(pow(random(), 3) * 27) AS INTEGER)
        JOIN {SECTOR_CODES} sc ON sc.sector = s.sector""")
    # One sector with a single served visit, one whose waits are all missing.
    con.execute("""INSERT INTO visits SELECT 100, 'sector_solo', 15, 0, DATE '2026-01-01',
                    'r', 'c', 'x', 'served', 1234, 600""")
    con.execute("""INSERT INTO visits SELECT 101, 'sector_unmeasured', 15, 0,
                   DATE '2026-01-01', 'r', 'c', 'x', 'served', NULL, NULL FROM range(3)""")
    con.execute("INSERT INTO services VALUES (100, 'sector_solo', 15), "
                "(101, 'sector_unmeasured', 15)")
    con.execute(f"""UPDATE visits SET sector_id = sc.sector_id FROM {SECTOR_CODES} sc
                    WHERE sc.sector = visits.sector""")
    return con


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_histogram_quantiles_are_exactly_duckdbs_quantile_cont(seed, monkeypatch):
    con = crafted(seed)
    fast, slow = stats.waits(con, "sector"), general(monkeypatch, stats.waits, con, "sector")
    assert fast.rows == slow.rows
    names = fast.column("sector")
    assert "sector_solo" in names and "sector_unmeasured" in names
    unmeasured = fast.rows[names.index("sector_unmeasured")]
    assert unmeasured[1] == 3 and unmeasured[2:] == (None,) * 6
    assert stats.compliance(con, "sector").rows == general(
        monkeypatch, stats.compliance, con, "sector").rows


def test_the_quantiles_and_means_to_the_last_bit():
    """Unrounded, over groups of one value to 300,000, against quantile_cont and avg
    themselves; both ways of interpolating (exact in Python, DuckDB's own for the rest)
    are exercised."""
    con = duckdb.connect()
    con.execute("SELECT setseed(0.5)")
    con.execute("""CREATE TABLE t AS
                   SELECT i % 101 AS g, CAST(random() * random() * 4000 AS INTEGER) AS x
                   FROM range(600000) r(i)
                   WHERE i % 101 = 100 OR random() < pow((i % 101 + 1) / 101.0, 4)""")
    h = con.execute("SELECT g, x, count(*) AS c FROM t GROUP BY ALL").fetchnumpy()
    quantiles = (0.1, 0.5, 0.9, 0.95, 0.99, 0.333)
    groups = sorted(set(h["g"].tolist()))
    assert len(groups) > 80
    got, python_exact = [], 0
    for g in groups:
        mean, picks = stats._ranks(h["x"][h["g"] == g], h["c"][h["g"] == g], quantiles)
        got.append((g, mean, stats._interpolated(con, picks)))
        python_exact += sum(1 for lo, hi, d in picks
                            if d and stats._exact_interpolation(lo, hi, d) is not None)
    want = con.execute(f"SELECT g, avg(x), quantile_cont(x, {list(quantiles)}) FROM t "
                       "GROUP BY g ORDER BY g").fetchall()
    assert got == [(g, m, list(q)) for g, m, q in want]
    assert 0 < python_exact < len(quantiles) * len(groups)  # some of each kind
    assert stats._ranks(h["x"][:0], h["c"][:0], (0.5,)) == (None, [(None, None, None)])


def test_the_write_path_keeps_the_codes_with_the_floor_form(dataset: Path):
    """The floor form is rebuilt with the same joins, so its visits carry the codes too
    (test_dataset_report compares the rebuilt visits with the generated ones in full)."""
    con = connect(dataset)
    described = {r[0] for r in con.execute("DESCRIBE visits").fetchall()}
    assert {"sector", "sector_id", "wait_s", "service_s", "max_wait"} <= described


def test_visits_are_written_month_by_month_with_outcomes_and_sectors_in_runs(dataset):
    """The physical order the statistics rely on for speed (dataset.VISITS_ORDER)."""
    path = dataset / "visits.parquet"
    con = duckdb.connect()
    row = con.execute(f"""SELECT count(*) FILTER (WHERE k < lag_k), count(*) FROM (
        SELECT k, lag(k) OVER (ORDER BY file_row_number) AS lag_k FROM (
            SELECT file_row_number,
                   [epoch(date_trunc('month', day))::BIGINT,
                    list_position(['left', 'no_show', 'open', 'served'], outcome),
                    sector_id, epoch(day)::BIGINT, center_id] AS k
            FROM read_parquet('{path}', file_row_number = true)))""").fetchone()
    assert row is not None and row[0] == 0 and row[1] > 20_000
    sizes = con.execute(f"SELECT max(row_group_num_rows) FROM parquet_metadata('{path}')")
    assert sizes.fetchone() == (row[1],)  # a small data set is one row group
