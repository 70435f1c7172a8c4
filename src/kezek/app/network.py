"""Network use cases: centres, their windows, hours, exceptions, holidays and policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit
from kezek.app.actor import Actor, Channel
from kezek.app.catalog import POLICY_KEY, changed
from kezek.core.errors import Forbidden, NotFound, ValidationFailed
from kezek.core.floor import FloorRules
from kezek.core.network import CenterFormat, CenterKind
from kezek.core.policy import BookingPolicy, validate_policy
from kezek.core.registry import Sector
from kezek.core.schedule import WeeklySchedule, parse_time
from kezek.store.models import (
    CenterExceptionRow,
    CenterRow,
    CityRow,
    HolidayRow,
    RegionRow,
    SelfServicePointRow,
    SettingRow,
    WindowRow,
)


async def network_policy(session: AsyncSession) -> BookingPolicy:
    row = await session.get(SettingRow, POLICY_KEY)
    return BookingPolicy().merged(row.value if row else None)


async def set_network_policy(session: AsyncSession, values: dict[str, Any], actor: Actor,
                             channel: Channel) -> BookingPolicy:
    policy = validate_policy(BookingPolicy().merged(values))
    row = await session.get(SettingRow, POLICY_KEY)
    if row is None:
        session.add(SettingRow(key=POLICY_KEY, value=policy.to_dict()))
    else:
        row.value = policy.to_dict()
    await session.flush()
    await changed(session)
    await audit.record(session, actor, channel, "policy.update", "network", "policy",
                       policy.to_dict())
    return policy


async def center_row(session: AsyncSession, center_id: int) -> CenterRow:
    row = await session.get(CenterRow, center_id)
    if row is None:
        raise NotFound(entity="center")
    return row


async def list_centers(
    session: AsyncSession, region: str | None = None, city: str | None = None,
    kind: str | None = None, include_inactive: bool = False,
) -> list[tuple[CenterRow, CityRow]]:
    stmt = (select(CenterRow, CityRow).join(CityRow, CityRow.slug == CenterRow.city)
            .order_by(CityRow.slug, CenterRow.slug))
    if region:
        stmt = stmt.where(CityRow.region == region.upper())
    if city:
        stmt = stmt.where(CenterRow.city == city)
    if kind:
        stmt = stmt.where(CenterRow.kind == CenterKind(kind).value)
    if not include_inactive:
        stmt = stmt.where(CenterRow.active.is_(True))
    return [(c, ci) for c, ci in (await session.execute(stmt)).all()]


async def windows_of(session: AsyncSession, center_id: int) -> list[WindowRow]:
    return list((await session.scalars(select(WindowRow).where(
        WindowRow.center_id == center_id).order_by(WindowRow.number))).all())


def _check_manage(actor: Actor, center_id: int | None) -> None:
    if center_id is None:
        if actor.role is None or actor.role.value != "admin":
            raise Forbidden()
    elif not actor.can_manage_center(center_id):
        raise Forbidden()


CENTER_FIELDS = {
    "name_kk", "name_ru", "name_en", "city", "kind", "format", "address_kk", "address_ru",
    "address_en", "lat", "lon", "timezone", "occupancy_limit", "slot_capacity", "horizon_days",
    "latest_booking", "slot_minutes", "schedule", "policy", "floor", "active",
}


def _validate_center_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - CENTER_FIELDS - {"slug"}
    if unknown:
        raise ValidationFailed(detail=f"unknown fields: {sorted(unknown)}")
    try:
        if "kind" in values:
            values["kind"] = CenterKind(values["kind"]).value
        if "format" in values:
            values["format"] = CenterFormat(values["format"]).value
        if "schedule" in values:
            values["schedule"] = WeeklySchedule.from_dict(values["schedule"]).to_dict()
        if "latest_booking" in values:
            values["latest_booking"] = parse_time(values["latest_booking"]).strftime("%H:%M")
        if "policy" in values:
            BookingPolicy().merged(values["policy"] or None)
        if "floor" in values:
            values["floor"] = values["floor"] or {}
            FloorRules().merged(values["floor"])
        if "timezone" in values:
            from zoneinfo import ZoneInfo

            ZoneInfo(values["timezone"])
        for key in ("horizon_days", "slot_minutes"):
            if key in values and not 1 <= int(values[key]) <= 366:
                raise ValueError(f"{key} out of range")
        for key in ("occupancy_limit", "slot_capacity"):
            if values.get(key) is not None and int(values[key]) < 1:
                raise ValueError(f"{key} must be positive")
    except ValidationFailed:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationFailed(detail=str(exc)) from exc
    return values


async def create_center(session: AsyncSession, values: dict[str, Any], actor: Actor,
                        channel: Channel) -> CenterRow:
    _check_manage(actor, None)
    values = _validate_center_values(dict(values))
    values.setdefault("schedule", WeeklySchedule.standard().to_dict())
    if await session.get(CityRow, values.get("city", "")) is None:
        raise ValidationFailed(detail="unknown city")
    if (await session.scalar(select(CenterRow.id).where(CenterRow.slug == values["slug"]))):
        raise ValidationFailed(detail="slug already used")
    row = CenterRow(**values)
    session.add(row)
    await session.flush()
    await changed(session)
    await audit.record(session, actor, channel, "center.create", "center", row.id,
                       {"slug": row.slug})
    return row


async def update_center(session: AsyncSession, center_id: int, values: dict[str, Any],
                        actor: Actor, channel: Channel) -> CenterRow:
    _check_manage(actor, center_id)
    row = await center_row(session, center_id)
    values = _validate_center_values(dict(values))
    values.pop("slug", None)
    if "city" in values and await session.get(CityRow, values["city"]) is None:
        raise ValidationFailed(detail="unknown city")
    await _apply(session, row, values, actor, channel, "center.update", "center", center_id)
    return row


async def _apply(session: AsyncSession, row: object, values: dict[str, Any], actor: Actor,
                 channel: Channel, action: str, entity: str, entity_id: int) -> None:
    """Sets validated fields on a row, marks the catalog changed and audits which fields."""
    for key, value in values.items():
        setattr(row, key, value)
    await session.flush()
    await changed(session)
    await audit.record(session, actor, channel, action, entity, entity_id,
                       {"fields": sorted(values)})


def _window_values(values: dict[str, Any]) -> dict[str, Any]:
    allowed = {"number", "privilege", "scope", "seats", "active"}
    unknown = set(values) - allowed
    if unknown:
        raise ValidationFailed(detail=f"unknown fields: {sorted(unknown)}")
    out: dict[str, Any] = {k: v for k, v in values.items() if k != "scope"}
    if "scope" in values:
        out.update(scope_columns(values["scope"]))
    if "seats" in out and not 1 <= int(out["seats"]) <= 50:
        raise ValidationFailed(detail="seats must be 1..50")
    if "number" in out and not 1 <= int(out["number"]) <= 999:
        raise ValidationFailed(detail="number must be 1..999")
    return out


def scope_columns(scope: Any) -> dict[str, Any]:
    """A window scope as given in JSON ("all", {"sectors": [...]}, {"codes": [...]})."""
    if scope in (None, "all"):
        return {"scope_all": True, "scope_sectors": [], "scope_codes": []}
    if not isinstance(scope, dict):
        raise ValidationFailed(detail="scope must be 'all' or an object")
    try:
        sectors = [Sector(s).value for s in scope.get("sectors", [])]
    except ValueError as exc:
        raise ValidationFailed(detail=str(exc)) from exc
    codes = [str(c) for c in scope.get("codes", [])]
    if not sectors and not codes:
        raise ValidationFailed(detail="scope needs sectors or codes")
    return {"scope_all": False, "scope_sectors": sectors, "scope_codes": codes}


def scope_json(row: WindowRow) -> Any:
    if row.scope_all:
        return "all"
    out: dict[str, list[str]] = {}
    if row.scope_sectors:
        out["sectors"] = list(row.scope_sectors)
    if row.scope_codes:
        out["codes"] = list(row.scope_codes)
    return out


async def add_window(session: AsyncSession, center_id: int, values: dict[str, Any],
                     actor: Actor, channel: Channel) -> WindowRow:
    _check_manage(actor, center_id)
    await center_row(session, center_id)
    cols = _window_values(values)
    if "number" not in cols:
        raise ValidationFailed(detail="number is required")
    if await session.scalar(select(WindowRow.id).where(
            WindowRow.center_id == center_id, WindowRow.number == cols["number"])):
        raise ValidationFailed(detail="window number already used")
    row = WindowRow(center_id=center_id, **cols)
    session.add(row)
    await session.flush()
    await changed(session)
    await audit.record(session, actor, channel, "window.create", "window", row.id,
                       {"center": center_id, "number": row.number})
    return row


async def update_window(session: AsyncSession, window_id: int, values: dict[str, Any],
                        actor: Actor, channel: Channel) -> WindowRow:
    row = await session.get(WindowRow, window_id)
    if row is None:
        raise NotFound(entity="window")
    _check_manage(actor, row.center_id)
    cols = _window_values(values)
    if "number" in cols and cols["number"] != row.number and await session.scalar(
            select(WindowRow.id).where(WindowRow.center_id == row.center_id,
                                       WindowRow.number == cols["number"])):
        raise ValidationFailed(detail="window number already used")
    await _apply(session, row, cols, actor, channel, "window.update", "window", window_id)
    return row


async def set_exception(session: AsyncSession, center_id: int, day: dt.date,
                        opens: str | None, closes: str | None, note: str, actor: Actor,
                        channel: Channel) -> CenterExceptionRow:
    """Closes a centre on a date (no hours) or gives it different hours that day."""
    _check_manage(actor, center_id)
    await center_row(session, center_id)
    if (opens is None) != (closes is None):
        raise ValidationFailed(detail="give both opens and closes, or neither")
    if opens and closes and parse_time(closes) <= parse_time(opens):
        raise ValidationFailed(detail="closes must be after opens")
    await session.execute(delete(CenterExceptionRow).where(
        CenterExceptionRow.center_id == center_id, CenterExceptionRow.day == day))
    row = CenterExceptionRow(center_id=center_id, day=day, opens=opens, closes=closes, note=note)
    session.add(row)
    await session.flush()
    await changed(session)
    await audit.record(session, actor, channel, "center.exception", "center", center_id,
                       {"day": day.isoformat(), "opens": opens, "closes": closes})
    return row


async def add_holiday(session: AsyncSession, day: dt.date, names: dict[str, str],
                      actor: Actor, channel: Channel) -> HolidayRow:
    _check_manage(actor, None)
    row = await session.get(HolidayRow, day)
    if row is None:
        row = HolidayRow(day=day)
        session.add(row)
    row.name_kk, row.name_ru, row.name_en = (names.get("kk", ""), names.get("ru", ""),
                                             names.get("en", ""))
    await session.flush()
    await changed(session)
    await audit.record(session, actor, channel, "holiday.set", "holiday", day.isoformat())
    return row


async def holidays(session: AsyncSession) -> list[HolidayRow]:
    return list((await session.scalars(select(HolidayRow).order_by(HolidayRow.day))).all())


async def regions(session: AsyncSession) -> list[RegionRow]:
    return list((await session.scalars(select(RegionRow).order_by(RegionRow.code))).all())


async def cities(session: AsyncSession, region: str | None = None) -> list[CityRow]:
    stmt = select(CityRow).order_by(CityRow.slug)
    if region:
        stmt = stmt.where(CityRow.region == region.upper())
    return list((await session.scalars(stmt)).all())


async def self_service_points(session: AsyncSession, city: str | None = None
                              ) -> list[SelfServicePointRow]:
    stmt = select(SelfServicePointRow).order_by(SelfServicePointRow.slug)
    if city:
        stmt = stmt.where(SelfServicePointRow.city == city)
    return list((await session.scalars(stmt)).all())
