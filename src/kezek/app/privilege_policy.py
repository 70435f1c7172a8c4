"""Reading and changing the network's privilege rule (kept in `settings`, read through
the catalog snapshot so every worker applies the same rule)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit
from kezek.app.actor import Actor, Channel
from kezek.app.catalog import PRIVILEGE_KEY, changed
from kezek.core.errors import ValidationFailed
from kezek.core.privilege import PrivilegePolicy
from kezek.store.models import SettingRow


async def current(session: AsyncSession) -> PrivilegePolicy:
    row = await session.get(SettingRow, PRIVILEGE_KEY)
    try:
        return PrivilegePolicy().merged(row.value if row else None)
    except ValueError as exc:  # a hand-edited row: say so rather than fail later
        raise ValidationFailed(detail=str(exc)) from exc


async def change(session: AsyncSession, values: dict[str, Any], actor: Actor,
                 channel: Channel) -> PrivilegePolicy:
    """Replaces fields of the rule; refused whole if a field or value is unknown."""
    try:
        policy = (await current(session)).merged(values)
    except ValueError as exc:
        raise ValidationFailed(detail=str(exc)) from exc
    row = await session.get(SettingRow, PRIVILEGE_KEY)
    if row is None:
        session.add(SettingRow(key=PRIVILEGE_KEY, value=policy.to_dict()))
    else:
        row.value = policy.to_dict()
    await session.flush()
    await changed(session)
    await audit.record(session, actor, channel, "privilege.policy", "network", "privilege",
                       policy.to_dict())
    return policy
