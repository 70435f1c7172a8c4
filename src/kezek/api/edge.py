"""Checks at the edge of the app, before any route: text with NUL bytes and oversized bodies.

Why here and not in each route: a NUL byte reaches PostgreSQL from any text parameter and
makes it raise (a 500), and a body is read whole by FastAPI before a schema can look at it.
One ASGI layer refuses both for every route, with the usual error envelope, and counts the
body while it streams in, so a 50 MB or chunked upload is cut off at the limit, not read.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kezek.i18n import message, negotiate

DEFAULT_MAX_BODY = 1024 * 1024


def _has_nul(raw: bytes) -> bool:
    return b"\x00" in raw or b"\x00" in unquote_to_bytes(raw)


def _lang(scope: Scope, default: str) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            return negotiate(value.decode("latin-1"), default)
    return negotiate(None, default)


async def _envelope(send: Send, status: int, code: str, text: str) -> None:
    body = json.dumps({"error": {"code": code, "message": text}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class EdgeMiddleware:
    """Refuse NUL bytes in the path and query (400) and bodies over `max_body` bytes (413)."""

    def __init__(self, app: ASGIApp, max_body: int = DEFAULT_MAX_BODY,
                 default_lang: str = "ru") -> None:
        self.app = app
        self.max_body = max_body
        self.default_lang = default_lang

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang = _lang(scope, self.default_lang)
        raw_path = scope.get("raw_path") or scope.get("path", "").encode()
        if _has_nul(raw_path) or _has_nul(scope.get("query_string", b"")):
            await _envelope(send, 400, "invalid_input",
                            message("validation_error", lang, detail="NUL byte"))
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await _too_large(send, lang, self.max_body)
            return
        seen = 0
        started = False
        refused = False

        async def counted() -> Message:
            # Past the limit: answer 413 at once and tell the app the client left, so
            # it stops reading; whatever it answers after that is dropped.
            nonlocal seen, refused
            msg = await receive()
            if msg["type"] == "http.request" and not refused:
                seen += len(msg.get("body", b""))
                if seen > self.max_body:
                    refused = True
                    if not started:
                        await _too_large(send, lang, self.max_body)
                    return {"type": "http.disconnect"}
            return msg

        async def watched(msg: Message) -> None:
            nonlocal started
            if refused:
                return
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, counted, watched)
        except Exception:
            if not refused:
                raise


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send, lang: str, limit: int) -> None:
    detail: Any = f"body over {limit} bytes"
    await _envelope(send, 413, "body_too_large", message("validation_error", lang, detail=detail))
