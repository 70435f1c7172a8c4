"""`kezek data ...` and `kezek report`: national data sets, statistics and reports.

Kept apart from cli.py (which runs the operational commands) because it needs neither the
database nor the web stack: it works on Parquet data sets through DuckDB.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table as RichTable

from kezek.analytics.stats import DIMENSIONS, Filter, Table
from kezek.cli.common import err, fail, read_json

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

data_app = typer.Typer(help="National data sets and statistics.", no_args_is_help=True)
out = Console(soft_wrap=True)

DEFAULT_DIR = Path("var/data/national")


def _load_json(path: Path | None, demo_name: str) -> dict[str, object]:
    if path is None:
        from kezek.app.demo import demo_document

        return demo_document(demo_name)
    data = read_json(path)
    if not isinstance(data, dict):
        fail(f"{path} does not hold a JSON object")
    return data


@data_app.command("generate")
def generate(
    months: float = typer.Option(6, min=0.1, max=36, help="How many months of visits."),
    seed: int = typer.Option(1, help="Seed of the random generator."),
    out_dir: Path = typer.Option(DEFAULT_DIR, "--out", help="Directory to write."),
    start: str = typer.Option("2026-01-01", help="First day (YYYY-MM-DD)."),
    scale: float = typer.Option(1.0, min=0.0001, max=10, help="Share of the national volume."),
    network: Path | None = typer.Option(None, help="Network JSON (default: the demo)."),
    registry: Path | None = typer.Option(None, help="Registry JSON (default: the demo)."),
    floor_form: bool = typer.Option(True, help="Also write bookings, tickets and events."),
) -> None:
    """Generates visits for the whole network, calibrated to the article's figures."""
    from kezek.analytics.dataset import write_generated
    from kezek.analytics.generate import centres_from_document
    from kezek.analytics.generate import generate as run
    from kezek.core.registry_io import service_from_dict

    try:
        first = dt.date.fromisoformat(start)
    except ValueError:
        fail(f"start must be a date like 2026-01-01, not {start!r}")
    net = _load_json(network, "network.json")
    reg = _load_json(registry, "registry.json")
    try:
        centres = centres_from_document(net)
        services = [service_from_dict(s) for s in reg["services"]]  # type: ignore[attr-defined]
        holidays = frozenset(dt.date.fromisoformat(h["date"])
                             for h in net.get("holidays", []))  # type: ignore[attr-defined]
    except (KeyError, TypeError, ValueError) as exc:
        fail(f"the network or registry file is not in Kezek's form: {exc}")
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("centres", total=len(centres))
        try:
            gen = run(centres, services, months=months, seed=seed, start=first,
                      holidays=holidays, scale=scale,
                      progress=lambda done, _total: bar.update(task, completed=done))
        except ValueError as exc:
            fail(str(exc))
        bar.update(task, description="writing Parquet")
        counts = write_generated(gen, out_dir, seed=seed, months=months, scale=scale,
                                 floor_form=floor_form)
    out.print(f"wrote {out_dir}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


def _filter(start: str | None, end: str | None, region: str | None, city: str | None,
            centre: str | None) -> Filter:
    try:
        return Filter(start=dt.date.fromisoformat(start) if start else None,
                      end=dt.date.fromisoformat(end) if end else None,
                      region=region, city=city, centre=centre)
    except ValueError:
        fail("dates must look like 2026-01-31")
        raise  # unreachable: fail exits


def _print(table: Table) -> None:
    rich = RichTable(title=table.title)
    for c in table.columns:
        rich.add_column(c, justify="left" if c == table.columns[0] else "right")
    for row in table.rows:
        rich.add_row(*("" if v is None else f"{v:,}" if isinstance(v, int) else str(v)
                       for v in row))
    out.print(rich)


@data_app.command("stats")
def stats_command(
    by: str = typer.Option("region", help=f"One of: {', '.join(DIMENSIONS)}."),
    measure: str = typer.Option("services", help="services, waits, compliance or no-shows."),
    data: Path = typer.Option(DEFAULT_DIR, help="Data set directory."),
    start: str | None = None, end: str | None = None, region: str | None = None,
    city: str | None = None, centre: str | None = None,
    csv: Path | None = typer.Option(None, help="Also write the table as CSV."),
) -> None:
    """Prints one statistic of a data set."""
    from kezek.analytics import stats
    from kezek.analytics.dataset import connect

    if by not in DIMENSIONS:
        fail(f"unknown dimension {by!r}; use one of {', '.join(DIMENSIONS)}")
    funcs: dict[str, Callable[[DuckDBPyConnection, str, Filter], Table]] = {
        "services": stats.services_by, "waits": stats.waits,
        "compliance": stats.compliance, "no-shows": stats.no_shows}
    if measure not in funcs:
        fail(f"unknown measure {measure!r}; use one of {', '.join(funcs)}")
    flt = _filter(start, end, region, city, centre)
    try:
        con = connect(data)
    except FileNotFoundError as exc:
        fail(str(exc))
    table = funcs[measure](con, by, flt)
    _print(table)
    if csv:
        table.write_csv(csv)


def report(
    data: Path = typer.Option(DEFAULT_DIR, help="Data set directory."),
    out_dir: Path = typer.Option(Path("var/report"), "--out", help="Report directory."),
    lang: str = typer.Option("ru", help="kk, ru or en."),
    start: str | None = None, end: str | None = None, region: str | None = None,
    city: str | None = None, centre: str | None = None,
) -> None:
    """Writes an HTML report with charts and a CSV per table."""
    from kezek.analytics.report import write

    flt = _filter(start, end, region, city, centre)
    try:
        index = write(data, out_dir, lang, flt)
    except (FileNotFoundError, ValueError) as exc:
        fail(str(exc))
    out.print(f"wrote {index}")


@data_app.command("export")
def export_command(
    out_dir: Path = typer.Option(Path("var/data/floor"), "--out", help="Directory to write."),
) -> None:
    """Exports what the floor recorded in the database, as a data set for stats and report."""
    from kezek.analytics.export import export
    from kezek.cli.common import run

    try:
        counts = run(lambda session: export(session, out_dir))
    except ValueError as exc:
        fail(str(exc))
    out.print(f"wrote {out_dir}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
