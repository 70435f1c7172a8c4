"""The one error handler: every failure becomes {"error": {"code", "message"}}.

Messages are in the requester's language. Validation messages name the field and the
problem but never echo the value sent, since that value may be an IIN.
"""

from __future__ import annotations

import logging

from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from kezek.api.read_retry import mark_lost
from kezek.core.errors import KezekError, RateLimited
from kezek.i18n import error_message, message, negotiate
from kezek.i18n_validation import error_text
from kezek.logs import redact
from kezek.metrics import REFUSALS
from kezek.store.db import database_unavailable as lost_database

log = logging.getLogger("kezek.api")

HTTP_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 429: "rate_limited"}


def request_lang(request: Request) -> str:
    default = getattr(request.app.state, "default_lang", "ru")
    return negotiate(request.headers.get("accept-language"), default)


def envelope(status: int, code: str, text: str, headers: dict[str, str] | None = None
             ) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": text}}, status_code=status,
                        headers=headers)


def describe_validation(exc: RequestValidationError, lang: str = "en") -> str:
    """The first few schema errors, each "field: what is wrong" in the requester's
    language (i18n_validation), not pydantic's English."""
    parts = [error_text(err, lang) for err in exc.errors()[:5]]
    # A field name is the client's text too: never echo an IIN sent as a key.
    return redact("; ".join(parts))


# The database cannot serve now: every pooled connection stayed busy for the pool's
# timeout (an overload), or the server is unreachable or refuses the work. Not the
# request's fault and not a bug in it: 503 with a time to come back, never a 500.
BUSY = (sa_exc.TimeoutError,)
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, ConnectionError, TimeoutError)
RETRY_AFTER = {"busy": "5", "unavailable": "30"}


def unavailable_code(exc: BaseException) -> str:
    return "busy" if isinstance(exc, BUSY) else "unavailable"


def error_headers(exc: KezekError) -> dict[str, str] | None:
    """Headers a domain error adds: `Retry-After` for a throttle (pages use it too)."""
    if isinstance(exc, RateLimited):
        return {"Retry-After": str(exc.retry_after)}
    return None


async def domain_error(request: Request, exc: KezekError) -> JSONResponse:
    # Counted here, where every channel's refusal through the API passes, by its code
    # (a bounded set: the codes of kezek.core.errors).
    REFUSALS.labels(exc.code).inc()
    lang = request_lang(request)
    return envelope(exc.status, exc.code, error_message(exc.code, lang, exc.params),
                    error_headers(exc))


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    lang = request_lang(request)
    return envelope(422, "validation_error",
                    message("validation_error", lang, detail=describe_validation(exc, lang)))


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = HTTP_CODES.get(exc.status_code, "http_error")
    lang = request_lang(request)
    text = message(code, lang) if code in ("unauthorized", "forbidden", "not_found",
                                            "method_not_allowed", "rate_limited") \
        else redact(str(exc.detail))
    return envelope(exc.status_code, code, text, getattr(exc, "headers", None))


async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    code = unavailable_code(exc)
    if code == "unavailable":  # a read is tried once more (read_retry)
        mark_lost(request.state)
    log.warning("database %s on %s %s: %s", code, request.method, request.url.path,
                type(exc).__name__, exc_info=exc)
    return envelope(503, code, message(code, request_lang(request)),
                    {"Retry-After": RETRY_AFTER[code]})


async def database_error(request: Request, exc: Exception) -> JSONResponse:
    """Any other DBAPIError: the database gone in a way the driver does not class as
    operational (a backend ended mid-statement in a failover, no writable host yet) is
    503 like the classes above; the rest is a bug, 500."""
    if lost_database(exc):
        return await database_unavailable(request, exc)
    return await unexpected(request, exc)


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    # Starlette answers an unhandled error outside every middleware, the request id's
    # included: the id is set here, so that the one answer worth reporting carries it.
    found = correlation_id.get()
    return envelope(500, "internal_error", message("internal_error", request_lang(request)),
                    {"X-Request-ID": found} if found else None)


def install(app: FastAPI) -> None:
    app.add_exception_handler(KezekError, domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    for cls in BUSY + UNAVAILABLE:
        app.add_exception_handler(cls, database_unavailable)
    app.add_exception_handler(sa_exc.DBAPIError, database_error)
    app.add_exception_handler(Exception, unexpected)
