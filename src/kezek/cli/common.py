"""What every `kezek` subcommand does with bad input: one readable line, exit status 1."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console

err = Console(stderr=True, soft_wrap=True)


out = Console(soft_wrap=True)
T = TypeVar("T")


def fail(text: str, code: int = 1) -> NoReturn:
    err.print(f"[red]error:[/red] {text}", highlight=False)
    raise typer.Exit(code)


def run(work: Callable[[Any], Awaitable[T]]) -> T:
    """Runs `work(session)` in one transaction; domain errors become one line and exit 1."""
    from sqlalchemy.exc import SQLAlchemyError

    from kezek.core.errors import KezekError
    from kezek.i18n import error_message
    from kezek.settings import get_settings
    from kezek.store.db import make_engine, make_sessionmaker, unit_of_work

    async def main() -> T:
        engine = make_engine(get_settings().database_url)
        try:
            async with unit_of_work(make_sessionmaker(engine)) as session:
                return await work(session)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except KezekError as exc:
        fail(error_message(exc.code, "en", exc.params))
    except OSError as exc:
        fail(f"cannot reach the database: {exc}")
    except SQLAlchemyError as exc:
        # One line, never the traceback: most often a schema older than the code.
        cause = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        fail(f"database error: {cause} (is the schema up to date? `kezek db upgrade`)")


def whoami() -> str:
    """The operating-system user, for the audit log's actor (`cli:<user>`)."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def read_json(path: Path | Traversable) -> Any:
    """A JSON file's content, or one line saying why it cannot be read (a path the
    operator gave, or a data file shipped in the package)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    except json.JSONDecodeError as exc:
        fail(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})")
    except UnicodeDecodeError:
        fail(f"{path}: not UTF-8 text")


def write_text(path: Path, text: str) -> None:
    """Writes an export file, or says in one line why it cannot be written (a missing
    directory, no permission): the export is done, only the file could not be saved."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror}")
