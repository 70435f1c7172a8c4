"""`kezek serve`: the web server (API and pages), with the background jobs by default.

Kept apart from the root app so that the root module only assembles the command groups;
uvicorn, the job queue and the database are imported only when the server starts.
"""

from __future__ import annotations

import asyncio

import typer

from kezek.cli.common import err
from kezek.settings import Settings, follow_server, get_settings


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

    follow_server(host, port)  # links follow --port unless KEZEK_PUBLIC_URL is set
    s = get_settings()
    logs.setup(s.log_level, s.log_json)
    _warn_connection_budget(s, workers, jobs)
    background = None
    if jobs:
        import signal

        from kezek.cli.jobs import consumer

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
