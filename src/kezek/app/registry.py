"""Registry use cases: search, read, create, update, import and export services."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit
from kezek.app import search as search_uc
from kezek.app.actor import Actor, Channel
from kezek.app.catalog import changed
from kezek.app.convert import service_from_row, service_values
from kezek.core.errors import Conflict, NotFound
from kezek.core.registry import Sector, Service, validate_service
from kezek.store.models import ServiceRow


async def search(
    session: AsyncSession, q: str | None = None, sector: str | None = None,
    include_inactive: bool = False, limit: int = 500,
) -> list[Service]:
    """Services for a citizen's words, best first (kezek.app.search); without words,
    the registry by code, read from the database (an export must not be a second stale)."""
    if sector:
        sector = Sector(sector).value
    if q and q.strip():
        return await search_uc.find(session, q, sector, include_inactive, limit)
    stmt = select(ServiceRow).order_by(ServiceRow.code)
    if sector:
        stmt = stmt.where(ServiceRow.sector == sector)
    if not include_inactive:
        stmt = stmt.where(ServiceRow.active.is_(True))
    rows = (await session.scalars(stmt.limit(limit))).all()
    return [service_from_row(r) for r in rows]


async def get(session: AsyncSession, code: str) -> Service:
    row = await session.get(ServiceRow, code.strip())
    if row is None:
        raise NotFound(entity="service")
    return service_from_row(row)


async def create(session: AsyncSession, service: Service, actor: Actor, channel: Channel
                 ) -> Service:
    validate_service(service)
    if await session.get(ServiceRow, service.code) is not None:
        raise Conflict(detail=f"service {service.code} exists")
    session.add(ServiceRow(**service_values(service)))
    await session.flush()
    await changed(session)
    await audit.record(session, actor, channel, "service.create", "service", service.code)
    return service


async def replace(session: AsyncSession, service: Service, actor: Actor, channel: Channel
                  ) -> Service:
    validate_service(service)
    row = await session.get(ServiceRow, service.code)
    if row is None:
        raise NotFound(entity="service")
    before = service_from_row(row)
    await session.execute(update(ServiceRow).where(ServiceRow.code == service.code)
                          .values(**service_values(service)))
    await changed(session)
    await audit.record(session, actor, channel, "service.update", "service", service.code,
                       {"changed": _changed(before, service)})
    return service


def _changed(a: Service, b: Service) -> list[str]:
    fields = ("names", "sector", "delivery", "specialised_only", "standard", "active")
    return [f for f in fields if getattr(a, f) != getattr(b, f)]


async def import_services(session: AsyncSession, services: Sequence[Service], actor: Actor,
                          channel: Channel) -> tuple[int, int]:
    """Creates new codes and updates existing ones; returns (created, updated)."""
    existing = {r.code: r for r in (await session.scalars(
        select(ServiceRow).where(ServiceRow.code.in_([s.code for s in services])))).all()}
    created = updated = 0
    for s in services:
        values = service_values(s)
        row = existing.get(s.code)
        if row is None:
            session.add(ServiceRow(**values))
            created += 1
        elif service_from_row(row) != s:
            for key, value in values.items():
                setattr(row, key, value)
            updated += 1
    await session.flush()
    await changed(session)
    await audit.record(session, actor, channel, "registry.import", "registry", "*",
                       {"created": created, "updated": updated})
    return created, updated


async def export(session: AsyncSession) -> list[Service]:
    return await search(session, include_inactive=True, limit=100_000)
