"""The huey instance, built from the settings, with Kezek's tasks registered on it.

By default the queue is a SQLite file beside the database (or ./var/jobs.db when the
database is PostgreSQL): no server to run, like the embedded database. With
`KEZEK_JOBS_REDIS_URL` it is Redis, which every API worker and job worker on every
host share. The instance is cached per configuration, so the edge enqueues through one
connection per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey

from kezek.jobs.tasks import Tasks, register
from kezek.settings import Settings

NAME = "kezek"


@dataclass(frozen=True)
class Jobs:
    huey: Huey
    settings: Settings
    tasks: Tasks


def default_path(settings: Settings) -> Path:
    if settings.jobs_file:
        return Path(settings.jobs_file)
    return (settings.sqlite_dir() or Path("var")) / "jobs.db"


def make_jobs(settings: Settings, path: Path | None = None) -> Jobs:
    """A fresh huey instance for these settings (`path` overrides the SQLite file)."""
    huey: Huey
    if settings.jobs_redis_url:
        huey = RedisHuey(NAME, url=settings.jobs_redis_url, results=False, utc=True)
    else:
        file = path or default_path(settings)
        file.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(NAME, filename=str(file), results=False, utc=True)
    _count_failures(huey)
    return Jobs(huey, settings, register(huey, settings))


def _count_failures(huey: Huey) -> None:
    """Every task that raises is counted by name (a small, fixed set), in the process
    that ran it: the serve process with `--jobs`, or `kezek jobs worker`."""
    from huey.signals import SIGNAL_ERROR

    from kezek import metrics

    def failed(signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
        metrics.JOB_FAILURES.labels(task.name).inc()

    # Registered by a call, not as a decorator: huey has no type hints, and an untyped
    # decorator would leave `failed` untyped too.
    huey.signal(SIGNAL_ERROR)(failed)


_cache: dict[tuple[str | None, str, str], Jobs] = {}


def jobs_for(settings: Settings) -> Jobs:
    """The process's queue for these settings."""
    key = (settings.jobs_redis_url, str(default_path(settings)), settings.database_url)
    if key not in _cache:
        _cache[key] = make_jobs(settings)
    return _cache[key]
