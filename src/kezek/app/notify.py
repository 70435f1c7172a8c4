"""Claims: every notification is claimed in its own committed transaction before it is sent.

The claim is a `notification_claims` row, unique on (booking, kind, channel). Whoever
inserts it sends; a retried job, a second worker or the sweep finds it and sends
nothing. That makes delivery at most once: a message whose sending failed stays claimed
with its error, except when the failure proves nothing left the host (the connection was
refused), in which case the claim is released and the sweep tries again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog
from kezek.app.identity import notice_phone
from kezek.app.notices import Notice, Place, local_time
from kezek.store.models import BookingRow, CenterRow
from kezek.store.models_channels import BookingContactRow
from kezek.store.models_jobs import NotificationClaimRow

TELEGRAM, EMAIL, SMS = "telegram", "email", "sms"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A claimed message, ready to leave: where to, and what it says. For SMS the
    address is a number in clear: never logged, never recorded with the claim."""

    claim_id: int
    booking_id: int
    kind: str
    channel: str
    address: str
    notice: Notice


def addresses(telegram_chat_id: int | None, email: str | None, channels: set[str],
              phone: str | None = None) -> list[tuple[str, str]]:
    """The (channel, address) pairs a person can be reached on with the channels we run;
    `phone` is the proven number, already opened (`notice_phone.open_for`)."""
    out = []
    if telegram_chat_id is not None and TELEGRAM in channels:
        out.append((TELEGRAM, str(telegram_chat_id)))
    if email and EMAIL in channels:
        out.append((EMAIL, email))
    if phone and SMS in channels:
        out.append((SMS, phone))
    return out


def phone_of(cipher: str | None, person_id: int | None, key: bytes | None) -> str | None:
    """The number kept sealed for a person, if any (and the key to open it is given)."""
    if not cipher or person_id is None or key is None:
        return None
    return notice_phone.open_for(cipher, person_id, key)


async def contact(session: AsyncSession, booking_id: int) -> BookingContactRow | None:
    return await session.get(BookingContactRow, booking_id)


async def claim(session: AsyncSession, booking_id: int, kind: str, channel: str,
                now: dt.datetime) -> int | None:
    """Inserts the claim; its id if this caller won it, None if it was claimed before."""
    conn = await session.connection()
    dml: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    result = await conn.execute(
        dml.insert(NotificationClaimRow.__table__).values(
            booking_id=booking_id, kind=kind, channel=channel, claimed_at=now)
        .on_conflict_do_nothing().returning(NotificationClaimRow.__table__.c.id))
    new_id = result.scalar_one_or_none()
    return int(new_id) if new_id is not None else None


async def claim_all(session: AsyncSession, booking_id: int, kind: str,
                    targets: list[tuple[str, str]], notice: Notice, now: dt.datetime
                    ) -> list[Outgoing]:
    out = []
    for channel, address in targets:
        claim_id = await claim(session, booking_id, kind, channel, now)
        if claim_id is not None:
            out.append(Outgoing(claim_id, booking_id, kind, channel, address, notice))
    return out


async def record(session: AsyncSession, claim_id: int, error: str | None,
                 now: dt.datetime) -> None:
    """Marks a claim sent, or keeps the error that stopped it (never with an address)."""
    values: dict[str, Any] = {"error": error[:300]} if error else {"sent_at": now}
    await session.execute(update(NotificationClaimRow).where(
        NotificationClaimRow.id == claim_id).values(**values))


async def release(session: AsyncSession, claim_id: int) -> None:
    """Gives a claim back when nothing was delivered, so the sweep may try again."""
    await session.execute(delete(NotificationClaimRow).where(
        NotificationClaimRow.id == claim_id))


async def place_of(session: AsyncSession, booking: BookingRow, lang: str) -> Place:
    service = await catalog.service(session, booking.service_code)
    centre = await session.get(CenterRow, booking.center_id)
    assert centre is not None
    pick = lang if lang in ("kk", "ru", "en") else "ru"
    name = getattr(centre, f"name_{pick}") or centre.name_ru
    address = getattr(centre, f"address_{pick}") or centre.address_ru
    return Place(booking.code, service.names.get(pick), name, address,
                 local_time(booking.start_utc, centre.timezone),
                 service.documents.get(pick))
