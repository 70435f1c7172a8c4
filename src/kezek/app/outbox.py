"""Live messages for boards and consoles, sent only after the transaction commits.

Application services call `queue_message(session, topic, message)`; the edge publishes
what was queued once the commit succeeded (`api.deps.tx`), so no screen ever shows a
change that was rolled back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

_KEY = "live_messages"


def center_topic(center_id: int) -> str:
    return f"center:{center_id}"


def queue_message(session: AsyncSession, topic: str, message: dict[str, Any]) -> None:
    session.info.setdefault(_KEY, []).append((topic, message))


def take_messages(session: AsyncSession) -> list[tuple[str, dict[str, Any]]]:
    messages: list[tuple[str, dict[str, Any]]] = session.info.pop(_KEY, [])
    return messages
