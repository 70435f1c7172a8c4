"""The `kezek` command: the root app and `main`. Bad input exits non-zero with one line.

Each command group lives in its own module of this package (db, demo, iin, registry and
network, users, bookings, identity, kiosk, serve, bot; data, report, plan, jobs and whatif load
lazily). Those modules never import this one: the root assembles them, so the package has
no import cycle (the contract in pyproject.toml's [tool.importlinter] checks it).
"""

from __future__ import annotations

import sys

import typer

from kezek.cli.bookings import bookings_app
from kezek.cli.bot import bot_command
from kezek.cli.catalog import network_app, registry_app
from kezek.cli.common import err
from kezek.cli.db import db_app
from kezek.cli.demo import demo_app
from kezek.cli.identity import identity_app
from kezek.cli.iin import iin_app
from kezek.cli.kiosk import kiosk_app
from kezek.cli.lazy import LazyGroup
from kezek.cli.server import serve
from kezek.cli.users import users_app

app = typer.Typer(help="Kezek: public service centres, bookings by IIN.", no_args_is_help=True,
                  add_completion=False, cls=LazyGroup)
for sub, name in ((db_app, "db"), (demo_app, "demo"), (iin_app, "iin"),
                  (registry_app, "registry"), (network_app, "network"), (users_app, "users"),
                  (bookings_app, "bookings"), (identity_app, "identity"),
                  (kiosk_app, "kiosk")):
    app.add_typer(sub, name=name)
app.command("serve")(serve)
app.command("bot")(bot_command)

# data, report, plan, jobs and whatif are sub-commands too: lazy.LAZY names them and
# imports each only when it runs (ADR 0016).


def main() -> None:
    """Runs the app outside click's standalone mode, so that a usage error (a missing
    argument, a bad option value) is one line on stderr like every other bad input, not
    the multi-line rich panel Typer draws (issue 12)."""
    from pydantic import ValidationError
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
    from typer.exceptions import Abort

    try:
        code = app(standalone_mode=False)
    except KeyboardInterrupt:
        sys.exit(130)
    except NoArgsIsHelpError as exc:  # `kezek users`: the group's help, as before
        exc.show()
        sys.exit(exc.exit_code)
    except ClickException as exc:
        where = getattr(getattr(exc, "ctx", None), "command_path", "kezek")
        text = " ".join(exc.format_message().split())
        err.print(f"[red]error:[/red] {where}: {text} (see `{where} --help`)",
                  highlight=False, markup=True)
        sys.exit(exc.exit_code)
    except Abort:
        err.print("[red]error:[/red] aborted", highlight=False)
        sys.exit(1)
    except OSError as exc:
        # A file a command was told to write or read (an export into a missing
        # directory, a full disk): the operator's path, said in one line.
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"[red]error:[/red] {where}{exc.strerror or exc}", highlight=False)
        sys.exit(1)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        err.print(f"[red]error:[/red] setting {where.upper() or ''}: {first.get('msg')}",
                  highlight=False)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)

