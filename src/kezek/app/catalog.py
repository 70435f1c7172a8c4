"""A per-process snapshot of the registry and the network, checked on every use.

Booking and slot listing need the service, the centre, its windows, exceptions,
holidays and policy: six queries that rarely change. Every change to the registry or
the network writes a new random `catalog_version` in the same transaction. A worker
re-reads that one value at most once per RECHECK_SECONDS and reloads when it moved;
a change committed through this worker is seen by its next request at once, and
through another worker within RECHECK_SECONDS. Seats and quotas never depend on the
snapshot's freshness: the database decides those.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
import weakref
from dataclasses import dataclass, field

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek import clock
from kezek.app.convert import (
    center_from_row,
    exception_from_row,
    names_of,
    service_from_row,
    window_from_row,
)
from kezek.core.abuse import NoShowRule
from kezek.core.errors import NotFound
from kezek.core.floor import FloorRules
from kezek.core.identity import IdentityPolicy
from kezek.core.network import Center, Window
from kezek.core.policy import BookingPolicy
from kezek.core.privilege import PrivilegePolicy
from kezek.core.registry import Names, Service
from kezek.core.schedule import DayException
from kezek.core.slots import slots_needed
from kezek.store.models import (
    CenterExceptionRow,
    CenterRow,
    HolidayRow,
    LifeSituationRow,
    ServiceRow,
    SettingRow,
    WindowRow,
)

VERSION_KEY = "catalog_version"
POLICY_KEY = "booking_policy"
IDENTITY_KEY = "identity_policy"
PRIVILEGE_KEY = "privilege_policy"
NO_SHOW_KEY = "no_show_rule"  # kezek.app.abuse.rule_store; off when absent


@dataclass(frozen=True, slots=True)
class CenterContext:
    """What booking and slot rules need to know about one centre."""

    center: Center
    windows: list[Window]
    exceptions: dict[dt.date, DayException]
    holidays: frozenset[dt.date]
    policy: BookingPolicy
    floor: FloorRules
    # The longest block any service of the registry takes on this centre's grid: a
    # held block that overlaps a time started less than this before it, which lets the
    # seat reads bound their index range from below (see `longest_block`).
    longest_block: dt.timedelta = dt.timedelta(0)


@dataclass(frozen=True, slots=True)
class Snapshot:
    version: str | None
    services: dict[str, Service]
    centers: dict[int, CenterContext]
    identity: IdentityPolicy = field(default_factory=IdentityPolicy)
    # What a privilege claim rejected at the door does (core.privilege).
    privilege: PrivilegePolicy = field(default_factory=PrivilegePolicy)
    no_show: NoShowRule | None = None
    # Registry subsections under their citizen-facing names, by four-digit code.
    situations: dict[str, Names] = field(default_factory=dict)


_VERSION = select(SettingRow.__table__.c.value).where(SettingRow.__table__.c.key == VERSION_KEY)
_snapshots: weakref.WeakKeyDictionary[object, Snapshot] = weakref.WeakKeyDictionary()
_checked: weakref.WeakKeyDictionary[object, float] = weakref.WeakKeyDictionary()
RECHECK_SECONDS = 1.0


async def changed(session: AsyncSession) -> None:
    """Marks the catalog changed; call in the transaction that changes it."""
    row = await session.get(SettingRow, VERSION_KEY)
    token = {"v": uuid.uuid4().hex}
    session.info.pop("catalog", None)
    engine = session.get_bind()
    event.listen(session.sync_session, "after_commit",
                 lambda _s: _checked.pop(engine, None), once=True)
    if row is None:
        session.add(SettingRow(key=VERSION_KEY, value=token))
    else:
        row.value = token
    await session.flush()


async def snapshot(session: AsyncSession) -> Snapshot:
    """The current snapshot for this database, reloaded if the version moved.

    Checked once per transaction: a transaction sees one catalog throughout. A second
    use in the same transaction (a booking asks for the service, then the centre, then
    the route for the centre's timezone) is a dictionary lookup: no connection checkout.
    A snapshot checked less than RECHECK_SECONDS ago is used without touching the
    session's connection, so a session that has not begun a transaction still has none
    (the one-statement booking then runs in autocommit, see `seats.first_try`). Outside
    a transaction nothing is memoised: each use checks the freshness again, which costs
    no I/O while the snapshot is fresh.
    """
    tx = session.sync_session.get_transaction()
    seen = session.info.get("catalog")
    if seen is not None and tx is not None and seen[0] is tx:
        return seen[1]  # type: ignore[no-any-return]
    engine = session.get_bind()
    cached = _snapshots.get(engine)
    now = time.monotonic()
    if cached is None or now - _checked.get(engine, -RECHECK_SECONDS) >= RECHECK_SECONDS:
        conn = await session.connection()
        tx = session.sync_session.get_transaction()
        version_row = (await conn.execute(_VERSION)).scalar_one_or_none()
        version = version_row.get("v") if version_row else None
        if cached is None or version is None or cached.version != version:
            cached = await _load(session, version)
            _snapshots[engine] = cached
        if version is not None:
            _checked[engine] = now
    session.info["catalog"] = (tx, cached)
    return cached


async def _load(session: AsyncSession, version: str | None) -> Snapshot:
    since = clock.now().date() - dt.timedelta(days=2)
    services = {r.code: service_from_row(r) for r in (await session.scalars(
        select(ServiceRow))).all()}
    policy_row = await session.get(SettingRow, POLICY_KEY)
    network_policy = BookingPolicy().merged(policy_row.value if policy_row else None)
    holidays = frozenset((await session.scalars(select(HolidayRow.day).where(
        HolidayRow.day >= since))).all())
    windows: dict[int, list[Window]] = {}
    for w in (await session.scalars(select(WindowRow).order_by(WindowRow.number))).all():
        windows.setdefault(w.center_id, []).append(window_from_row(w))
    exceptions: dict[int, dict[dt.date, DayException]] = {}
    for e in (await session.scalars(select(CenterExceptionRow).where(
            CenterExceptionRow.day >= since))).all():
        exceptions.setdefault(e.center_id, {})[e.day] = exception_from_row(e)
    centers = {}
    longest = max((s.standard.slot_minutes for s in services.values()), default=0)
    for row in (await session.scalars(select(CenterRow))).all():
        c = center_from_row(row)
        centers[row.id] = CenterContext(
            center=c, windows=windows.get(row.id, []), longest_block=longest_block(c, longest),
            exceptions=exceptions.get(row.id, {}), holidays=holidays,
            policy=network_policy.merged(row.policy or None),
            floor=FloorRules().merged(row.floor or None))
    identity_row = await session.get(SettingRow, IDENTITY_KEY)
    identity = IdentityPolicy().merged(identity_row.value if identity_row else None)
    privilege_row = await session.get(SettingRow, PRIVILEGE_KEY)
    privilege = PrivilegePolicy().merged(privilege_row.value if privilege_row else None)
    no_show_row = await session.get(SettingRow, NO_SHOW_KEY)
    no_show = NoShowRule.from_dict(no_show_row.value) if no_show_row else None
    situations = {r.code: names_of(r) for r in (await session.scalars(
        select(LifeSituationRow))).all()}
    return Snapshot(version, services, centers, identity, privilege, no_show, situations)


def longest_block(center: Center, longest_standard: int) -> dt.timedelta:
    """The longest block a booking made under this catalog can hold at the centre.

    A block made earlier under a longer standard or a coarser grid can be longer; the
    database still refuses any overlap with it, so a seat read bounded by this figure
    may at worst offer a seat that the insert then finds taken.
    """
    blocks = max(1, slots_needed(center, longest_standard)) if longest_standard else 1
    return dt.timedelta(minutes=center.slot_minutes * blocks)


async def service(session: AsyncSession, code: str) -> Service:
    found = (await snapshot(session)).services.get(code.strip())
    if found is None:
        raise NotFound(entity="service")
    return found


async def identity_policy(session: AsyncSession) -> IdentityPolicy:
    """The network's identity rules (`identity: otp | none` and the code's limits)."""
    return (await snapshot(session)).identity


async def no_show_rule(session: AsyncSession) -> NoShowRule | None:
    """The network's no-show suspension rule, None when it is off."""
    return (await snapshot(session)).no_show


async def center(session: AsyncSession, center_id: int) -> CenterContext:
    found = (await snapshot(session)).centers.get(center_id)
    if found is None:
        raise NotFound(entity="center")
    return found
