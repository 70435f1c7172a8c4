"""Server-rendered pages: citizen booking and staff sign-in."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

HERE = Path(__file__).parent


def mount(app: FastAPI) -> None:
    from kezek.web import error_pages, pages
    from kezek.web.render import csrf_page
    from kezek.web.security import CsrfRejected

    async def _csrf_rejected(request: Request, exc: Exception) -> Response:
        return csrf_page(request)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(CsrfRejected, _csrf_rejected)
    error_pages.install(app)
    app.include_router(pages.router)
