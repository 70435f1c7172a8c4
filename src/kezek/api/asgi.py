"""The ASGI entry point for uvicorn workers: `kezek.api.asgi:app`.

Logging is set up here, so that every worker (under `kezek serve` or plain uvicorn)
writes structured lines with IINs masked.
"""

from kezek import logs
from kezek.api.app import create_app
from kezek.settings import get_settings

_settings = get_settings()
logs.setup(_settings.log_level, _settings.log_json)
app = create_app(_settings)
