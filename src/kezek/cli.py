"""The `kezek` command. Bad input exits non-zero with one readable line."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import typer

from kezek.cli_catalog import network_app, registry_app
from kezek.cli_common import err, fail, out, run
from kezek.cli_identity import identity_app
from kezek.cli_lazy import LazyGroup
from kezek.cli_users import users_app
from kezek.core import iin as iin_rules
from kezek.i18n import message
from kezek.settings import Settings, get_settings

app = typer.Typer(help="Kezek: public service centres, bookings by IIN.", no_args_is_help=True,
                  add_completion=False, cls=LazyGroup)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo network.", no_args_is_help=True)
iin_app = typer.Typer(help="IIN tools.", no_args_is_help=True)
bookings_app = typer.Typer(help="Bookings.", no_args_is_help=True)
for sub, name in ((db_app, "db"), (demo_app, "demo"), (iin_app, "iin"),
                  (registry_app, "registry"), (network_app, "network"), (users_app, "users"),
                  (bookings_app, "bookings"), (identity_app, "identity")):
    app.add_typer(sub, name=name)


# data, report, plan, jobs and whatif are sub-commands too: cli_lazy.LAZY names them and
# imports each only when it runs (ADR 0016).

@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          jobs: bool = typer.Option(True, help="Also run the background jobs (reminders, "
                                    "waitlist offers) in this process; turn off where "
                                    "`kezek jobs worker` runs on its own."),
          timeout_worker_healthcheck: int = typer.Option(
              30, min=1, help="Seconds a new worker may take to start answering before "
                              "it is killed and replaced (with --workers > 1)."),
          timeout_graceful_shutdown: int = typer.Option(
              10, min=0, help="Seconds, after SIGTERM, that open requests and event "
                              "streams get to end before they are cut.")) -> None:
    """Starts the web server (API and pages), and by default the background jobs.

    uvicorn's own worker health-check timeout (5 s) kills workers that are still importing
    on a busy two-core machine, so the default here is 30 s; and without a graceful-shutdown
    bound one open connection could hold a stop for ever (ADR 0016). With more than one
    worker, metrics are kept in PROMETHEUS_MULTIPROC_DIR (a fresh directory under var/
    unless set), so that a scrape of any worker sums them all (ADR 0019).
    """
    if workers > 1:
        _metrics_dir()
    import uvicorn

    from kezek import logs

    s = get_settings()
    logs.setup(s.log_level, s.log_json)
    _warn_connection_budget(s, workers, jobs)
    background = None
    if jobs:
        import signal

        from kezek.cli_jobs import consumer

        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM,
                                                         signal.SIGHUP)}
        background = consumer()
        background.start()  # threads; the server, not huey, handles the signals
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    _stop_is_a_clean_exit()
    try:
        uvicorn.run("kezek.api.asgi:app", host=host, port=port, workers=workers,
                    log_config=None, use_colors=False, proxy_headers=True,
                    timeout_worker_healthcheck=timeout_worker_healthcheck,
                    timeout_graceful_shutdown=timeout_graceful_shutdown)
    finally:
        if background is not None:
            background.stop(graceful=True)


def _stop_is_a_clean_exit() -> None:
    """After a graceful stop uvicorn raises the captured SIGTERM again, to the handler it
    found: the default one would end the process as killed (-15) although every request
    was finished. A handler of ours makes that stop exit 0, after the `finally` that
    stops the jobs."""
    import signal

    def clean_exit(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, clean_exit)


def _metrics_dir() -> None:
    """Sets PROMETHEUS_MULTIPROC_DIR before prometheus_client is imported anywhere (it
    reads the variable once), emptied of an earlier run's files, which would otherwise
    be summed in."""
    import os
    import shutil
    from pathlib import Path

    path = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or "var/metrics")
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path.resolve())


def _warn_connection_budget(s: Settings, workers: int, jobs: bool) -> None:
    """One line on stderr if the workers' pools could exceed PostgreSQL's connections."""

    from kezek.jobs.flows import JOB_POOL
    from kezek.store.db import connection_budget

    wanted = workers * (s.db_pool_size + s.db_max_overflow) + (JOB_POOL if jobs else 0)
    warning = asyncio.run(connection_budget(s.database_url, wanted))
    if warning:
        err.print(f"warning: {warning}")


@app.command("bot")
def bot() -> None:
    """Runs the Telegram bot with long polling (needs KEZEK_TELEGRAM_TOKEN)."""
    from kezek.cli_bot import run_bot

    raise typer.Exit(run_bot(get_settings()))


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


@demo_app.command("load")
def demo_load(if_empty: bool = typer.Option(False, "--if-empty",
                                            help="do nothing if data is present")) -> None:
    """Loads the demo registry and network."""
    from kezek.app import demo

    async def work(session: Any) -> dict[str, int] | None:
        if if_empty and not await demo.is_empty(session):
            return None
        return await demo.load(session, get_settings().iin_key.encode())

    counts = run(work)
    if counts is None:
        out.print("demo data not loaded: the database already holds data")
    else:
        out.print("demo loaded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@iin_app.command("check")
def iin_check(value: str) -> None:
    """Checks an IIN: exit 0 if valid, exit 1 with the reason if not."""
    checked = iin_rules.check(value)
    if not checked.valid:
        assert checked.problem is not None
        fail(f"invalid IIN: {message('iin.' + checked.problem.value, 'en')}")
    h = iin_rules.hint(checked.value)
    born = h.birth_date.isoformat() if h.birth_date else "unknown"
    out.print(f"valid IIN {iin_rules.mask(checked.value)} (born {born}?, sex {h.sex or '?'}; "
              "a hint only)")


@bookings_app.command("expire")
def bookings_expire(grace_minutes: int = 60) -> None:
    """Marks bookings whose time passed without an arrival as expired."""
    from kezek.app.booking import expire_past
    from kezek.store.models import utcnow

    count = run(lambda s: expire_past(s, utcnow(), grace_minutes))
    out.print(f"expired {count} bookings")


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


if __name__ == "__main__":
    main()
