"""Prometheus metrics: what Kezek counts, defined once per process.

Labels are kept small on purpose: a route *template* (`/api/v1/bookings/{code}`, never
the raw path, which holds booking codes and could hold an IIN), a status code, an
error code, a centre id, a task name. Every label has a bounded set of values, so a
scan of random paths cannot grow the series without end (unmatched paths are one
label, `unmatched`).

Under `kezek serve --workers N` (N > 1) the server sets PROMETHEUS_MULTIPROC_DIR before
any worker starts, and each worker writes its values to files there; a scrape of any
worker then sums them all (`registry()`). The environment variable must be set before
prometheus_client is first imported, which is why `kezek serve` sets it first thing.
"""

from __future__ import annotations

import os

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    multiprocess,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

HTTP_REQUESTS = Counter(
    "kezek_http_requests_total", "HTTP requests answered, by method, route template "
    "and status.", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "kezek_http_request_duration_seconds", "Time to answer an HTTP request, by method "
    "and route template.", ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
BOOKINGS = Counter(
    "kezek_bookings_total", "Bookings made, by channel.", ["channel"])
REFUSALS = Counter(
    "kezek_refusals_total", "Requests refused with a domain error, by error code.",
    ["code"])
SSE_CLIENTS = Gauge(
    "kezek_sse_clients", "Event-stream (SSE) clients connected to the lobby boards.",
    multiprocess_mode="livesum")
READ_RETRIES = Counter(
    "kezek_read_retries_total", "GET/HEAD requests tried a second time after the "
    "database connection was lost under the first try.")
JOB_FAILURES = Counter(
    "kezek_job_failures_total", "Background jobs that raised, by task name.", ["task"])


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def registry() -> CollectorRegistry:
    """The registry a scrape reads: this process's, or every worker's in multiprocess
    mode (a fresh registry over the directory, as prometheus_client prescribes)."""
    if multiprocess_dir() is None:
        return REGISTRY
    merged = CollectorRegistry()
    multiprocess.MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
    return merged


def worker_stopped() -> None:
    """A worker's live gauges (SSE clients) leave the sum when it stops; called on the
    app's shutdown. A worker that is killed cannot say so: `kezek serve` empties the
    directory at every start."""
    if multiprocess_dir() is not None:
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
