"""No-show suspensions, computed from the bookings when they are needed (ADR 0015).

Nothing is written when a visit is missed: the floor marks `no_show`, the day's job
marks `expired`, and whether a person is suspended is read from those bookings by one
indexed query at the moment they try to book. So a change of the rule applies at once,
to the past as well, and there is no second record to drift from the bookings. Lifting
a suspension is the one thing stored: `persons.no_show_cleared_at`, before which missed
visits no longer count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, ColumnElement, literal_column, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit, catalog
from kezek.app.actor import Actor, Channel
from kezek.core.abuse import MISSED_SQL, NoShowRule, Suspended, active_suspension
from kezek.core.errors import NotFound
from kezek.store.models import BookingRow, PersonRow, utcnow

# Literal SQL, so that the partial index on missed visits matches its predicate.
_MISSED: ColumnElement[bool] = literal_column("bookings." + MISSED_SQL, Boolean)


@dataclass(frozen=True, slots=True)
class Suspension:
    """A person's suspension in force: their row id (never the IIN), the masked IIN
    staff see anyway, when it ends, and how many missed visits the lookback holds."""

    person_id: int
    iin_masked: str
    until: dt.datetime
    missed: int


def _counted(since: dt.datetime) -> list[ColumnElement[bool]]:
    """Missed visits that count: after `since` and after staff last lifted a suspension."""
    return [_MISSED, BookingRow.start_utc > since,
            or_(PersonRow.no_show_cleared_at.is_(None),
                BookingRow.start_utc > PersonRow.no_show_cleared_at)]


async def missed_by_digest(session: AsyncSession, iin_hash: str, rule: NoShowRule,
                           now: dt.datetime) -> list[dt.datetime]:
    """The person's missed visits that may still matter (persons' unique hash, then the
    bookings' (person, status) index)."""
    rows = await session.execute(
        select(BookingRow.start_utc).join(PersonRow, PersonRow.id == BookingRow.person_id)
        .where(PersonRow.iin_hash == iin_hash, *_counted(now - rule.lookback)))
    return [r[0] for r in rows.all()]


def until_text(until: dt.datetime, zone: str) -> str:
    """The end of a suspension as the person is told it: the local date."""
    return f"{until.astimezone(ZoneInfo(zone)):%d.%m.%Y}"


async def refuse_if_suspended(session: AsyncSession, iin_hash: str, zone: str,
                              now: dt.datetime | None = None) -> None:
    """Raises Suspended (403) while the person may not book; free when the rule is off."""
    rule = await catalog.no_show_rule(session)
    if rule is None:
        return
    now = now or utcnow()
    until = active_suspension(await missed_by_digest(session, iin_hash, rule, now), rule, now)
    if until is not None:
        raise Suspended(until=until_text(until, zone), count=rule.count, days=rule.days)


async def of_person(session: AsyncSession, person_id: int, now: dt.datetime | None = None
                    ) -> Suspension | None:
    """The person's suspension in force, or None (also when the rule is off)."""
    rule = await catalog.no_show_rule(session)
    person = await session.get(PersonRow, person_id)
    if person is None:
        raise NotFound(entity="person")
    if rule is None:
        return None
    now = now or utcnow()
    rows = await session.execute(
        select(BookingRow.start_utc).join(PersonRow, PersonRow.id == BookingRow.person_id)
        .where(PersonRow.id == person_id, *_counted(now - rule.lookback)))
    missed = [r[0] for r in rows.all()]
    until = active_suspension(missed, rule, now)
    return None if until is None else Suspension(person_id, person.iin_masked, until,
                                                 len(missed))


async def in_force(session: AsyncSession, now: dt.datetime | None = None,
                   limit: int = 200) -> list[Suspension]:
    """Every suspension in force, latest end first: the missed visits of the lookback
    (a partial index holds only missed visits), decided per person."""
    rule = await catalog.no_show_rule(session)
    if rule is None:
        return []
    now = now or utcnow()
    rows = await session.execute(
        select(BookingRow.person_id, PersonRow.iin_masked, BookingRow.start_utc)
        .join(PersonRow, PersonRow.id == BookingRow.person_id)
        .where(*_counted(now - rule.lookback)))
    by_person: dict[int, tuple[str, list[dt.datetime]]] = {}
    for person_id, masked, start in rows.all():
        by_person.setdefault(person_id, (masked, []))[1].append(start)
    out = []
    for person_id, (masked, missed) in by_person.items():
        until = active_suspension(missed, rule, now)
        if until is not None:
            out.append(Suspension(person_id, masked, until, len(missed)))
    out.sort(key=lambda s: (s.until, s.person_id), reverse=True)
    return out[:limit]


async def person_of_digest(session: AsyncSession, iin_hash: str) -> int:
    found = await session.scalar(select(PersonRow.id).where(PersonRow.iin_hash == iin_hash))
    if found is None:
        raise NotFound(entity="person")
    return int(found)


async def lift(session: AsyncSession, person_id: int, actor: Actor, channel: Channel,
               now: dt.datetime | None = None) -> bool:
    """Forgives the person's missed visits so far; True if a suspension was in force.

    Audited with the staff member either way (a lift with nothing to lift changes
    nothing a person sees, but the mark moves)."""
    now = now or utcnow()
    before = await of_person(session, person_id, now)
    await session.execute(update(PersonRow).where(
        PersonRow.id == person_id,
        or_(PersonRow.no_show_cleared_at.is_(None), PersonRow.no_show_cleared_at < now))
        .values(no_show_cleared_at=now))
    await audit.record(session, actor, channel, "suspension.lift", "person", person_id,
                       {"was_until": before.until.isoformat() if before else None})
    return before is not None
