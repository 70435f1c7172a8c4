"""What every `kezek` subcommand does with bad input: one readable line, exit status 1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console

err = Console(stderr=True, soft_wrap=True)


def fail(text: str) -> NoReturn:
    err.print(f"[red]error:[/red] {text}", highlight=False)
    raise typer.Exit(1)


def read_json(path: Path) -> Any:
    """A JSON file's content, or one line saying why it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    except json.JSONDecodeError as exc:
        fail(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})")
    except UnicodeDecodeError:
        fail(f"{path}: not UTF-8 text")
