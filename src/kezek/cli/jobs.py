"""`kezek jobs`: the huey worker, and a one-shot run of what is due (for cron and tests).

Bad input or an unreachable database or queue exits non-zero with one readable line.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from kezek.settings import get_settings

if TYPE_CHECKING:
    from kezek.jobs.queue import Jobs

jobs_app = typer.Typer(help="Background jobs: booking reminders and the waitlist.",
                       no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _fail(text: str) -> None:
    err.print(f"[red]error:[/red] {text}", highlight=False)
    raise typer.Exit(1)


def _jobs() -> Jobs:
    from kezek.jobs.queue import jobs_for

    try:
        return jobs_for(get_settings())
    except Exception as exc:
        _fail(f"cannot open the job queue: {str(exc).splitlines()[0] if str(exc) else exc}")
        raise  # unreachable: _fail exits


def consumer(workers: int = 1) -> Any:
    """A huey consumer for the process's queue: queued and scheduled jobs and the sweep."""
    return _jobs().huey.create_consumer(workers=workers, worker_type="thread",
                                        periodic=True)


@jobs_app.command("worker")
def worker(workers: int = typer.Option(2, help="worker threads (1-32)")) -> None:
    """Runs the huey consumer: queued and scheduled jobs, and the sweep every minute."""
    if not 1 <= workers <= 32:
        _fail("--workers must be between 1 and 32")
    from kezek import logs

    s = get_settings()
    logs.setup(s.log_level, s.log_json)
    logging.getLogger("huey").setLevel(s.log_level)
    from kezek import clock

    with clock.pinned_from_setting(s.clock_at):
        consumer(workers).run()


@jobs_app.command("run-due")
def run_due() -> None:
    """Runs everything due now once (scheduled, queued, then the sweep), and exits."""
    from kezek.jobs.run import run_due as run

    jobs = _jobs()
    try:
        counts = run(jobs)
    except OSError as exc:
        _fail(f"cannot reach the database: {exc}")
        return
    except Exception as exc:
        _fail(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
        return
    out.print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items()))
