"""Abuse rules, the pure part: the no-show suspension and how booking origins are grouped.

A person (an IIN) who books and does not come N times within M days may not book for K
days after the N-th such visit (`NoShowRule`). Whether someone is suspended is decided
here from the times of their missed visits; which visits those are is read from the
bookings by the application layer. The abuse view groups a day's bookings by where they
came from: the proven phone's digest, the client address, or the address's network.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kezek.core.errors import KezekError

# Booking statuses that mean "booked and did not come": called and never came to the
# window (`no_show`), or never checked in at all (`expired`, closed by the day's job).
MISSED_STATUSES = ("no_show", "expired")
MISSED_SQL = "status IN ('no_show', 'expired')"


class Suspended(KezekError):
    """Booking refused: the person missed too many booked visits. `until` is the local
    date the suspension ends on, `count` and `days` the rule that was broken."""

    code = "suspended"
    status = 403


class Grouping(StrEnum):
    PHONE = "phone"
    ADDRESS = "address"
    PREFIX = "prefix"


@dataclass(frozen=True, slots=True)
class NoShowRule:
    """`count` missed visits within `days` days suspend booking for `suspend_days`."""

    count: int
    days: int
    suspend_days: int

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NoShowRule:
        """The rule from its network setting; a bad one is refused (ValueError) whole."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown no_show_rule fields: {', '.join(sorted(unknown))}")
        missing = names - set(data)
        if missing:
            raise ValueError(f"no_show_rule needs {', '.join(sorted(missing))}")
        for name, low, high in (("count", 1, 50), ("days", 1, 365), ("suspend_days", 1, 365)):
            value = data[name]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise ValueError(f"no_show_rule.{name} must be a whole number from {low} "
                                 f"to {high}")
        return cls(count=data["count"], days=data["days"], suspend_days=data["suspend_days"])

    def to_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)

    @property
    def lookback(self) -> dt.timedelta:
        """How far back a missed visit can still matter: its window plus the suspension."""
        return dt.timedelta(days=self.days + self.suspend_days)


def suspension_end(missed: Iterable[dt.datetime], rule: NoShowRule) -> dt.datetime | None:
    """When the latest suspension these missed visits earn ends, or None if none does.

    Every run of `count` missed visits that fits within `days` days suspends from its
    last visit for `suspend_days` days; the answer is the latest such end, which the
    caller compares with now. Pure and order-free: the times may come in any order.
    """
    times = sorted(missed)
    window = dt.timedelta(days=rule.days)
    end: dt.datetime | None = None
    for i in range(rule.count - 1, len(times)):
        if times[i] - times[i - rule.count + 1] <= window:
            candidate = times[i] + dt.timedelta(days=rule.suspend_days)
            end = candidate if end is None or candidate > end else end
    return end


def active_suspension(missed: Iterable[dt.datetime], rule: NoShowRule | None,
                      now: dt.datetime) -> dt.datetime | None:
    """The end of the suspension in force now, or None (also when the rule is off)."""
    if rule is None:
        return None
    end = suspension_end(missed, rule)
    return end if end is not None and end > now else None


def mask_address(address: str) -> str:
    """An address for an export: the last IPv4 octet, or all past the /48, hidden."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "?"
    if ip.version == 4:
        return ".".join([*str(ip).split(".")[:3], "x"])
    return str(ipaddress.ip_network(f"{ip}/48", strict=False)).removesuffix("/48") + "x"


def short_digest(digest: str) -> str:
    """A phone digest as staff see it: enough to tell groups apart, not the whole hash."""
    return digest[:8]
