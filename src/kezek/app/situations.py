"""Life situations: the registry's subsections under names a citizen recognises.

The registry classifies a service as section -> subsection -> number in its code
(05 vehicles, 0502 registering a vehicle, 05020001 first registration); a person who
does not know a service's name finds it by what happened to them ("a child was born",
"I bought a car"). Names live in the registry and travel with its import and export.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit, catalog
from kezek.app.actor import Actor, Channel
from kezek.app.convert import names_of
from kezek.core.registry import Names, Service
from kezek.store.models import LifeSituationRow


@dataclass(frozen=True, slots=True)
class Situation:
    code: str
    names: Names
    services: tuple[Service, ...]

    @property
    def sector(self) -> str:
        return self.services[0].sector.value if self.services else ""


async def browse(session: AsyncSession) -> list[Situation]:
    """Every named life situation with the active services a centre can book in it."""
    snap = await catalog.snapshot(session)
    grouped: dict[str, list[Service]] = {}
    for service in sorted(snap.services.values(), key=lambda s: s.code):
        if service.active:
            grouped.setdefault(service.situation, []).append(service)
    return [Situation(code, names, tuple(grouped[code]))
            for code, names in sorted(snap.situations.items()) if grouped.get(code)]


async def one(session: AsyncSession, code: str) -> Situation | None:
    return next((s for s in await browse(session) if s.code == code), None)


async def replace_all(session: AsyncSession, situations: Mapping[str, Names], actor: Actor,
                      channel: Channel) -> int:
    """Sets the names of the situations a registry file carries; others are kept."""
    if not situations:
        return 0
    await session.execute(delete(LifeSituationRow).where(
        LifeSituationRow.code.in_(list(situations))))
    session.add_all(LifeSituationRow(code=code, name_kk=n.kk, name_ru=n.ru, name_en=n.en)
                    for code, n in situations.items())
    await session.flush()
    await catalog.changed(session)
    await audit.record(session, actor, channel, "registry.situations", "registry", "*",
                       {"situations": len(situations)})
    return len(situations)


async def export(session: AsyncSession) -> dict[str, Names]:
    rows = (await session.scalars(select(LifeSituationRow).order_by(
        LifeSituationRow.code))).all()
    return {r.code: names_of(r) for r in rows}
