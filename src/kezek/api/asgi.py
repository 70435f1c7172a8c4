"""The ASGI entry point for uvicorn workers: `kezek.api.asgi:app`.

Logging is set up here, so that every worker (under `kezek serve` or plain uvicorn)
writes structured lines with IINs masked.

Once the app is built, everything alive (modules, routes, schemas, SQL statements:
some 340,000 objects) lives as long as the worker, so it is moved out of the cyclic
garbage collector's reach with `gc.freeze()`. Otherwise every full collection walks all
of it: about a quarter of a second of CPU on this machine (in a booking rush, about one
such collection per worker every few thousand requests), a pause that every request
then in flight waits out. Garbage is still collected as before.
"""

import gc

from kezek import logs
from kezek.api.app import create_app
from kezek.settings import get_settings

_settings = get_settings()
logs.setup(_settings.log_level, _settings.log_json)
app = create_app(_settings)
gc.collect()
gc.freeze()
