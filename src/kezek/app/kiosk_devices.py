"""Kiosk devices: a self check-in screen enrolled to one centre, without a staff session.

Door staff or a manager of a centre (or an admin, or the CLI) asks for a one-time
enrolment code; the kiosk device redeems it once and is given a device id, which the web
layer keeps in a signed cookie (web/kiosk_auth.py). The device may then check people in
at that centre and nothing else. Revoking the device takes effect on its next request,
because every kiosk request reads the device's row (ADR 0035).

Both live in the existing `settings` table, one row each (`kiosk.device:<id>`,
`kiosk.code:<digest>`): no migration, and no row that every kiosk of the network
writes to. Only a digest of an enrolment code is stored, so reading the table does not
enrol a device.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit
from kezek.app.actor import Actor, Channel
from kezek.store.models import SettingRow, utcnow

DEVICE_PREFIX = "kiosk.device:"
CODE_PREFIX = "kiosk.code:"
CODE_TTL = dt.timedelta(minutes=30)
# No 0/O, 1/I/L: the code is read off a staff screen and typed on a touchscreen.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


@dataclass(frozen=True, slots=True)
class Device:
    """An enrolled kiosk: the centre it serves and who enrolled it when."""

    id: str
    center_id: int
    enrolled_at: str
    enrolled_by: str
    revoked_at: str | None = None

    @property
    def live(self) -> bool:
        return self.revoked_at is None

    @property
    def actor(self) -> Actor:
        """Who the audit names for what the kiosk does: the device, never a staff member."""
        return Actor(f"kiosk:{self.id[:8]}")


def normal_code(raw: str) -> str:
    """The code as typed, upper-cased, without the spaces and dashes people add."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def _digest(code: str) -> str:
    return hashlib.sha256(b"kezek.kiosk.code\x00" + code.encode()).hexdigest()[:48]


def _device(key: str, value: dict[str, Any]) -> Device:
    return Device(id=key.removeprefix(DEVICE_PREFIX), center_id=int(value["center"]),
                  enrolled_at=str(value.get("enrolled_at", "")),
                  enrolled_by=str(value.get("by", "")), revoked_at=value.get("revoked_at"))


async def start_enrolment(session: AsyncSession, center_id: int, actor: Actor,
                          channel: Channel, now: dt.datetime | None = None) -> str:
    """A fresh one-time code that enrols one device for this centre within CODE_TTL."""
    now = now or utcnow()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    session.add(SettingRow(key=CODE_PREFIX + _digest(code), value={
        "center": center_id, "expires": (now + CODE_TTL).isoformat(), "by": actor.label}))
    await session.flush()
    await audit.record(session, actor, channel, "kiosk.enrolment", "center", center_id,
                       {"expires": (now + CODE_TTL).isoformat()})
    return code


async def redeem(session: AsyncSession, raw_code: str,
                 now: dt.datetime | None = None) -> Device | None:
    """Enrols a device with a code: the new device, or None for an unknown, used or
    expired code. The code's row is deleted first, so two devices racing with one code
    cannot both win (only one delete finds the row)."""
    now = now or utcnow()
    code = normal_code(raw_code)
    if len(code) != CODE_LENGTH:
        return None
    key = CODE_PREFIX + _digest(code)
    row = await session.get(SettingRow, key)
    if row is None:
        return None
    value = dict(row.value)
    gone = await session.execute(delete(SettingRow).where(SettingRow.key == key))
    if getattr(gone, "rowcount", 0) != 1:
        return None
    if dt.datetime.fromisoformat(value["expires"]) <= now:
        return None
    device_id = secrets.token_urlsafe(18)
    stored = {"center": int(value["center"]), "enrolled_at": now.isoformat(),
              "by": value.get("by", ""), "revoked_at": None}
    session.add(SettingRow(key=DEVICE_PREFIX + device_id, value=stored))
    await session.flush()
    device = _device(DEVICE_PREFIX + device_id, stored)
    await audit.record(session, device.actor, Channel.DOOR, "kiosk.enrolled", "center",
                       device.center_id, {"device": device_id[:8], "by": stored["by"]})
    return device


async def live_device(session: AsyncSession, device_id: str) -> Device | None:
    """The device if it is enrolled and not revoked: read on every kiosk request."""
    if not device_id or len(device_id) > 40:
        return None
    row = await session.get(SettingRow, DEVICE_PREFIX + device_id)
    if row is None or not isinstance(row.value, dict) or "center" not in row.value:
        return None
    device = _device(row.key, row.value)
    return device if device.live else None


async def devices_of(session: AsyncSession, center_id: int) -> list[Device]:
    """The centre's enrolled devices, live and revoked, newest first."""
    rows = (await session.scalars(select(SettingRow).where(
        SettingRow.key.startswith(DEVICE_PREFIX)))).all()
    found = [_device(r.key, r.value) for r in rows
             if isinstance(r.value, dict) and r.value.get("center") == center_id]
    return sorted(found, key=lambda d: d.enrolled_at, reverse=True)


async def revoke(session: AsyncSession, center_id: int, device_id: str, actor: Actor,
                 channel: Channel, now: dt.datetime | None = None) -> bool:
    """Revokes one of this centre's devices; False if it is not one of them."""
    row = await session.get(SettingRow, DEVICE_PREFIX + device_id, with_for_update=True)
    if row is None or not isinstance(row.value, dict) or row.value.get("center") != center_id:
        return False
    if row.value.get("revoked_at") is None:
        row.value = {**row.value, "revoked_at": (now or utcnow()).isoformat()}
        await session.flush()
        await audit.record(session, actor, channel, "kiosk.revoked", "center", center_id,
                           {"device": device_id[:8]})
    return True
