"""Checks at the edge of the app, before any route: text with NUL bytes and oversized bodies.

Why here and not in each route: a NUL byte reaches PostgreSQL from any text parameter and
makes it raise (a 500), and a body is read whole by FastAPI before a schema can look at it.
One ASGI layer refuses both for every route, with the usual error envelope, and counts the
body while it streams in, so a 50 MB or chunked upload is cut off at the limit, not read.

A JSON or form body is text too: a NUL byte in it (`\u0000` in a JSON string, `%00` in a
form field) reached PostgreSQL from the token endpoint's username and from every free
`dict` body, so such a body (at most the limit, and read whole by FastAPI anyway) is read
here first and looked at once, for every route, instead of a validator on each field.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kezek.i18n import message, negotiate

DEFAULT_MAX_BODY = 1024 * 1024
# `\u0000` escaped in JSON text, not preceded by an odd run of backslashes (`\\u0000` is
# a backslash and the letters "u0000", which is fine).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_TEXT_BODIES = (b"application/json", b"application/x-www-form-urlencoded")
_BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _has_nul(raw: bytes) -> bool:
    return b"\x00" in raw or b"\x00" in unquote_to_bytes(raw)


def _body_has_nul(content_type: bytes, body: bytes) -> bool:
    """A NUL byte in a JSON or form body, raw, JSON-escaped or percent-encoded."""
    if b"\x00" in body:
        return True
    if content_type.startswith(b"application/json") or content_type.endswith(b"+json"):
        return _JSON_NUL.search(body) is not None
    return b"\x00" in unquote_to_bytes(body.replace(b"+", b" "))


def _text_body_type(scope: Scope) -> bytes | None:
    """The content type of a JSON or form body (lower case), or None for any other.

    A body sent with no content type at all is JSON here, because FastAPI parses it as
    JSON then (the fuzzer found a NUL username reaching PostgreSQL that way)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            kind: bytes = value.split(b";", 1)[0].strip().lower()
            if not kind:  # an empty header is no content type to FastAPI either
                break
            if kind in _TEXT_BODIES or kind.endswith(b"+json"):
                return kind
            return None
    return b"application/json" if scope.get("method") in _BODY_METHODS else None


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

        kind = _text_body_type(scope)
        app_receive: Receive = counted
        if kind is not None:
            # Read the text body whole (within the limit) to look for NUL, then replay it.
            chunks: list[bytes] = []
            while True:
                msg = await counted()
                if refused or msg["type"] != "http.request":
                    return
                chunks.append(msg.get("body", b""))
                if not msg.get("more_body", False):
                    break
            body = b"".join(chunks)
            if _body_has_nul(kind, body):
                await _envelope(send, 400, "invalid_input",
                                message("validation_error", lang, detail="NUL byte"))
                return
            app_receive = _replay(body, receive)
        try:
            await self.app(scope, app_receive, watched)
        except Exception:
            if not refused:
                raise


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the app the body already read, then waits on the client."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


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
