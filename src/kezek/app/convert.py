"""Rows to core objects and back: the only place that knows both shapes."""

from __future__ import annotations

import datetime as dt

from kezek.core.network import Center, CenterFormat, CenterKind, Window, WindowScope
from kezek.core.registry import Delivery, Names, Phrases, Sector, Service, Standard
from kezek.core.schedule import DayException, Hours, WeeklySchedule, parse_time
from kezek.core.text import fold
from kezek.store.models import CenterExceptionRow, CenterRow, ServiceRow, WindowRow


def names_of(row: object) -> Names:
    return Names(kk=getattr(row, "name_kk", ""), ru=getattr(row, "name_ru", ""),
                 en=getattr(row, "name_en", ""))


def service_from_row(row: ServiceRow) -> Service:
    return Service(
        code=row.code, names=names_of(row), sector=Sector(row.sector),
        delivery=Delivery(row.delivery), specialised_only=row.specialised_only,
        standard=Standard(row.slot_minutes, row.max_wait_minutes, row.max_service_minutes,
                          row.fee_mci, row.term_days),
        active=row.active, aliases=Phrases.from_dict(row.aliases or {}),
        documents=Phrases.from_dict(row.documents or {}),
    )


def service_values(s: Service) -> dict[str, object]:
    st = s.standard
    return dict(
        code=s.code, name_kk=s.names.kk, name_ru=s.names.ru, name_en=s.names.en,
        search_text=fold(" ".join((s.code, *s.names.all()))), sector=s.sector.value,
        delivery=s.delivery.value, specialised_only=s.specialised_only,
        slot_minutes=st.slot_minutes, max_wait_minutes=st.max_wait_minutes,
        max_service_minutes=st.max_service_minutes, fee_mci=st.fee_mci,
        term_days=st.term_days, active=s.active, aliases=s.aliases.as_dict(),
        documents=s.documents.as_dict(),
    )


def center_from_row(row: CenterRow) -> Center:
    return Center(
        id=row.id, slug=row.slug, names=names_of(row), city=row.city,
        kind=CenterKind(row.kind), format=CenterFormat(row.format), timezone=row.timezone,
        schedule=WeeklySchedule.from_dict(row.schedule), occupancy_limit=row.occupancy_limit,
        slot_capacity=row.slot_capacity,
        horizon_days=row.horizon_days, latest_booking=parse_time(row.latest_booking),
        slot_minutes=row.slot_minutes, active=row.active,
    )


def window_from_row(row: WindowRow) -> Window:
    return Window(
        id=row.id, number=row.number, privilege=row.privilege,
        scope=WindowScope(all=row.scope_all,
                          sectors=frozenset(Sector(s) for s in row.scope_sectors),
                          codes=frozenset(row.scope_codes)),
        seats=row.seats, active=row.active,
    )


def exception_from_row(row: CenterExceptionRow) -> DayException:
    hours = None
    if row.opens and row.closes:
        hours = Hours(parse_time(row.opens), parse_time(row.closes))
    return DayException(row.day, hours, row.note)


def iso_local(start_utc: dt.datetime, tz: str) -> str:
    from zoneinfo import ZoneInfo

    return start_utc.astimezone(ZoneInfo(tz)).isoformat()
