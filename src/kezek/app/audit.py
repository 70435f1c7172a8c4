"""The audit log: each change to the registry, the network or a booking, with its actor."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app.actor import Actor, Channel
from kezek.store.models import AuditRow, utcnow

_INSERT = insert(AuditRow.__table__)


def row(actor: Actor, channel: Channel | str, action: str, entity: str, entity_id: object,
        details: dict[str, Any] | None = None) -> dict[str, Any]:
    """The audit row's values (also written by the one-statement booking, fastbook.py)."""
    return {"at": utcnow(), "actor_id": actor.user_id, "actor": actor.label,
            "channel": str(channel), "action": action, "entity": entity,
            "entity_id": str(entity_id), "details": details or {}}


async def record(
    session: AsyncSession, actor: Actor, channel: Channel | str, action: str, entity: str,
    entity_id: object, details: dict[str, Any] | None = None,
) -> None:
    conn = await session.connection()
    await conn.execute(_INSERT, row(actor, channel, action, entity, entity_id, details))


async def recent(session: AsyncSession, limit: int = 100, entity: str | None = None
                 ) -> list[AuditRow]:
    stmt = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if entity:
        stmt = stmt.where(AuditRow.entity == entity)
    return list((await session.scalars(stmt)).all())
