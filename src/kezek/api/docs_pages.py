"""Swagger UI and ReDoc from Kezek's own origin, with assets from a package.

FastAPI's default pages load their scripts from a CDN: on a centre's intranet, without
the internet, they are blank, and a third party's script would run on Kezek's origin.
The assets come from `fastapi-standalone-docs` (Swagger UI and ReDoc builds, kept on
the registry); only its files are used, not its patching of FastAPI's functions, so the
pages are ordinary routes here (ADR 0019).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"


def _static() -> Path:
    return Path(str(files("fastapi_standalone_docs") / "static"))


def install(app: FastAPI) -> None:
    """Adds /docs, /redoc and the assets they load (the app is made with
    `docs_url=None, redoc_url=None`)."""
    app.mount(ASSETS, StaticFiles(directory=_static()), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    title = app.title

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{title}: Swagger UI",
            swagger_js_url=f"{ASSETS}/swagger/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/fastapi/favicon.png",
            swagger_ui_parameters={"persistAuthorization": False})

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url, title=f"{title}: ReDoc",
            redoc_js_url=f"{ASSETS}/redoc/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS}/fastapi/favicon.png", with_google_fonts=False)
