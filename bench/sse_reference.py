"""The reference for the board fan-out: a bare server-sent-events broadcast.

One uvicorn process, no database, no Redis, no Kezek: `POST /emit` puts a message in
every connected client's queue and `GET /events` streams them. It is the floor for
delivering one message to N connected clients with this stack on this machine.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

_clients: set[asyncio.Queue[bytes]] = set()


async def events(request: Request) -> StreamingResponse:
    queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=1000)

    async def stream() -> AsyncIterator[bytes]:
        _clients.add(queue)
        try:
            yield b": connected\n\n"
            while True:
                yield await queue.get()
        finally:
            _clients.discard(queue)

    return StreamingResponse(stream(), media_type="text/event-stream")


async def emit(request: Request) -> JSONResponse:
    payload = await request.json()
    frame = f"data: {json.dumps(payload)}\n\n".encode()
    for queue in list(_clients):
        if not queue.full():
            queue.put_nowait(frame)
    return JSONResponse({"clients": len(_clients)})


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"clients": len(_clients)})


app = Starlette(routes=[Route("/events", events), Route("/emit", emit, methods=["POST"]),
                        Route("/healthz", health)])
