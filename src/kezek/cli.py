"""The `kezek` command. Bad input exits non-zero with one readable line."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from kezek.core import iin as iin_rules
from kezek.core.errors import KezekError
from kezek.i18n import error_message, message
from kezek.settings import Settings, get_settings

app = typer.Typer(help="Kezek: public service centres, bookings by IIN.", no_args_is_help=True,
                  add_completion=False)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo network.", no_args_is_help=True)
iin_app = typer.Typer(help="IIN tools.", no_args_is_help=True)
registry_app = typer.Typer(help="The registry of state services.", no_args_is_help=True)
network_app = typer.Typer(help="The network of centres.", no_args_is_help=True)
users_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
bookings_app = typer.Typer(help="Bookings.", no_args_is_help=True)
for sub, name in ((db_app, "db"), (demo_app, "demo"), (iin_app, "iin"),
                  (registry_app, "registry"), (network_app, "network"), (users_app, "users"),
                  (bookings_app, "bookings")):
    app.add_typer(sub, name=name)


def _mount_analytics() -> None:
    """Analytics, planning and jobs have their own modules, loaded with the command."""
    from kezek.cli_data import data_app, report
    from kezek.cli_jobs import jobs_app
    from kezek.cli_plan import plan_app
    from kezek.cli_whatif import whatif_app

    app.add_typer(data_app, name="data")
    app.command("report")(report)
    app.add_typer(plan_app, name="plan")
    app.add_typer(jobs_app, name="jobs")
    app.add_typer(whatif_app, name="whatif")


_mount_analytics()

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")


def fail(text: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {text}", highlight=False)
    raise typer.Exit(code)


def _run(work: Callable[[Any], Awaitable[T]]) -> T:
    """Runs `work(session)` in one transaction; domain errors become one line and exit 1."""
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
        raise  # unreachable: fail() exits
    except OSError as exc:
        fail(f"cannot reach the database: {exc}")
        raise


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          jobs: bool = typer.Option(True, help="Also run the background jobs (reminders, "
                                    "waitlist offers) in this process; turn off where "
                                    "`kezek jobs worker` runs on its own.")) -> None:
    """Starts the web server (API and pages), and by default the background jobs."""
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
    try:
        uvicorn.run("kezek.api.asgi:app", host=host, port=port, workers=workers,
                    log_config=None, proxy_headers=True)
    finally:
        if background is not None:
            background.stop(graceful=True)


def _warn_connection_budget(s: Settings, workers: int, jobs: bool) -> None:
    """One line on stderr if the workers' pools could exceed PostgreSQL's connections."""
    import asyncio

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
        return await demo.load(session)

    counts = _run(work)
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


@registry_app.command("import")
def registry_import(path: Path) -> None:
    """Imports services from a CSV or JSON file (created or updated by code)."""
    from kezek.app import registry
    from kezek.app.actor import Actor, Channel
    from kezek.core.registry_io import services_from_csv, services_from_records

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    try:
        if path.suffix.lower() == ".csv":
            services = services_from_csv(text)
        else:
            doc = json.loads(text)
            services = services_from_records(doc["services"] if isinstance(doc, dict) else doc)
    except json.JSONDecodeError as exc:
        fail(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})")
    except KezekError as exc:
        fail(f"{path}: {exc.params.get('detail', exc.code)}")
    actor = Actor("cli:" + _whoami())
    created, updated = _run(lambda s: registry.import_services(s, services, actor, Channel.CLI))
    out.print(f"imported {len(services)} services: {created} new, {updated} updated")


@registry_app.command("export")
def registry_export(path: Path) -> None:
    """Writes the registry to a CSV or JSON file."""
    from kezek.app import registry
    from kezek.core.registry_io import service_to_dict, services_to_csv

    services = _run(registry.export)
    if path.suffix.lower() == ".csv":
        path.write_text(services_to_csv(services), encoding="utf-8")
    else:
        path.write_text(json.dumps({"services": [service_to_dict(s) for s in services]},
                                   ensure_ascii=False, indent=1), encoding="utf-8")
    out.print(f"exported {len(services)} services to {path}")


@registry_app.command("search")
def registry_search(query: str, lang: str = "ru") -> None:
    """Finds services by words in any of the three languages."""
    from kezek.app import registry

    found = _run(lambda s: registry.search(s, query))
    table = Table("code", "name", "sector", "delivery")
    for s in found:
        table.add_row(s.code, s.names.get(lang), s.sector.value, s.delivery.value)
    out.print(table)


@network_app.command("import")
def network_import(path: Path) -> None:
    """Imports cities, centres, windows, self-service points and holidays from JSON."""
    from kezek.app.actor import Actor, Channel
    from kezek.app.network_io import import_network

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    except json.JSONDecodeError as exc:
        fail(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})")
    actor = Actor("cli:" + _whoami())
    counts = _run(lambda s: import_network(s, doc, actor, Channel.CLI))
    out.print("imported: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@network_app.command("export")
def network_export(path: Path) -> None:
    """Writes the whole network to a JSON file."""
    from kezek.app.network_io import export_network

    doc = _run(export_network)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    out.print(f"exported {len(doc['centers'])} centres to {path}")


@network_app.command("centers")
def network_centers(region: str = "", city: str = "", kind: str = "") -> None:
    """Lists centres."""
    from kezek.app import network

    rows = _run(lambda s: network.list_centers(s, region or None, city or None, kind or None))
    table = Table("id", "slug", "city", "kind", "format", "name")
    for c, ci in rows:
        table.add_row(str(c.id), c.slug, ci.slug, c.kind, c.format, c.name_ru)
    out.print(table)


@network_app.command("set")
def network_set(center_id: int, field: str, value: str) -> None:
    """Changes one setting of a centre, e.g. `format booking_only` or `occupancy_limit 20`."""
    from kezek.app import network
    from kezek.app.actor import Channel

    parsed: Any = value
    if field in ("occupancy_limit", "slot_capacity", "horizon_days", "slot_minutes"):
        parsed = None if value in ("", "none") else _int(value)
    elif field in ("schedule", "policy"):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            fail(f"{field}: expected JSON")
    elif field == "active":
        parsed = value.lower() in ("1", "true", "yes")
    _run(lambda s: network.update_center(s, center_id, {field: parsed}, _cli_admin(),
                                         Channel.CLI))
    out.print(f"centre {center_id}: {field} set")


def _cli_admin() -> Any:
    from kezek.app.actor import Actor, Role

    return Actor("cli:" + _whoami(), role=Role.ADMIN)


def _date(text: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"not a date (YYYY-MM-DD): {text}")


@network_app.command("exception")
def network_exception(center_id: int, day: str,
                      opens: str = typer.Option("", help="HH:MM; omit both to close the day"),
                      closes: str = "", note: str = "") -> None:
    """Closes a centre on a date, or sets that date's hours."""
    from kezek.app import network
    from kezek.app.actor import Channel

    when = _date(day)
    _run(lambda s: network.set_exception(s, center_id, when, opens or None, closes or None,
                                         note, _cli_admin(), Channel.CLI))
    out.print(f"centre {center_id} on {when}: " + (f"{opens}-{closes}" if opens else "closed"))


@network_app.command("holiday")
def network_holiday(day: str, name_kk: str = "", name_ru: str = "", name_en: str = "") -> None:
    """Declares a national holiday (every centre closed unless it has its own exception)."""
    from kezek.app import network
    from kezek.app.actor import Channel

    when = _date(day)
    names = {"kk": name_kk, "ru": name_ru, "en": name_en}
    _run(lambda s: network.add_holiday(s, when, names, _cli_admin(), Channel.CLI))
    out.print(f"holiday {when} set")


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        fail(f"not a number: {text}")
        raise


@users_app.command("create")
def users_create(username: str, role: str = typer.Option(..., help="admin, manager, operator, "
                                                          "door, call_centre or analyst"),
                 password: str = typer.Option(..., prompt=True, hide_input=True,
                                              confirmation_prompt=True,
                                              envvar="KEZEK_NEW_PASSWORD"),
                 center: list[int] = typer.Option([], help="centre id (repeatable)"),
                 full_name: str = "") -> None:
    """Creates a staff account."""
    from kezek.app import accounts
    from kezek.app.actor import Actor, Channel

    actor = Actor("cli:" + _whoami())
    user = _run(lambda s: accounts.create_user(s, username, password, role, list(center),
                                               full_name, actor, Channel.CLI))
    out.print(f"created {user.role} {user.username} (id {user.id})")


@users_app.command("list")
def users_list() -> None:
    from kezek.app import accounts

    table = Table("id", "username", "role", "centres", "active")
    for u in _run(accounts.list_users):
        table.add_row(str(u.id), u.username, u.role, ",".join(map(str, u.centers)),
                      str(u.active))
    out.print(table)


@bookings_app.command("expire")
def bookings_expire(grace_minutes: int = 60) -> None:
    """Marks bookings whose time passed without an arrival as expired."""
    from kezek.app.booking import expire_past
    from kezek.store.models import utcnow

    count = _run(lambda s: expire_past(s, utcnow(), grace_minutes))
    out.print(f"expired {count} bookings")


def _whoami() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def main() -> None:
    from pydantic import ValidationError

    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        err.print(f"[red]error:[/red] setting {where.upper() or ''}: {first.get('msg')}",
                  highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
