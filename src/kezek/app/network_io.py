"""Network import and export as one JSON document (the demo's format, documented in README).

An import upserts by slug: it is how an admin moves a whole network between deployments
or loads a region at once. A bad document is refused whole, naming the record.
"""

from __future__ import annotations

import datetime as dt
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
from kezek.core.errors import ValidationFailed
from kezek.core.network import CityKind
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


def _names(prefix: str, data: dict[str, Any] | None) -> dict[str, str]:
    data = data or {}
    return {f"{prefix}_{lang}": str(data.get(lang, "")) for lang in ("kk", "ru", "en")}


async def ensure_regions(session: AsyncSession) -> None:
    have = set((await session.scalars(select(RegionRow.code))).all())
    for r in REGIONS:
        if r.code not in have:
            session.add(RegionRow(code=r.code, seat=r.seat, name_kk=r.names.kk,
                                  name_ru=r.names.ru, name_en=r.names.en))
    await session.flush()


async def import_network(session: AsyncSession, doc: dict[str, Any], actor: Actor,
                         channel: Channel) -> dict[str, int]:
    await ensure_regions(session)
    if "privilege_policy" in doc:  # the network's rule for rejected privilege claims
        if not isinstance(doc["privilege_policy"], dict):
            raise ValidationFailed(detail="privilege_policy: an object")
        await privilege_policy.change(session, doc["privilege_policy"], actor, channel)
    counts = {"cities": 0, "centers": 0, "windows": 0, "self_service_points": 0, "holidays": 0}
    if doc.get("policy") is not None:  # the network's booking and release policy
        if not isinstance(doc["policy"], dict):
            raise ValidationFailed(detail="policy: an object")
        await set_network_policy(session, doc["policy"], actor, channel)
    for c in doc.get("cities", []):
        if c.get("region") not in REGION_BY_CODE:
            raise ValidationFailed(detail=f"city {c.get('slug')}: unknown region")
        row = await session.get(CityRow, c["slug"])
        values = dict(region=c["region"], kind=CityKind(c.get("kind", "city")).value,
                      **_names("name", c.get("names")))
        if row is None:
            session.add(CityRow(slug=c["slug"], **values))
        else:
            for k, v in values.items():
                setattr(row, k, v)
        counts["cities"] += 1
    await session.flush()
    for c in doc.get("centers", []):
        await _import_center(session, c, counts)
    for p in doc.get("self_service_points", []):
        row = await session.scalar(select(SelfServicePointRow).where(
            SelfServicePointRow.slug == p["slug"]))
        values = dict(city=p["city"], lat=p.get("lat"), lon=p.get("lon"),
                      hours=WeeklySchedule.from_dict(p.get("hours") or {}).to_dict(),
                      **_names("name", p.get("names")), **_names("address", p.get("address")))
        if row is None:
            session.add(SelfServicePointRow(slug=p["slug"], **values))
        else:
            for k, v in values.items():
                setattr(row, k, v)
        counts["self_service_points"] += 1
    for h in doc.get("holidays", []):
        day = dt.date.fromisoformat(h["date"])
        holiday = await session.get(HolidayRow, day)
        if holiday is None:
            session.add(HolidayRow(day=day, **_names("name", h.get("names"))))
        counts["holidays"] += 1
    await session.flush()
    if "no_show_rule" in doc:  # absent: left as it is; null: turned off
        await rule_store.store(session, rule_store.parse(doc["no_show_rule"]))
        counts["no_show_rule"] = 1
    await changed(session)
    await audit.record(session, actor, channel, "network.import", "network", "*", counts)
    return counts


async def _import_center(session: AsyncSession, c: dict[str, Any], counts: dict[str, int]
                         ) -> None:
    try:
        values = _validate_center_values({
            "city": c["city"], "kind": c["kind"], "format": c["format"],
            **_names("name", c.get("names")), **_names("address", c.get("address")),
            "lat": c.get("lat"), "lon": c.get("lon"),
            "timezone": c.get("timezone", "Asia/Almaty"),
            "occupancy_limit": c.get("occupancy_limit"),
            "slot_capacity": c.get("slot_capacity"),
            "horizon_days": c.get("horizon_days", 10),
            "latest_booking": c.get("latest_booking", "17:30"),
            "slot_minutes": c.get("slot_minutes", 15),
            "schedule": c.get("schedule") or WeeklySchedule.standard().to_dict(),
            "policy": c.get("policy") or {},
            "floor": c.get("floor") or {},
        })
    except (KeyError, ValidationFailed) as exc:
        raise ValidationFailed(detail=f"center {c.get('slug')}: {exc}") from exc
    if await session.get(CityRow, values["city"]) is None:
        raise ValidationFailed(detail=f"center {c.get('slug')}: unknown city")
    row = await session.scalar(select(CenterRow).where(CenterRow.slug == c["slug"]))
    if row is None:
        row = CenterRow(slug=c["slug"], **values)
        session.add(row)
    else:
        for k, v in values.items():
            setattr(row, k, v)
    await session.flush()
    counts["centers"] += 1
    existing = {w.number: w for w in (await session.scalars(
        select(WindowRow).where(WindowRow.center_id == row.id))).all()}
    for w in c.get("windows", []):
        cols = dict(privilege=bool(w.get("privilege", False)), seats=int(w.get("seats", 1)),
                    **scope_columns(w.get("scope", "all")))
        win = existing.get(int(w["number"]))
        if win is None:
            session.add(WindowRow(center_id=row.id, number=int(w["number"]), **cols))
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
