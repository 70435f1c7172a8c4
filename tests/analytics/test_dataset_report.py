from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from kezek.analytics import stats
from kezek.analytics.calibration import Targets
from kezek.analytics.dataset import connect
from kezek.analytics.floor import rebuild_visits
from kezek.analytics.report import write
from kezek.cli import app


def test_the_floor_form_gives_back_exactly_the_generated_visits(dataset, tmp_path):
    floor = ("bookings", "tickets", "events", "centres", "services")
    for name in floor:
        shutil.copy(dataset / f"{name}.parquet", tmp_path / f"{name}.parquet")
    con = duckdb.connect()
    for name in floor:
        path = tmp_path / f"{name}.parquet"
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    assert rebuild_visits(con, tmp_path) > 20_000
    a = f"read_parquet('{dataset}/visits.parquet')"
    b = f"read_parquet('{tmp_path}/visits.parquet')"
    for left, right in ((a, b), (b, a)):
        row = con.execute(f"SELECT count(*) FROM (SELECT * FROM {left} EXCEPT ALL "
                          f"SELECT * FROM {right})").fetchone()
        assert row == (0,)


def test_statistics_add_up(dataset):
    con = connect(dataset)
    meta = json.loads((dataset / "meta.json").read_text())
    targets = Targets(**meta["targets"])
    by_region = stats.services_by(con, "region")
    assert sum(by_region.column("services")) == targets.national
    assert abs(sum(by_region.column("share_pct")) - 100) < 0.1
    almaty = dict(zip(by_region.column("region"), by_region.column("services"), strict=True))
    astana_almaty = almaty["KZ-75"] + almaty["KZ-71"]
    assert astana_almaty == targets.almaty_astana
    cal = stats.calibration(con, targets)
    assert all(abs(d) < 1 for d in cal.column("difference_pct"))
    comp = stats.compliance(con, "sector")
    assert all(0 < p <= 100 for p in comp.column("within_pct"))
    ns = stats.no_shows(con, "channel")
    assert 7 < sum(ns.column("no_shows")) * 100 / sum(ns.column("bookings")) < 11
    assert "walk_in" not in ns.column("channel")
    w = stats.waits(con, "kind")
    waits = dict(zip(w.column("kind"), w.column("wait_mean"), strict=True))
    assert waits["booked"] < waits["walk_in"]  # booked people are served first
    lead = stats.lead_times(con)
    assert set(lead.column("days_ahead")) <= set(range(11))


def test_a_filter_narrows_every_figure(dataset):
    con = connect(dataset)
    everything = sum(stats.services_by(con, "sector").column("services"))
    almaty = sum(stats.services_by(con, "sector", stats.Filter(city="almaty")).column("services"))
    january = stats.services_by(con, "month", stats.Filter(end=__import__("datetime").date(
        2026, 1, 31)))
    assert 0 < almaty < everything
    assert january.column("month") == ["2026-01"]
    with pytest.raises(ValueError, match="unknown dimension"):
        stats.services_by(con, "planet")


def test_report_end_to_end(dataset, tmp_path):
    index = write(dataset, tmp_path / "report", "kk")
    page = index.read_text(encoding="utf-8")
    assert "Өңірлер бойынша қызметтер" in page and "Мақаладағы сандармен салыстыру" in page
    pngs = sorted(p.name for p in index.parent.glob("*.png"))
    assert "region.png" in pngs and "histogram.png" in pngs and len(pngs) >= 9
    for png in index.parent.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'src="{png.name}"' in page
    with (index.parent / "calibration.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["figure"] == "services, national" and float(rows[0]["difference_pct"]) == 0


def test_cli_generates_reports_and_refuses_bad_input(tmp_path: Path):
    runner = CliRunner()
    data = tmp_path / "d"
    res = runner.invoke(app, ["data", "generate", "--months", "1", "--scale", "0.001",
                              "--out", str(data), "--seed", "5"])
    assert res.exit_code == 0, res.output
    assert (data / "visits.parquet").exists() and (data / "events.parquet").exists()
    res = runner.invoke(app, ["data", "stats", "--data", str(data), "--by", "sector",
                              "--measure", "compliance", "--csv", str(tmp_path / "c.csv")])
    assert res.exit_code == 0 and "vehicle" in res.output
    assert (tmp_path / "c.csv").read_text().startswith("sector,served,within,within_pct")
    res = runner.invoke(app, ["report", "--data", str(data), "--out", str(tmp_path / "r")])
    assert res.exit_code == 0 and (tmp_path / "r" / "index.html").exists()
    for bad in (["data", "stats", "--data", str(tmp_path / "none")],
                ["data", "stats", "--data", str(data), "--by", "planet"],
                ["data", "generate", "--start", "2026-02-30", "--out", str(tmp_path / "x")],
                ["report", "--data", str(data), "--lang", "de", "--out", str(tmp_path / "y")]):
        res = runner.invoke(app, bad)
        assert res.exit_code == 1, bad
        assert res.output.count("\n") <= 2 and "error" in res.output, res.output
