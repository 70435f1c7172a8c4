"""Video consultations: operators publish hours, callers get one slot and a room link.

A slot is one cut of an operator's published hours. The database is the referee: the
partial unique index on (operator, start) over scheduled consultations lets exactly
one insert win, and the loser's IntegrityError becomes `VideoSlotTaken`; nothing is
checked in Python first. The room is `video_room_base + "/" + code`, the code 74
random bits from `secrets` in a form that can be dictated (`room_code`): knowing one
link tells nothing about another.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit, catalog
from kezek.app.actor import Actor, Channel, Role
from kezek.app.booking import valid_iin
from kezek.core import iin as iin_rules
from kezek.core.errors import (
    Forbidden,
    InvalidState,
    KezekError,
    NotFound,
    OutsideSchedule,
    ValidationFailed,
)
from kezek.core.privacy import iin_digest
from kezek.store.models import PersonRow, UserRow, utcnow
from kezek.store.models_channels import ConsultationRow, VideoHoursRow

# The contact centre is national and Kazakhstan keeps one zone (UTC+5 since March 2024).
ZONE = "Asia/Almaty"
SLOT_MINUTES = (10, 15, 20, 30, 45, 60)
MAX_SPAN = dt.timedelta(hours=14)
MAX_AHEAD = dt.timedelta(days=60)
MAX_SLOTS = 300
# A room code a caller can be read over the phone and type: 15 characters from 31 that
# no one confuses (no 0/o, 1/l/i), in groups of five: 74 random bits, far beyond any
# guessing in a consultation's lifetime, where a 22-character mixed-case token could
# not be dictated (issue 13).
ROOM_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
ROOM_GROUPS, ROOM_GROUP = 3, 5
ROOM_LIMIT = 64
VIDEO_ROLES = (Role.CALL_CENTRE, Role.ADMIN)


class VideoSlotTaken(KezekError):
    """Someone else got this operator's slot first."""

    code = "video_slot_taken"
    status = 409


@dataclass(frozen=True, slots=True)
class VideoSlot:
    hours_id: int
    user_id: int
    operator: str
    start: dt.datetime  # aware UTC
    end: dt.datetime


def local(at: dt.datetime) -> dt.datetime:
    return at.astimezone(ZoneInfo(ZONE))


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if value.tzinfo is None:
        raise ValidationFailed(detail=f"{field}: give the UTC offset")
    return value.astimezone(dt.UTC)


def _staff(actor: Actor) -> int:
    if actor.role not in VIDEO_ROLES or actor.user_id is None:
        raise Forbidden()
    return actor.user_id


async def publish_hours(session: AsyncSession, actor: Actor, starts_at: dt.datetime,
                        ends_at: dt.datetime, slot_minutes: int,
                        now: dt.datetime | None = None) -> VideoHoursRow:
    """Publishes a span of the actor's time for video consultations.

    Spans of one operator may not overlap: two overlapping spans with different slot
    lengths would give slots whose starts differ but whose times collide, which the
    unique index cannot see. The operator's row is locked first, so two publications
    by the same person are serialised before the overlap is read.
    """
    user_id = _staff(actor)
    now = now or utcnow()
    start, end = _aware(starts_at, "starts_at"), _aware(ends_at, "ends_at")
    if slot_minutes not in SLOT_MINUTES:
        raise ValidationFailed(detail=f"slot_minutes: one of {list(SLOT_MINUTES)}")
    if end <= start or end - start > MAX_SPAN:
        raise ValidationFailed(detail="ends_at: after starts_at, within 14 hours")
    if end - start < dt.timedelta(minutes=slot_minutes):
        raise ValidationFailed(detail="the span is shorter than one slot")
    if end <= now or start > now + MAX_AHEAD:
        raise OutsideSchedule(reason="video_hours")
    await session.scalar(select(UserRow.id).where(UserRow.id == user_id).with_for_update())
    overlap = await session.scalar(select(VideoHoursRow.id).where(
        VideoHoursRow.user_id == user_id, VideoHoursRow.starts_at < end,
        VideoHoursRow.ends_at > start).limit(1))
    if overlap is not None:
        raise ValidationFailed(detail="these hours overlap hours you have published")
    row = VideoHoursRow(user_id=user_id, starts_at=start, ends_at=end,
                        slot_minutes=slot_minutes, created_at=now)
    session.add(row)
    await session.flush()
    await audit.record(session, actor, Channel.CALL_CENTRE, "video.hours", "video_hours",
                       row.id, {"start": start.isoformat(), "end": end.isoformat(),
                                "slot_minutes": slot_minutes})
    return row


async def list_hours(session: AsyncSession, user_id: int, now: dt.datetime | None = None
                     ) -> list[VideoHoursRow]:
    """An operator's hours that have not ended yet."""
    now = now or utcnow()
    return list((await session.scalars(select(VideoHoursRow).where(
        VideoHoursRow.user_id == user_id, VideoHoursRow.ends_at > now)
        .order_by(VideoHoursRow.starts_at))).all())


def cut(hours: VideoHoursRow) -> list[tuple[dt.datetime, dt.datetime]]:
    """The slots of a span: equal cuts from its start; a remainder is no slot."""
    step = dt.timedelta(minutes=hours.slot_minutes)
    out, at = [], hours.starts_at
    while at + step <= hours.ends_at:
        out.append((at, at + step))
        at += step
    return out


async def free_slots(session: AsyncSession, first: dt.datetime, last: dt.datetime,
                     now: dt.datetime | None = None, user_id: int | None = None
                     ) -> list[VideoSlot]:
    """Free video slots starting in [first, last), of every operator or of one.

    A slot is free when no scheduled consultation holds its operator at its start; a
    slot that has started is no longer offered.
    """
    now = now or utcnow()
    first, last = max(_aware(first, "from"), now), _aware(last, "to")
    stmt = (select(VideoHoursRow, UserRow.username, UserRow.full_name)
            .join(UserRow, UserRow.id == VideoHoursRow.user_id)
            .where(VideoHoursRow.starts_at < last, VideoHoursRow.ends_at > first,
                   UserRow.active.is_(True)))
    if user_id is not None:
        stmt = stmt.where(VideoHoursRow.user_id == user_id)
    spans = (await session.execute(stmt)).all()
    if not spans:
        return []
    held = set((await session.execute(select(ConsultationRow.user_id, ConsultationRow.starts_at)
                                      .where(ConsultationRow.status == "scheduled",
                                             ConsultationRow.starts_at >= first,
                                             ConsultationRow.starts_at < last))).all())
    out = [VideoSlot(h.id, h.user_id, full_name or username, s, e)
           for h, username, full_name in spans for s, e in cut(h)
           if first <= s < last and (h.user_id, s) not in held]
    out.sort(key=lambda x: (x.start, x.operator, x.user_id))
    return out[:MAX_SLOTS]


def room_code() -> str:
    """A fresh random room code, e.g. `k7qm4-tzp9x-rdf2h`."""
    return "-".join("".join(secrets.choice(ROOM_ALPHABET) for _ in range(ROOM_GROUP))
                    for _ in range(ROOM_GROUPS))


def room_url(base: str) -> str:
    """A fresh room under the configured base, named by a random room code."""
    url = f"{base.rstrip('/')}/{room_code()}"
    if len(url) > ROOM_LIMIT:
        raise ValueError(f"KEZEK_VIDEO_ROOM_BASE is too long for a {ROOM_LIMIT}-character room")
    return url


async def _person(session: AsyncSession, iin: str, key: bytes) -> int:
    """The person's row id, created if this IIN is new; no booking counter is touched."""
    conn = await session.connection()
    dml = postgresql if conn.dialect.name == "postgresql" else sqlite
    digest = iin_digest(iin, key)
    await conn.execute(dml.insert(PersonRow.__table__).values(
        iin_hash=digest, iin_masked=iin_rules.mask(iin), bookings_made=0)
        .on_conflict_do_nothing(index_elements=["iin_hash"]))
    found = await session.scalar(select(PersonRow.id).where(PersonRow.iin_hash == digest))
    assert found is not None  # inserted above or already there
    return found


@dataclass(frozen=True, slots=True)
class VideoRequest:
    iin: str
    hours_id: int
    start: dt.datetime
    service: str | None = None
    lang: str = "ru"


async def schedule(session: AsyncSession, req: VideoRequest, key: bytes, actor: Actor,
                   room_base: str, now: dt.datetime | None = None) -> ConsultationRow:
    """Gives the caller one operator's slot and a room; `VideoSlotTaken` if it went."""
    _staff(actor)
    iin = valid_iin(req.iin)
    now = now or utcnow()
    start = _aware(req.start, "start")
    hours = await session.get(VideoHoursRow, req.hours_id)
    if hours is None:
        raise NotFound(entity="video_hours")
    slot = next(((s, e) for s, e in cut(hours) if s == start), None)
    if slot is None or start <= now:
        raise OutsideSchedule(reason="video_slot")
    service = (await catalog.service(session, req.service)).code if req.service else None
    if req.lang not in ("kk", "ru", "en"):
        raise ValidationFailed(detail="lang: kk, ru or en")
    person_id = await _person(session, iin, key)
    values = dict(hours_id=hours.id, user_id=hours.user_id, starts_at=slot[0],
                  ends_at=slot[1], person_id=person_id, iin_masked=iin_rules.mask(iin),
                  service_code=service, lang=req.lang, room=room_url(room_base),
                  status="scheduled", created_by=actor.label, created_at=now)
    try:  # the request's transaction ends with this error: nothing else to undo
        new_id = (await session.execute(insert(ConsultationRow).values(**values)
                                        .returning(ConsultationRow.id))).scalar_one()
    except IntegrityError:
        raise VideoSlotTaken() from None
    await audit.record(session, actor, Channel.CALL_CENTRE, "video.schedule", "consultation",
                       new_id, {"operator": hours.user_id, "start": start.isoformat()})
    row = await session.get(ConsultationRow, new_id)
    assert row is not None
    return row


async def cancel(session: AsyncSession, consultation_id: int, actor: Actor) -> ConsultationRow:
    """Cancels a scheduled consultation; its slot is free again at once."""
    _staff(actor)
    result = await session.execute(
        update(ConsultationRow).where(ConsultationRow.id == consultation_id,
                                      ConsultationRow.status == "scheduled")
        .values(status="cancelled").execution_options(synchronize_session=False))
    row = await session.get(ConsultationRow, consultation_id, populate_existing=True)
    if row is None:
        raise NotFound(entity="consultation")
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidState()
    await audit.record(session, actor, Channel.CALL_CENTRE, "video.cancel", "consultation",
                       consultation_id)
    return row


async def of_operator(session: AsyncSession, user_id: int, now: dt.datetime | None = None
                      ) -> list[ConsultationRow]:
    """An operator's scheduled consultations that have not ended, soonest first."""
    now = now or utcnow()
    return list((await session.scalars(select(ConsultationRow).where(
        ConsultationRow.user_id == user_id, ConsultationRow.status == "scheduled",
        ConsultationRow.ends_at > now).order_by(ConsultationRow.starts_at))).all())


async def upcoming(session: AsyncSession, now: dt.datetime | None = None
                   ) -> list[ConsultationRow]:
    """Every operator's scheduled consultations that have not ended."""
    now = now or utcnow()
    return list((await session.scalars(select(ConsultationRow).where(
        ConsultationRow.status == "scheduled", ConsultationRow.ends_at > now)
        .order_by(ConsultationRow.starts_at, ConsultationRow.user_id))).all())


async def of_person(session: AsyncSession, raw_iin: str, key: bytes) -> list[ConsultationRow]:
    """A person's consultations, every status, by time."""
    iin = valid_iin(raw_iin)
    return list((await session.scalars(
        select(ConsultationRow).join(PersonRow, PersonRow.id == ConsultationRow.person_id)
        .where(PersonRow.iin_hash == iin_digest(iin, key))
        .order_by(ConsultationRow.starts_at))).all())


async def operator_names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(select(UserRow.id, UserRow.username, UserRow.full_name)
                                 .where(UserRow.id.in_(ids)))
    return {i: full or name for i, name, full in rows.all()}
