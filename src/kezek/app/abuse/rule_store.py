"""Reading and changing the network's no-show rule (kept in `settings`, off when absent).

Every worker sees a change through the catalog version, as with the booking and the
identity policies.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit
from kezek.app.actor import Actor, Channel
from kezek.app.catalog import NO_SHOW_KEY, changed
from kezek.core.abuse import NoShowRule
from kezek.core.errors import ValidationFailed
from kezek.store.models import SettingRow


async def current(session: AsyncSession) -> NoShowRule | None:
    row = await session.get(SettingRow, NO_SHOW_KEY)
    return NoShowRule.from_dict(row.value) if row else None


def parse(values: Any) -> NoShowRule | None:
    """A rule from a request or an import: an object with the three fields, or null (off)."""
    if values is None:
        return None
    if not isinstance(values, dict):
        raise ValidationFailed(detail="no_show_rule: an object with count, days, "
                                      "suspend_days, or null")
    try:
        return NoShowRule.from_dict(values)
    except ValueError as exc:
        raise ValidationFailed(detail=str(exc)) from exc


async def store(session: AsyncSession, rule: NoShowRule | None) -> None:
    """Writes the rule (None deletes it: the rule is off) and marks the catalog changed."""
    row = await session.get(SettingRow, NO_SHOW_KEY)
    if rule is None:
        if row is not None:
            await session.delete(row)
    elif row is None:
        session.add(SettingRow(key=NO_SHOW_KEY, value=rule.to_dict()))
    else:
        row.value = rule.to_dict()
    await session.flush()
    await changed(session)


async def change(session: AsyncSession, values: Any, actor: Actor, channel: Channel
                 ) -> NoShowRule | None:
    rule = parse(values)
    await store(session, rule)
    await audit.record(session, actor, channel, "abuse.no_show_rule", "network",
                       "no_show_rule", {"rule": rule.to_dict() if rule else None})
    return rule
