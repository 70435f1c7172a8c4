"""Reading and changing the network's identity policy (kept in `settings`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit
from kezek.app.actor import Actor, Channel
from kezek.app.catalog import IDENTITY_KEY, changed
from kezek.core.errors import ValidationFailed
from kezek.core.identity import IdentityPolicy
from kezek.store.models import SettingRow


async def current(session: AsyncSession) -> IdentityPolicy:
    row = await session.get(SettingRow, IDENTITY_KEY)
    return IdentityPolicy().merged(row.value if row else None)


async def change(session: AsyncSession, values: dict[str, Any], actor: Actor,
                 channel: Channel) -> IdentityPolicy:
    """Replaces fields of the policy; every worker sees it through the catalog version."""
    try:
        policy = (await current(session)).merged(values)
    except ValueError as exc:
        raise ValidationFailed(detail=str(exc)) from exc
    row = await session.get(SettingRow, IDENTITY_KEY)
    if row is None:
        session.add(SettingRow(key=IDENTITY_KEY, value=policy.to_dict()))
    else:
        row.value = policy.to_dict()
    await session.flush()
    await changed(session)
    await audit.record(session, actor, channel, "identity.policy", "network", "identity",
                       policy.to_dict())
    return policy
