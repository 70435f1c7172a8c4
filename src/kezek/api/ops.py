"""Operations endpoints and middleware: request ids, request metrics, probes, /metrics.

`/healthz` says the process is alive and touches nothing else, so that a slow database
never gets a healthy worker restarted. `/readyz` says whether the process can serve:
the database and, when configured, Redis, each asked with a short timeout, so that a
load balancer's probe gets an answer (503 with the part that failed) and never hangs.

`/metrics` is served to loopback peers only, unless KEZEK_METRICS_TOKEN is set: then to
any peer that sends it as a bearer token, and to no one without it (ADR 0019).
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import time
import uuid
from typing import Any

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kezek import __version__, metrics
from kezek.api.errors import envelope, request_lang
from kezek.api.ops_gauges import scrape_time
from kezek.i18n_ops import ops_message

PROBE_TIMEOUT = 2.0  # seconds for each dependency /readyz asks
_PING = text("SELECT 1")
UNMATCHED = "unmatched"


def valid_request_id(value: str) -> bool:
    """A client's X-Request-ID is kept only if it is a UUID: anything else (a long
    string, an IIN someone put there) is replaced by a fresh one, never logged."""
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) <= 36


def new_request_id() -> str:
    return str(uuid.uuid4())


class RequestMetrics:
    """Counts each HTTP request by route template and status, and times it.

    Pure ASGI (not BaseHTTPMiddleware), so streamed responses (the SSE boards) are not
    buffered; the template is read from the scope after routing has filled it in."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or UNMATCHED
            method = scope.get("method", "GET")
            metrics.HTTP_REQUESTS.labels(method, template, str(status[0])).inc()
            metrics.HTTP_LATENCY.labels(method, template).observe(
                time.perf_counter() - started)


def _loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def metrics_allowed(request: Request) -> bool:
    token: str | None = request.app.state.settings.metrics_token
    if token is None:
        return _loopback(request)
    sent = request.headers.get("authorization", "")
    return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


async def _database(request: Request) -> None:
    async with request.app.state.engine.connect() as conn:
        await conn.execute(_PING)


async def _redis(url: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=PROBE_TIMEOUT,
                            socket_timeout=PROBE_TIMEOUT)
    try:
        await client.ping()
    finally:
        await client.aclose()


async def _check(name: str, probe: Any) -> str | None:
    """None when the part answers in time, else its name."""
    try:
        await asyncio.wait_for(probe, PROBE_TIMEOUT)
    except Exception:  # unreachable, refused, timed out: the part is not ready
        return name
    return None


def install(app: FastAPI) -> None:
    """Adds the middleware and the three endpoints, before every other route: probes
    and scrapes come often, and routes are matched in order."""
    app.add_middleware(RequestMetrics)
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID",
                       generator=new_request_id, validator=valid_request_id)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> JSONResponse:
        """Alive: the process answers. Touches no database."""
        return JSONResponse({"status": "ok", "version": __version__})

    @app.get("/readyz", tags=["ops"])
    async def readyz(request: Request) -> JSONResponse:
        """Ready: the database and (when configured) Redis answer within 2 s each."""
        settings = request.app.state.settings
        checks = [_check("database", _database(request))]
        for name, url in (("redis", settings.redis_url), ("jobs_redis", settings.jobs_redis_url)):
            if url:
                checks.append(_check(name, _redis(url)))
        failed = [name for name in await asyncio.gather(*checks) if name]
        if failed:
            lang = request_lang(request)
            return envelope(503, "not_ready", ops_message("not_ready", lang,
                                                          parts=", ".join(failed)),
                            {"Retry-After": "5"})
        return JSONResponse({"status": "ready", "version": __version__})

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    async def metrics_endpoint(request: Request) -> Response:
        if not metrics_allowed(request):
            lang = request_lang(request)
            return envelope(403, "forbidden", ops_message("metrics_forbidden", lang))
        body = generate_latest(metrics.registry()) + await scrape_time(request.app)
        return Response(body, media_type=CONTENT_TYPE_LATEST)
