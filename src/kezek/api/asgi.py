"""The ASGI entry point for uvicorn workers: `kezek.api.asgi:app`."""

from kezek.api.app import create_app

app = create_app()
