"""What the 1414 console needs beyond `app.booking`: a caller's whole picture, the
answer to "can I do this online?", and a reminder contact kept with a booking.

Booking, cancelling and rescheduling themselves are `app.booking`'s, with the
call_centre channel: the same quotas hold whichever way a person calls.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import after_commit, audit, booking, catalog, change_notice, contacts, network, video
from kezek.app.actor import Actor, Channel
from kezek.app.identity.ports import Directory
from kezek.core.errors import KezekError, ValidationFailed
from kezek.core.iin import mask
from kezek.core.network import CenterFormat
from kezek.core.policy import Privilege, eligible_windows
from kezek.core.registry import Delivery, Service
from kezek.store.models import BookingRow, CenterRow, CityRow, SelfServicePointRow
from kezek.store.models_channels import BookingContactRow, ConsultationRow

# Deliberately loose: one @, a dot in the domain, no spaces. The mail server decides.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
LANGS = ("kk", "ru", "en")


@dataclass(frozen=True, slots=True)
class Caller:
    iin_masked: str
    bookings: list[BookingRow]
    consultations: list[ConsultationRow]


async def lookup(session: AsyncSession, raw_iin: str, key: bytes, actor: Actor) -> Caller:
    """Every booking and video consultation of one IIN (each status), by time."""
    iin = booking.valid_iin(raw_iin)
    rows = await booking.find_for_person(session, iin, key, active_only=False)
    # Who looked at whose bookings is recorded: a caller's data is read on their behalf.
    await audit.record(session, actor, Channel.CALL_CENTRE, "caller.lookup", "person",
                       mask(iin), {"bookings": len(rows)})
    return Caller(mask(iin), rows, await video.of_person(session, iin, key))


@dataclass(frozen=True, slots=True)
class Advice:
    """Whether the service can be done online, where to do that, and where in person."""

    service: Service
    online: bool  # obtainable on the portal
    in_person: list[tuple[CenterRow, CityRow]]  # centres that would take this person
    points: list[SelfServicePointRow]  # self-service points, the caller's city first


async def advice(session: AsyncSession, code: str, privilege: Privilege | None,
                 city: str | None) -> Advice:
    """The console's answer to "can I do this online?".

    A centre is listed only if the booking rules would take this person there, so an
    online service without a privilege lists none (and a booking-only centre keeps an
    online service for privileged people at its privilege window).
    """
    service = await catalog.service(session, code)
    snap = await catalog.snapshot(session)
    rows = await network.list_centers(session)
    serving = []
    for row, city_row in rows:
        ctx = snap.centers.get(row.id)
        if ctx is None:
            continue
        try:
            eligible_windows(ctx.center, service, ctx.windows, privilege)
        except KezekError:
            continue
        serving.append((row, city_row))
    serving.sort(key=lambda x: (x[1].slug != city, x[1].slug, x[0].slug))
    online = service.delivery is not Delivery.PAPER
    points = await network.self_service_points(session) if online else []
    points.sort(key=lambda p: (p.city != city, p.city, p.slug))
    return Advice(service, online, serving, points)


def booking_only(row: CenterRow) -> bool:
    return row.format == CenterFormat.BOOKING_ONLY.value


def valid_email(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValidationFailed(detail="email: not an e-mail address")
    return value


async def book_for_caller(session: AsyncSession, req: booking.BookingRequest, key: bytes,
                          actor: Actor, email: str | None = None, lang: str = "ru",
                          directory: Directory | None = None) -> BookingRow:
    """Books on the caller's behalf (channel call_centre); an e-mail, if given, is kept
    with the booking for its reminders, in the caller's language."""
    address = valid_email(email)
    if lang not in LANGS:
        raise ValidationFailed(detail="lang: kk, ru or en")
    row = await booking.book(session, _as_call_centre(req), key, actor, directory=directory)
    if address is not None:
        contacts.add(session, row.id, email=address, lang=lang)
        await session.flush()
    return row


def _as_call_centre(req: booking.BookingRequest) -> booking.BookingRequest:
    return booking.BookingRequest(req.iin, req.service, req.center, req.start,
                                  Channel.CALL_CENTRE, req.privilege)


async def reschedule_for_caller(session: AsyncSession, code: str, raw_iin: str,
                                start: dt.datetime, key: bytes, actor: Actor,
                                center_id: int | None = None) -> BookingRow:
    """Moves a booking for the caller; the reminder contact follows it to the new code,
    and hears of the move there (the caller may not be the person)."""
    row = await booking.reschedule(session, code, raw_iin, start, key, actor,
                                   Channel.CALL_CENTRE, center_id=center_id)
    after_commit.booking_changed(session, row.id, change_notice.MOVED)
    return row


async def cancel_for_caller(session: AsyncSession, code: str, raw_iin: str, key: bytes,
                            actor: Actor) -> BookingRow:
    """Cancels a booking for the caller; its contact is told (app/change_notice.py)."""
    row = await booking.cancel(session, code, raw_iin, key, actor, Channel.CALL_CENTRE)
    after_commit.booking_changed(session, row.id, change_notice.CANCELLED)
    return row


async def contact_of(session: AsyncSession, booking_id: int) -> BookingContactRow | None:
    return await session.get(BookingContactRow, booking_id)


async def centre_names(session: AsyncSession, ids: set[int]
                       ) -> dict[int, tuple[CenterRow, CityRow]]:
    """Centres by id with their city, for showing bookings."""
    if not ids:
        return {}
    rows = await session.execute(select(CenterRow, CityRow).join(
        CityRow, CityRow.slug == CenterRow.city).where(CenterRow.id.in_(ids)))
    return {c.id: (c, ci) for c, ci in rows.all()}
