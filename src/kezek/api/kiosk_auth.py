"""The kiosk credential: a signed, long-lived cookie that names one enrolled device.

It is not a staff session and is never read as one: staff pages and the floor API
refuse it (deps.actor_of knows nothing of it), and the kiosk's own endpoints ignore a
staff session that may also be on the screen. The cookie holds the device id and its
centre, signed with the server's secret (salted for this use only), so it cannot be
forged or moved to another centre; the device's row is read on every request, so a
revoked device is refused on its next one (ADR 0035).
"""

from __future__ import annotations

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.deps import settings_of
from kezek.app.kiosk_devices import Device, live_device
from kezek.core.errors import Forbidden, Unauthorized

KIOSK_COOKIE = "kezek_kiosk"
KIOSK_PATHS = ("/kiosk", "/api/v1/kiosk")
_SALT = "kezek.kiosk.device"
MAX_AGE = 400 * 24 * 3600  # browsers cap cookies at 400 days; re-set on every page


def _serializer(request: Request) -> URLSafeSerializer:
    return URLSafeSerializer(settings_of(request).secret_key, salt=_SALT)


def set_kiosk_cookie(request: Request, response: Response, device: Device) -> None:
    token = _serializer(request).dumps({"d": device.id, "c": device.center_id})
    response.set_cookie(KIOSK_COOKIE, token, max_age=MAX_AGE, httponly=True,
                        samesite="strict", secure=settings_of(request).secure_cookies,
                        path="/")


def clear_kiosk_cookie(response: Response) -> None:
    response.delete_cookie(KIOSK_COOKIE, path="/")


async def kiosk_of(request: Request, session: AsyncSession) -> Device | None:
    """The live device behind the request's kiosk cookie, else None (no cookie, a
    forged or altered one, a revoked or unknown device)."""
    raw = request.cookies.get(KIOSK_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer(request).loads(raw)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str):
        return None
    device = await live_device(session, data["d"])
    if device is None or device.center_id != data.get("c"):
        return None
    return device


async def require_kiosk(request: Request, session: AsyncSession) -> Device:
    """The device for a kiosk API call: 401 without a live one; 403 without the
    `X-Requested-With: kezek` header the kiosk's script sends (the cookie alone never
    authorises a change, as for staff sessions)."""
    device = await kiosk_of(request, session)
    if device is None:
        raise Unauthorized(reason="kiosk")
    if request.headers.get("x-requested-with", "").lower() != "kezek":
        raise Forbidden()
    return device
