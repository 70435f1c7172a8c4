"""Who is acting and through which channel: every change is attributed to both."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Channel(StrEnum):
    WEB = "web"
    BOT = "bot"
    CALL_CENTRE = "call_centre"
    DOOR = "door"
    API = "api"
    CLI = "cli"


BOOKING_CHANNELS = (Channel.WEB, Channel.BOT, Channel.CALL_CENTRE, Channel.DOOR)


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    OPERATOR = "operator"
    DOOR = "door"
    CALL_CENTRE = "call_centre"
    ANALYST = "analyst"


@dataclass(frozen=True, slots=True)
class Actor:
    label: str
    user_id: int | None = None
    role: Role | None = None
    centers: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return self.role is not None

    def can_manage_center(self, center_id: int) -> bool:
        return self.role is Role.ADMIN or (
            self.role is Role.MANAGER and center_id in self.centers)


CITIZEN = Actor("citizen")
SYSTEM = Actor("system")
