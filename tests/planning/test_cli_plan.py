"""`kezek plan` through Typer's runner: tables, JSON report, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kezek.cli.plan import plan_app

runner = CliRunner()

INSTANCE = {
    "k": 1, "within_km": 5,
    "demand": [{"id": "a", "name": "A", "lat": 43.20, "lon": 76.90, "demand": {"vehicle": 800}},
               {"id": "b", "name": "B", "lat": 43.30, "lon": 77.20, "demand": {"vehicle": 400}}],
    "sites": [{"id": "old", "name": "Old", "lat": 43.21, "lon": 76.90, "existing": True,
               "capacity": 1000, "windows": 4},
              {"id": "east", "name": "East", "lat": 43.30, "lon": 77.19, "capacity": 600,
               "windows": 3},
              {"id": "west", "name": "West", "lat": 43.20, "lon": 76.60, "capacity": 600,
               "windows": 3}],
    "waits": {"service_minutes": 15, "open_hours": 868, "max_wait_minutes": 30},
}


def write(tmp_path: Path, doc: object, name: str = "inst.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def test_solve_prints_tables_and_writes_report(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(plan_app, ["solve", str(write(tmp_path, INSTANCE)), "--out", str(out),
                                      "--simulate", "0"])
    assert result.exit_code == 0, result.output
    assert "Open 1 new site(s): East" in result.output
    assert "HiGHS: optimal" in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["opened"] == ["east"]
    assert report["solver"]["status"] == "optimal"
    after = {s["id"]: s for s in report["after"]["sites"]}
    assert after["east"]["visits"] == 400 and after["old"]["visits"] == 800
    assert report["after"]["travel"]["share_within_km"] == 1.0
    # The old site alone holds 1,000 of 1,200 visits: before, everyone went to it anyway.
    assert report["before"]["mode"] == "nearest (over capacity)"
    assert report["before"]["sites"][0]["visits"] == 1200
    assert report["before"]["sites"][0]["utilisation"] == 1.2
    # 1,200 visits over 868 hours is 1.38 an hour: 4 windows still cope (0.35 Erlangs).
    assert 0 < report["before"]["sites"][0]["mean_wait_minutes"] < 0.01


def test_solve_json_and_options(tmp_path: Path) -> None:
    path = write(tmp_path, INSTANCE)
    result = runner.invoke(plan_app, ["solve", str(path), "--k", "2", "--json", "--single",
                                      "--simulate", "2000"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["opened"] == ["east", "west"] and report["k"] == 2
    assert report["single_assignment"] is True
    assert all(s["simulated_wait_minutes"] is not None for s in report["after"]["sites"])
    # With a cost for opening, "at most 2" opens only the site that saves travel.
    costly = {**INSTANCE, "sites": [{**s, "opening_cost": 1.0} for s in INSTANCE["sites"]]}
    path = write(tmp_path, costly, "costly.json")
    result = runner.invoke(plan_app, ["solve", str(path), "--k", "2", "--at-most", "--json",
                                      "--simulate", "0"])
    assert json.loads(result.output)["opened"] == ["east"]


def test_almaty_example() -> None:
    result = runner.invoke(plan_app, ["almaty-vehicle", "--json", "--simulate", "0"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["opened"] == ["almaty-6-medeu", "karasai", "esik"]
    assert report["before"]["mode"] == "nearest (over capacity)"
    table = runner.invoke(plan_app, ["almaty-vehicle", "--k", "2", "--simulate", "0"])
    assert table.exit_code == 0
    assert "Karasai" in table.output and "unbounded" in table.output


def test_an_instance_without_visits_is_answered(tmp_path: Path) -> None:
    zero = {**INSTANCE, "demand": [{**d, "demand": {"vehicle": 0}} for d in INSTANCE["demand"]]}
    result = runner.invoke(plan_app, ["solve", str(write(tmp_path, zero)), "--json",
                                      "--simulate", "2"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["solver"]["name"].startswith("none needed") and len(plan["opened"]) == 1
    assert plan["after"]["travel"]["total_visit_km"] == 0


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    cases = [
        (["solve", str(tmp_path / "missing.json")], "cannot read"),
        (["solve", str(write(tmp_path, "{", "broken.json"))], "not valid JSON"),
        (["solve", str(write(tmp_path, {**INSTANCE, "k": 0, "sites": [
            {**INSTANCE["sites"][0], "capacity": 100}]}, "short.json"))], "capacity short"),
        (["solve", str(write(tmp_path, {**INSTANCE, "demand": [
            {"id": "a", "lat": 430, "lon": 76.9, "demand": {"v": 1}}]}, "lat.json"))],
         "not on the Earth"),
        (["solve", str(write(tmp_path, {**INSTANCE, "k": "two"}, "k.json"))], "wrong type"),
        (["almaty-vehicle", "--k", "1"], "total capacity short"),
    ]
    for args, text in cases:
        result = runner.invoke(plan_app, [*args, "--simulate", "0"])
        assert result.exit_code == 1, (args, result.output)
        assert text in result.output, result.output
        assert result.output.strip().count("\n") == 0, result.output
        assert "Traceback" not in result.output
