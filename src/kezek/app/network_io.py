"""Network import and export as one JSON document (the demo's format, documented in README).

An import upserts by slug: it is how an admin moves a whole network between deployments
or loads a region at once. A bad document is refused whole, naming the record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit, privilege_policy
from kezek.app.abuse import rule_store
from kezek.app.actor import Actor, Channel
from kezek.app.catalog import changed
from kezek.app.network import (
    _validate_center_values,
    network_policy,
    scope_columns,
    scope_json,
    set_network_policy,
)
from kezek.app.network_doc import CenterDoc, Names, NetworkDoc, PointDoc, parse_document
from kezek.core.errors import ValidationFailed
from kezek.core.regions import REGION_BY_CODE, REGIONS
from kezek.core.schedule import WeeklySchedule
from kezek.store.models import (
    CenterRow,
    CityRow,
    HolidayRow,
    RegionRow,
    SelfServicePointRow,
    WindowRow,
)


def _names(prefix: str, names: Names) -> dict[str, str]:
    return {f"{prefix}_{lang}": getattr(names, lang) for lang in ("kk", "ru", "en")}


async def ensure_regions(session: AsyncSession) -> None:
    have = set((await session.scalars(select(RegionRow.code))).all())
    for r in REGIONS:
        if r.code not in have:
            session.add(RegionRow(code=r.code, seat=r.seat, name_kk=r.names.kk,
                                  name_ru=r.names.ru, name_en=r.names.en))
    await session.flush()


async def import_network(session: AsyncSession, document: NetworkDoc | dict[str, Any],
                         actor: Actor, channel: Channel) -> dict[str, int]:
    """Upserts the document's records by slug, in the caller's one transaction.

    The shape is checked whole first (network_doc); a value the rules refuse names its
    record, and the caller's transaction is rolled back, so nothing of a bad document
    is kept.
    """
    doc = parse_document(document)
    await ensure_regions(session)
    if doc.privilege_policy is not None:  # the network's rule for rejected claims
        await privilege_policy.change(session, doc.privilege_policy, actor, channel)
    counts = {"cities": 0, "centers": 0, "windows": 0, "self_service_points": 0, "holidays": 0}
    if doc.policy is not None:  # the network's booking and release policy
        await set_network_policy(session, doc.policy, actor, channel)
    for c in doc.cities:
        if c.region not in REGION_BY_CODE:
            raise ValidationFailed(detail=f"city {c.slug}: unknown region")
        values = dict(region=c.region, kind=c.kind.value, **_names("name", c.names))
        await _upsert(session, await session.get(CityRow, c.slug), CityRow, c.slug, values)
        counts["cities"] += 1
    await session.flush()
    for center in doc.centers:
        await _import_center(session, center, counts)
    for p in doc.self_service_points:
        await _import_point(session, p)
        counts["self_service_points"] += 1
    for h in doc.holidays:
        if await session.get(HolidayRow, h.date) is None:
            session.add(HolidayRow(day=h.date, **_names("name", h.names)))
        counts["holidays"] += 1
    await session.flush()
    if "no_show_rule" in doc.model_fields_set:  # absent: left as it is; null: turned off
        await rule_store.store(session, rule_store.parse(doc.no_show_rule))
        counts["no_show_rule"] = 1
    await changed(session)
    await audit.record(session, actor, channel, "network.import", "network", "*", counts)
    return counts


async def _upsert(session: AsyncSession, row: Any, model: Any, slug: str,
                  values: dict[str, Any]) -> Any:
    """The row with these values: a new one added, or the found one changed in place."""
    if row is None:
        row = model(slug=slug, **values)
        session.add(row)
    else:
        for k, v in values.items():
            setattr(row, k, v)
    return row


async def _city_known(session: AsyncSession, slug: str, what: str) -> None:
    if await session.get(CityRow, slug) is None:
        raise ValidationFailed(detail=f"{what}: unknown city")


async def _import_point(session: AsyncSession, p: PointDoc) -> None:
    await _city_known(session, p.city, f"self-service point {p.slug}")
    try:
        hours = WeeklySchedule.from_dict(p.hours or {}).to_dict()
    except ValueError as exc:
        raise ValidationFailed(detail=f"self-service point {p.slug}: {exc}") from exc
    values = dict(city=p.city, lat=p.lat, lon=p.lon, hours=hours,
                  **_names("name", p.names), **_names("address", p.address))
    await _upsert(session, await session.scalar(select(SelfServicePointRow).where(
        SelfServicePointRow.slug == p.slug)), SelfServicePointRow, p.slug, values)


async def _import_center(session: AsyncSession, c: CenterDoc, counts: dict[str, int]
                         ) -> None:
    try:
        values = _validate_center_values({
            "city": c.city, "kind": c.kind, "format": c.format,
            **_names("name", c.names), **_names("address", c.address),
            "lat": c.lat, "lon": c.lon, "timezone": c.timezone,
            "occupancy_limit": c.occupancy_limit, "slot_capacity": c.slot_capacity,
            "horizon_days": c.horizon_days, "latest_booking": c.latest_booking,
            "slot_minutes": c.slot_minutes,
            "schedule": c.schedule or WeeklySchedule.standard().to_dict(),
            "policy": c.policy or {}, "floor": c.floor or {},
        })
        windows = [(w, scope_columns(w.scope_json())) for w in c.windows]
    except ValidationFailed as exc:
        reason = exc.params.get("detail", exc.code)
        raise ValidationFailed(detail=f"center {c.slug}: {reason}") from exc
    await _city_known(session, c.city, f"center {c.slug}")
    row = await _upsert(session, await session.scalar(select(CenterRow).where(
        CenterRow.slug == c.slug)), CenterRow, c.slug, values)
    await session.flush()
    counts["centers"] += 1
    existing = {w.number: w for w in (await session.scalars(
        select(WindowRow).where(WindowRow.center_id == row.id))).all()}
    for w, scope in windows:
        cols = dict(privilege=w.privilege, seats=w.seats, **scope)
        win = existing.get(w.number)
        if win is None:
            session.add(WindowRow(center_id=row.id, number=w.number, **cols))
        else:
            for k, v in cols.items():
                setattr(win, k, v)
        counts["windows"] += 1


async def export_network(session: AsyncSession) -> dict[str, Any]:
    def names(row: Any, prefix: str = "name") -> dict[str, str]:
        return {lang: getattr(row, f"{prefix}_{lang}") for lang in ("kk", "ru", "en")}

    cities = (await session.scalars(select(CityRow).order_by(CityRow.slug))).all()
    centers = (await session.scalars(select(CenterRow).order_by(CenterRow.slug))).all()
    windows = (await session.scalars(select(WindowRow).order_by(WindowRow.number))).all()
    by_center: dict[int, list[WindowRow]] = {}
    for w in windows:
        by_center.setdefault(w.center_id, []).append(w)
    ssp = (await session.scalars(select(SelfServicePointRow).order_by(
        SelfServicePointRow.slug))).all()
    hols = (await session.scalars(select(HolidayRow).order_by(HolidayRow.day))).all()
    privilege = await privilege_policy.current(session)
    return {
        "privilege_policy": privilege.to_dict(),
        "policy": (await network_policy(session)).to_dict(),
        "cities": [{"slug": c.slug, "region": c.region, "kind": c.kind, "names": names(c)}
                   for c in cities],
        "centers": [{
            "slug": c.slug, "names": names(c), "city": c.city, "kind": c.kind,
            "format": c.format, "address": names(c, "address"), "lat": c.lat, "lon": c.lon,
            "timezone": c.timezone, "occupancy_limit": c.occupancy_limit,
            "slot_capacity": c.slot_capacity,
            "horizon_days": c.horizon_days, "latest_booking": c.latest_booking,
            "slot_minutes": c.slot_minutes, "schedule": c.schedule, "policy": c.policy,
            "floor": c.floor,
            "windows": [{"number": w.number, "privilege": w.privilege, "scope": scope_json(w),
                         "seats": w.seats} for w in by_center.get(c.id, [])],
        } for c in centers],
        "self_service_points": [{
            "slug": p.slug, "city": p.city, "names": names(p), "address": names(p, "address"),
            "lat": p.lat, "lon": p.lon, "hours": p.hours} for p in ssp],
        "holidays": [{"date": h.day.isoformat(), "names": names(h)} for h in hols],
        "no_show_rule": rule.to_dict() if (rule := await rule_store.current(session)) else None,
    }
