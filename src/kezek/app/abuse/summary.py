"""The abuse view: one day's bookings grouped by where they came from.

Bookings carry their origin in indexed columns (migration 0012): the proven phone's
digest, the client address and its /24 or /48 network, and the local day they were made
on. A group is every booking of that day with one value of the chosen column; the
(made_on, column) indexes make both the grouping and a group's drill-down range reads.
Waitlist holds are not bookings of the person and are left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app.booking import WAITLIST_HOLDS
from kezek.core.abuse import Grouping, short_digest
from kezek.store.models import BookingRow

COLUMNS: dict[Grouping, Any] = {
    Grouping.PHONE: BookingRow.origin_phone,
    Grouping.ADDRESS: BookingRow.origin_addr,
    Grouping.PREFIX: BookingRow.origin_net,
}
MAX_TOP, MAX_DETAIL = 100, 200


@dataclass(frozen=True, slots=True)
class Item:
    """One booking of a group, as staff see it: no IIN, no phone."""

    code: str
    center_id: int
    start_utc: dt.datetime
    status: str
    channel: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    label: str  # what the page shows: a phone digest shortened, an address as it is
    bookings: int
    active: int
    people: int
    centres: int
    items: list[Item]


def label_of(by: Grouping, key: str) -> str:
    return short_digest(key) if by is Grouping.PHONE else key


def _where(day: dt.date, column: Any, centers: Collection[int] | None
           ) -> list[ColumnElement[bool]]:
    out = [BookingRow.made_on == day, column.is_not(None),
           BookingRow.status.not_in(WAITLIST_HOLDS)]
    if centers is not None:
        out.append(BookingRow.center_id.in_(sorted(centers)))
    return out


async def summary(session: AsyncSession, day: dt.date, by: Grouping,
                  centers: Collection[int] | None = None, top: int = 20,
                  detail: int = 50) -> list[Group]:
    """The `top` groups of the day by number of bookings (then by key), each with its
    first `detail` bookings in the order they were made. `centers` limits the view to
    those centres (a manager's own); None is the whole network."""
    column = COLUMNS[by]
    top, detail = max(1, min(top, MAX_TOP)), max(0, min(detail, MAX_DETAIL))
    where = _where(day, column, centers)
    count = func.count()
    rows = (await session.execute(
        select(column, count,
               func.sum(case((BookingRow.status == "active", 1), else_=0)),
               func.count(func.distinct(BookingRow.person_id)),
               func.count(func.distinct(BookingRow.center_id)))
        .where(*where).group_by(column).order_by(count.desc(), column).limit(top))).all()
    if not rows:
        return []
    items: dict[str, list[Item]] = {r[0]: [] for r in rows}
    if detail:
        # Each group's first `detail` bookings numbered in the database: a hoard of
        # thousands is not read whole to show fifty of it.
        rank = func.row_number().over(partition_by=column,
                                      order_by=(BookingRow.created_at, BookingRow.id))
        ranked = (select(column.label("key"), BookingRow.code, BookingRow.center_id,
                         BookingRow.start_utc, BookingRow.status, BookingRow.channel,
                         BookingRow.created_at, rank.label("rank"))
                  .where(*where, column.in_(list(items))).subquery())
        for key, *values in (await session.execute(
                select(ranked.c.key, ranked.c.code, ranked.c.center_id, ranked.c.start_utc,
                       ranked.c.status, ranked.c.channel, ranked.c.created_at)
                .where(ranked.c.rank <= detail)
                .order_by(ranked.c.key, ranked.c.rank))).all():
            items[key].append(Item(*values))
    return [Group(key, label_of(by, key), int(n), int(active or 0), int(people),
                  int(centres), items[key])
            for key, n, active, people, centres in rows]


async def members(session: AsyncSession, day: dt.date, by: Grouping, key: str,
                  centers: Collection[int] | None) -> list[BookingRow]:
    """Every booking of one group (for a bulk cancel), locked, in the order made."""
    column = COLUMNS[by]
    stmt = (select(BookingRow).where(*_where(day, column, centers), column == key)
            .order_by(BookingRow.created_at, BookingRow.id).with_for_update())
    return list((await session.scalars(stmt)).all())
