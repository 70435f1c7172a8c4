"""Server-rendered pages: citizen booking and staff sign-in."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

HERE = Path(__file__).parent


def mount(app: FastAPI) -> None:
    from kezek.web import pages

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(pages.router)
