"""The `kezek` command, run in-process against a temporary SQLite database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kezek.cli import app
from kezek.settings import get_settings

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("KEZEK_DATABASE_URL", f"sqlite:///{path}")
    get_settings.cache_clear()
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    yield path
    get_settings.cache_clear()


def test_iin_check_exit_codes() -> None:
    ok = runner.invoke(app, ["iin", "check", "900101300017"])
    assert ok.exit_code == 0 and "90********17" in ok.output
    assert "900101300017" not in ok.output
    bad = runner.invoke(app, ["iin", "check", "900101300019"])
    assert bad.exit_code == 1 and "check digit" in bad.output
    never = runner.invoke(app, ["iin", "check", "900101300800"])
    assert never.exit_code == 1 and "ever issued" in never.output
    short = runner.invoke(app, ["iin", "check", "12345"])
    assert short.exit_code == 1 and "12 digits" in short.output


def test_demo_load_once_then_export_import_registry(db: Path, tmp_path: Path) -> None:
    first = runner.invoke(app, ["demo", "load", "--if-empty"])
    assert first.exit_code == 0 and "services" in first.output
    second = runner.invoke(app, ["demo", "load", "--if-empty"])
    assert second.exit_code == 0 and "not loaded" in second.output
    out_csv = tmp_path / "reg.csv"
    exported = runner.invoke(app, ["registry", "export", str(out_csv)])
    assert exported.exit_code == 0
    lines = out_csv.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("code,name_kk,name_ru") and len(lines) > 150
    again = runner.invoke(app, ["registry", "import", str(out_csv)])
    assert again.exit_code == 0 and "0 new, 0 updated" in again.output
    net = tmp_path / "net.json"
    assert runner.invoke(app, ["network", "export", str(net)]).exit_code == 0
    doc = json.loads(net.read_text(encoding="utf-8"))
    assert len(doc["centers"]) >= 45


def test_registry_import_refuses_a_bad_file_whole(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name_ru,sector,delivery\n12345678,Справка,identity,paper\n"
                   "123,Плохая,identity,paper\n", encoding="utf-8")
    result = runner.invoke(app, ["registry", "import", str(bad)])
    assert result.exit_code == 1
    assert "8 digits" in result.output
    assert len(result.output.strip().splitlines()) == 1
    listing = runner.invoke(app, ["registry", "search", "Справка"])
    assert "12345678" not in listing.output
    notjson = tmp_path / "x.json"
    notjson.write_text("{oops", encoding="utf-8")
    result = runner.invoke(app, ["registry", "import", str(notjson)])
    assert result.exit_code == 1 and "not valid JSON" in result.output
    missing = runner.invoke(app, ["registry", "import", str(tmp_path / "none.csv")])
    assert missing.exit_code == 1 and "cannot read" in missing.output


def test_users_create_and_network_set(db: Path) -> None:
    assert runner.invoke(app, ["demo", "load"]).exit_code == 0
    made = runner.invoke(app, ["users", "create", "aigerim", "--role", "manager",
                               "--center", "1", "--password", "correct-horse-1"])
    assert made.exit_code == 0 and "manager aigerim" in made.output
    dup = runner.invoke(app, ["users", "create", "aigerim", "--role", "admin",
                              "--password", "correct-horse-1"])
    assert dup.exit_code == 1 and "taken" in dup.output
    weak = runner.invoke(app, ["users", "create", "bolat", "--role", "admin",
                               "--password", "short"])
    assert weak.exit_code == 1 and "12 characters" in weak.output
    role = runner.invoke(app, ["users", "create", "bolat", "--role", "king",
                               "--password", "long-enough-pw"])
    assert role.exit_code == 1 and "role" in role.output
    changed = runner.invoke(app, ["network", "set", "1", "format", "booking_only"])
    assert changed.exit_code == 0
    bad = runner.invoke(app, ["network", "set", "1", "format", "weird"])
    assert bad.exit_code == 1
    listing = runner.invoke(app, ["network", "centers", "--region", "KZ-11"])
    assert "booking_only" in listing.output


def test_network_exception_and_holiday(db: Path) -> None:
    assert runner.invoke(app, ["demo", "load"]).exit_code == 0
    closed = runner.invoke(app, ["network", "exception", "1", "2030-01-15", "--note", "repairs"])
    assert closed.exit_code == 0 and "closed" in closed.output
    short = runner.invoke(app, ["network", "exception", "1", "2030-01-16", "--opens", "10:00",
                                "--closes", "13:00"])
    assert short.exit_code == 0 and "10:00-13:00" in short.output
    backwards = runner.invoke(app, ["network", "exception", "1", "2030-01-17", "--opens",
                                    "13:00", "--closes", "10:00"])
    assert backwards.exit_code == 1 and "after" in backwards.output
    bad_day = runner.invoke(app, ["network", "holiday", "2030-13-01"])
    assert bad_day.exit_code == 1 and "not a date" in bad_day.output
    ok = runner.invoke(app, ["network", "holiday", "2030-01-02", "--name-ru", "Новый год"])
    assert ok.exit_code == 0
    missing = runner.invoke(app, ["network", "exception", "9999", "2030-01-15"])
    assert missing.exit_code == 1 and "Not found" in missing.output


def test_bot_without_a_token_says_so_and_exits_non_zero(monkeypatch) -> None:
    monkeypatch.delenv("KEZEK_TELEGRAM_TOKEN", raising=False)
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["bot"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "KEZEK_TELEGRAM_TOKEN" in result.output
