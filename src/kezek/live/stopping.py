"""Tells open event streams that the server is stopping, so that a stop takes seconds.

uvicorn, on SIGTERM or SIGINT, stops accepting connections and then waits for the open
ones to finish; an SSE stream never finishes by itself, so a lobby board kept a stop
waiting until the client gave up (38 s measured) or `--timeout-graceful-shutdown` cut it
without a word. uvicorn gives the app no shutdown notice before its connections are done
(the lifespan's shutdown runs after), so :func:`watch` chains a handler in front of the
server's own for those signals: it sets an event that the streams wait on, then calls the
server's handler unchanged. Each stream then sends its last words (reconnect later) and
ends, and the server exits as it would with no stream open (ADR 0016).

Signal handlers can only be set from the main thread; where the app runs elsewhere (a
test client's thread) nothing is installed, and :func:`stop` sets the event by hand.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopping:
    """The "server is stopping" flag of one app, awaitable by its streams."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def is_set(self) -> bool:
        return self._event.is_set()

    def stop(self) -> None:
        """Marks the server as stopping (from the event loop's thread)."""
        self._event.set()

    async def wait(self) -> None:
        await self._event.wait()


@contextmanager
def watch(stopping: Stopping) -> Iterator[None]:
    """While inside, SIGTERM and SIGINT set `stopping` before the server's own handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    saved: dict[signal.Signals, Any] = {}

    def chained(signum: int, frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(stopping.stop)
        previous = saved.get(signal.Signals(signum))
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL:  # no server handler: do what the default does
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    for sig in SIGNALS:
        saved[sig] = signal.getsignal(sig)
        signal.signal(sig, chained)
    try:
        yield
    finally:
        for sig, previous in saved.items():
            if signal.getsignal(sig) is chained:  # only undo our own
                signal.signal(sig, previous if previous is not None else signal.SIG_DFL)
