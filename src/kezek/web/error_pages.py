"""Errors as pages for a person in a browser, as the envelope for everyone else.

The API's handlers answer `{"error": {...}}` for every path. A citizen who follows an
old link, or whose booking meets an overloaded database, would see that JSON in the
browser. A request for a page (not under /api, asking for HTML) gets the same status
with a page in the site's layout and language; API calls, the pages' own fetch() calls
(all under /api) and anything not asking for HTML keep the envelope.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from kezek.api import errors as api_errors
from kezek.core.errors import PasswordChangeRequired
from kezek.i18n import message
from kezek.store.db import database_unavailable as lost_database
from kezek.web.i18n_ui import ui
from kezek.web.render import lang_of, message_page, not_found_page

_NOT_PAGES = ("/api/", "/static/", "/docs", "/redoc", "/openapi.json", "/healthz",
              "/readyz", "/metrics")


def wants_page(request: Request) -> bool:
    path = request.url.path
    return (not path.startswith(_NOT_PAGES)
            and "text/html" in request.headers.get("accept", ""))


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if not wants_page(request):
        return await api_errors.http_error(request, exc)
    if exc.status_code == 404:
        return not_found_page(request)
    code = api_errors.HTTP_CODES.get(exc.status_code, "http_error")
    return message_page(request, exc.status_code, "error_title", message(code, lang_of(request)))


async def _unavailable(request: Request, exc: Exception) -> Response:
    answer = await api_errors.database_unavailable(request, exc)  # logs it
    if not wants_page(request):
        return answer
    code = api_errors.unavailable_code(exc)
    page = message_page(request, 503, f"{code}_title", message(code, lang_of(request)),
                        (request.url.path if request.method == "GET" else "/",
                         ui("try_again", lang_of(request))))
    page.headers["Retry-After"] = api_errors.RETRY_AFTER[code]
    return page


async def _unexpected(request: Request, exc: Exception) -> Response:
    answer = await api_errors.unexpected(request, exc)  # logs it
    if not wants_page(request):
        return answer
    return message_page(request, 500, "internal_title", ui("internal_body", lang_of(request)))


async def _database(request: Request, exc: Exception) -> Response:
    """A DBAPIError outside the classes above: 503 if the database is gone, else 500."""
    if lost_database(exc):
        return await _unavailable(request, exc)
    return await _unexpected(request, exc)


async def _password_change(request: Request, exc: Exception) -> Response:
    """A user whose password an admin reset is sent to choose their own."""
    assert isinstance(exc, PasswordChangeRequired)
    if not wants_page(request):
        return await api_errors.domain_error(request, exc)
    return RedirectResponse("/staff/password", status_code=303)


def install(app: FastAPI) -> None:
    """Registered after the API's handlers, in their place (same exception classes)."""
    handlers: list[tuple[type[Exception], Callable[[Request, Exception],
                                                    Awaitable[Response]]]] = [
        (StarletteHTTPException, _http), (Exception, _unexpected),
        (PasswordChangeRequired, _password_change)]
    handlers += [(cls, _unavailable) for cls in api_errors.BUSY + api_errors.UNAVAILABLE]
    handlers.append((sa_exc.DBAPIError, _database))
    for cls, handler in handlers:
        app.add_exception_handler(cls, handler)
