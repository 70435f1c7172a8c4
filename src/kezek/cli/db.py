"""`kezek db`: the database schema (the migrations)."""

from __future__ import annotations

import typer

from kezek.cli.common import fail, out
from kezek.settings import get_settings

db_app = typer.Typer(help="The database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Applies the migrations to the configured database."""
    from kezek.store.migrate import upgrade

    s = get_settings()
    directory = s.sqlite_dir()
    if directory:
        directory.mkdir(parents=True, exist_ok=True)
    try:
        upgrade(s.database_url, revision)
    except Exception as exc:
        fail(f"migration failed: {str(exc).splitlines()[0]}")
    out.print("database is up to date")
