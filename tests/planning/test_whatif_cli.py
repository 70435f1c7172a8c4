"""`kezek whatif` end to end through Typer's runner: report files, languages, bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kezek.cli.whatif import baseline, whatif_app
from kezek.core.network import CenterKind
from kezek.planning.whatif_io import scenario_from_dict
from kezek.planning.whatif_model import WhatIfError

runner = CliRunner()

TINY = {
    "title": "tiny",
    "variants": [
        {"name": "more-windows", "title": {"en": "Two more windows", "ru": "Ещё два окна"},
         "changes": [{"type": "set_windows", "centre": "almaty-spec-1", "delta": 2}]},
        {"name": "strict", "title": "Almaly booking-only",
         "changes": [{"type": "set_format", "centre": "almaty-almaly",
                      "format": "booking_only"}]},
    ],
}


def write(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "scenario.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def test_run_writes_one_report_with_every_variant(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = runner.invoke(whatif_app, ["run", str(write(tmp_path, TINY)), "--out", str(out),
                                        "--days", "1", "--seeds", "2", "--lang", "ru"])
    assert result.exit_code == 0, result.output
    assert "more-windows:" in result.output and "Отчёт записан" in result.output
    names = {p.name for p in out.iterdir()}
    assert {"index.html", "network.csv", "centres.csv", "demand.csv", "per_seed.csv",
            "network_mean_wait.png", "network_p90_wait.png", "network_pushed.png",
            "more-windows_p90_wait.png", "strict_p90_wait.png"} <= names
    assert (out / "network_mean_wait.png").read_bytes()[:4] == b"\x89PNG"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'lang="ru"' in page and "Ещё два окна" in page and "Almaly booking-only" in page
    assert "almaty-spec-1 · more-windows" in page and "almaty-almaly · strict" in page
    assert "Среднее ожидание, мин" in page
    with (out / "network.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["scenario"] for r in rows} == {"baseline", "more-windows", "strict"}
    wait = next(r for r in rows if r["scenario"] == "more-windows" and r["metric"] == "mean_wait")
    assert float(wait["diff_mean"]) < 0  # two more windows at a busy autoPSC
    with (out / "per_seed.csv").open(encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == 3 * 2


def test_calibrated_demand_follows_the_articles_buckets() -> None:
    net, table = baseline(0.8)
    rows = {r[0]: r for r in table.rows}
    # A typical working day of 1.5 M vehicle services a half-year, 24 % in Almaty.
    assert rows["vehicle_almaty"][2] == 2495
    assert all(r[5] <= 80.0 + 1e-9 for r in table.rows)
    almaty = {p.slug: sum(net.visits(p.slug).values()) for p in net.places
              if p.center.city == "almaty" and p.center.kind is CenterKind.GENERAL}
    assert max(almaty, key=lambda s: almaty[s]) == "almaty-almaly"  # example case (a)
    vehicle = sum(sum(net.visits(p.slug).values()) for p in net.places
                  if p.center.city == "almaty" and p.center.kind is CenterKind.SPECIALISED)
    assert vehicle == pytest.approx(rows["vehicle_almaty"][3], abs=1)


@pytest.mark.parametrize(("doc", "message"), [
    ("{not json", "not valid JSON"),
    ({"variants": [{"name": "x", "changes": [{"type": "set_windows", "centre": "nowhere",
                                               "delta": 1}]}]}, "unknown centre 'nowhere'"),
    ({"variants": [{"name": "x", "changes": [{"type": "set_windows", "centre": "almaty-spec-1",
                                               "count": -2}]}]}, "'count' must be at least 1"),
    ({"variants": [{"name": "x", "changes": [{"type": "set_windows", "centre": "almaty-spec-1",
                                               "delta": -20}]}]}, "leaves none"),
    ({"variants": [{"name": "x", "changes": [{"type": "teleport"}]}]}, "unknown change type"),
    ({"variants": []}, "non-empty list 'variants'"),
])
def test_bad_input_exits_1_with_one_line(tmp_path: Path, doc: object, message: str) -> None:
    result = runner.invoke(whatif_app, ["run", str(write(tmp_path, doc)), "--out",
                                        str(tmp_path / "r"), "--days", "1", "--seeds", "1"])
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert not (tmp_path / "r").exists()


def test_missing_file_and_language(tmp_path: Path) -> None:
    result = runner.invoke(whatif_app, ["run", str(tmp_path / "none.json"), "--out",
                                        str(tmp_path / "r")])
    assert result.exit_code == 1 and "cannot read" in result.output
    result = runner.invoke(whatif_app, ["run", str(write(tmp_path, TINY)), "--out",
                                        str(tmp_path / "r"), "--lang", "de"])
    assert result.exit_code == 1 and "unknown language" in result.output


def test_the_shipped_example_names_the_four_cases() -> None:
    from importlib import resources

    doc = json.loads((resources.files("kezek.planning") / "data" / "whatif_example.json")
                     .read_text(encoding="utf-8"))
    spec = scenario_from_dict(doc)
    assert [v.name for v in spec.variants] == ["a-booking-only", "b-windows", "c-vehicle-30",
                                               "d-new-centres"]
    with pytest.raises(WhatIfError, match="unique"):
        scenario_from_dict({"variants": [doc["variants"][0], doc["variants"][0]]})
