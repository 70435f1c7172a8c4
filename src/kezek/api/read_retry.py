"""A read that lost its database connection is tried once more before it is answered 503.

Why: a connection dies under a request for reasons that are over by the time the request
could be retried: an operator's `pg_terminate_backend`, a connection pooler restarting, a
standby promoted after the primary's death with the pool still holding a connection to
the old one. The pool drops the dead connection (`connection_invalidated`), so a second
try gets a fresh one from the multi-host URL. A lobby board, a status page or a phone
refreshing a booking should not see an error for that.

Only a read is retried (GET or HEAD: the request has no body, and what it answers is the
same whichever try answers it); a write that lost its connection may have committed, so
it is answered 503 and the client decides (a booking carries its own uniqueness, so a
retried POST cannot double-book, but it is the client's choice to make). Only a *lost*
connection is retried, never `busy` (a full pool: a retry would add to the overload), and
only once, and only when nothing of the first answer was sent yet: an event stream
(200, then events) is never replayed.

How the middleware knows: the 503 handler marks the request's state when the database
was lost (errors.database_unavailable); the middleware holds back that one response's
start, drops it, and calls the app again with a fresh request state.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kezek.metrics import READ_RETRIES

LOST_MARK = "kezek_database_lost"
_READS = ("GET", "HEAD")


def mark_lost(state: object) -> None:
    """Called by the 503 handler: this request's answer is a lost connection's."""
    setattr(state, LOST_MARK, True)


class RetryLostReadMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in _READS:
            await self.app(scope, receive, send)
            return
        first = dict(scope, state=dict(scope.get("state") or {}))
        dropped = False

        async def send_first(message: Message) -> None:
            nonlocal dropped
            if message["type"] == "http.response.start" and first["state"].get(LOST_MARK):
                dropped = True
            if not dropped:
                await send(message)

        await self.app(first, receive, send_first)
        if dropped:
            READ_RETRIES.inc()
            await self.app(dict(scope, state=dict(scope.get("state") or {})), receive, send)
