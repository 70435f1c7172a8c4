"""Form safety for the citizen pages: CSRF tokens, and the sealed IIN a page may carry.

CSRF is a double-submit cookie: every page that shows a form puts a random token in
an HttpOnly, SameSite=Lax cookie and in a hidden field; a POST is accepted only when
the two match (compared in constant time).

After someone has proved a booking is theirs (code + IIN), the page that shows it
offers a Cancel button. That form must not carry the IIN in clear, so it carries the
IIN sealed: XOR-ed with an HMAC-SHA256 keystream under a random nonce, authenticated
with a second HMAC over the nonce, expiry, ciphertext and the browser's CSRF token
(encrypt-then-MAC, keys derived from the secret key). The token is useless in another
browser, after its expiry, or to anyone without the server's secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

from fastapi import Request
from starlette.datastructures import FormData
from starlette.responses import Response

CSRF_COOKIE = "kezek_csrf"
CSRF_FIELD = "csrf"
SEAL_TTL_SECONDS = 30 * 60
_NONCE, _EXPIRY, _TAG = 16, 8, 16


class CsrfRejected(Exception):
    """A POST whose form token does not match the CSRF cookie: nothing is done."""


def _plausible(token: str | None) -> bool:
    return bool(token) and 20 <= len(token or "") <= 100 and (token or "").isascii()


def csrf_token(request: Request) -> str:
    """The browser's token: the one in its cookie, or a new one for this response."""
    have = request.cookies.get(CSRF_COOKIE)
    if _plausible(have):
        assert have is not None
        return have
    fresh: str | None = getattr(request.state, "csrf_fresh", None)
    if fresh is None:
        fresh = secrets.token_urlsafe(32)
        request.state.csrf_fresh = fresh
    return fresh


def set_csrf_cookie(request: Request, response: Response, secure: bool) -> None:
    token = csrf_token(request)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", secure=secure,
                            path="/")


async def checked_form(request: Request) -> FormData:
    """The POSTed form if its CSRF field matches the cookie; raises CsrfRejected if not."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    cookie = request.cookies.get(CSRF_COOKIE)
    if not isinstance(sent, str) or not _plausible(cookie) or not _plausible(sent):
        raise CsrfRejected()
    assert cookie is not None
    if not hmac.compare_digest(sent.encode(), cookie.encode()):
        raise CsrfRejected()
    # Kept for the POST answer only (issue 13): a refused page shows the IIN as typed so the
    # person corrects it instead of retyping it. It lives on this request, never in a URL,
    # the session or a log; `render` puts it in the field of a no-store answer.
    request.state.typed_iin = field(form, "iin", 40)
    return form


def field(form: FormData, name: str, limit: int = 64) -> str:
    """A text field of a form, trimmed and cut to a sane length."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _keys(secret: str) -> tuple[bytes, bytes]:
    master = hashlib.sha256(b"kezek.web.seal\x00" + secret.encode()).digest()
    return (hmac.new(master, b"encrypt", hashlib.sha256).digest(),
            hmac.new(master, b"authenticate", hashlib.sha256).digest())


def seal(value: str, secret: str, bind: str, now: float | None = None) -> str:
    """An opaque token holding `value` (up to 32 ASCII characters) for this browser."""
    data = value.encode("ascii")
    if len(data) > 32:
        raise ValueError("too long to seal")
    enc, mac = _keys(secret)
    nonce = secrets.token_bytes(_NONCE)
    expiry = int((now or time.time()) + SEAL_TTL_SECONDS).to_bytes(_EXPIRY, "big")
    stream = hmac.new(enc, nonce, hashlib.sha256).digest()
    body = bytes(a ^ b for a, b in zip(data, stream, strict=False))
    tag = hmac.new(mac, nonce + expiry + body + bind.encode(), hashlib.sha256).digest()[:_TAG]
    return base64.urlsafe_b64encode(nonce + expiry + body + tag).decode().rstrip("=")


def unseal(token: str, secret: str, bind: str, now: float | None = None) -> str | None:
    """The sealed value, or None if the token is forged, expired or from another browser."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, TypeError):
        return None
    if len(raw) < _NONCE + _EXPIRY + _TAG or len(raw) > _NONCE + _EXPIRY + _TAG + 32:
        return None
    nonce, expiry = raw[:_NONCE], raw[_NONCE:_NONCE + _EXPIRY]
    body, tag = raw[_NONCE + _EXPIRY:-_TAG], raw[-_TAG:]
    enc, mac = _keys(secret)
    want = hmac.new(mac, nonce + expiry + body + bind.encode(), hashlib.sha256).digest()[:_TAG]
    if not hmac.compare_digest(tag, want):
        return None
    if int.from_bytes(expiry, "big") < (now or time.time()):
        return None
    stream = hmac.new(enc, nonce, hashlib.sha256).digest()
    try:
        return bytes(a ^ b for a, b in zip(body, stream, strict=False)).decode("ascii")
    except UnicodeDecodeError:
        return None
