"""Importing the ASGI app, or the CLI for `kezek --help`, loads none of the heavy stacks.

aiogram, matplotlib, DuckDB, scipy and pandas cost seconds to import; a web worker that
loads them at start-up missed uvicorn's health check on a busy machine (ADR 0016). The
imports run in a fresh interpreter, so what this process already loaded does not count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("aiogram", "matplotlib", "duckdb", "scipy", "pandas", "numpy", "kezek.bot",
         "kezek.analytics", "kezek.planning", "kezek.sim")
REPORT = ("import json, sys\n"
          "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}"
          " or any(m == h or m.startswith(h + '.') for h in {heavy}))))\n")


def _loaded(code: str, tmp_path: Path) -> list[str]:
    env = {**os.environ, "KEZEK_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
           "KEZEK_ENV": "test", "KEZEK_LOG_LEVEL": "WARNING"}
    script = code + "\n" + REPORT.format(heavy=repr(set(HEAVY)))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_the_asgi_app_imports_no_heavy_stack(tmp_path: Path) -> None:
    loaded = _loaded("import kezek.api.asgi", tmp_path)
    assert loaded == [], f"importing kezek.api.asgi loaded {loaded[:10]}"


@pytest.mark.parametrize("argv", [["--help"], ["serve", "--help"], ["iin", "check", "x"]])
def test_the_cli_imports_no_heavy_stack_for_light_commands(tmp_path: Path,
                                                           argv: list[str]) -> None:
    code = ("import sys\n"
            f"sys.argv = ['kezek', *{argv!r}]\n"
            "from kezek.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n")
    loaded = _loaded(code, tmp_path)
    assert loaded == [], f"kezek {' '.join(argv)} loaded {loaded[:10]}"


def test_a_lazy_sub_command_still_loads_and_runs(tmp_path: Path) -> None:
    """The other side of the line: `kezek plan --help` does import planning."""
    code = ("import sys\nsys.argv = ['kezek', 'plan', '--help']\n"
            "from kezek.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n")
    loaded = _loaded(code, tmp_path)
    assert "kezek.planning" in loaded


def test_lazy_help_lines_match_the_sub_commands() -> None:
    """kezek.cli.lazy repeats each sub-command's one-line help; it must not drift."""
    import typer

    from kezek.cli.lazy import LAZY, load

    for name, (_, _, line) in LAZY.items():
        command = load(name)
        assert command.help is not None and command.help.splitlines()[0] == line, name
        assert isinstance(command, typer.core.TyperGroup | typer.core.TyperCommand)
