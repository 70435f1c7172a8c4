"""`kezek data export` run as a command: one readable line when there is nothing to
export or the schema is older than the code, never a traceback."""

from __future__ import annotations

from pathlib import Path

from kezek.cli import app
from kezek.settings import get_settings
from kezek.store.migrate import upgrade
from tests.test_cli import db, runner  # noqa: F401  (the fixture)


def test_export_of_an_empty_floor_says_so(db: Path, tmp_path: Path) -> None:  # noqa: F811
    result = runner.invoke(app, ["data", "export", "--out", str(tmp_path / "floor")])
    assert result.exit_code == 1
    assert result.output.strip() == "error: the database holds no visits yet: nothing to export"


def test_an_old_schema_is_one_line_not_a_traceback(db: Path, tmp_path: Path) -> None:  # noqa: F811
    from alembic import command

    from kezek.store.migrate import alembic_config

    command.downgrade(alembic_config(get_settings().database_url), "0009")
    result = runner.invoke(app, ["data", "export", "--out", str(tmp_path / "floor")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "database error:" in result.output and "kezek db upgrade" in result.output
    assert len(result.output.strip().splitlines()) == 1
    upgrade(get_settings().database_url, "head")
