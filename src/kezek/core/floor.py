"""The live queue of a centre's floor: who is served next, and when a call becomes a no-show.

Pure rules over snapshots of waiting tickets. The database applies the choice with a
conditional update (status still 'waiting'), so two operators pressing "call next" at
once never get the same person; this module only decides who should come next.

Order, for a window that may serve the ticket's services:
1. a privilege window takes privileged people first (and others only when none wait,
   if the centre allows it); other windows take everyone alike;
2. people booked for now (slot start reached, minus a small lead) before walk-ins;
   walk-ins before people who came early for a later booked slot;
3. first come, first served within a class: booked people by slot time, then by
   arrival; walk-ins by arrival.

The door applies the same order to the line outside a full centre (the occupancy limit
of the small-group rule): whoever would be served first is let in first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any

from kezek.core.errors import ValidationFailed


class Rank(IntEnum):
    """Classes of the queue, in the order they are served."""

    BOOKED_NOW = 0
    WALK_IN = 1
    BOOKED_EARLY = 2


class TicketStatus(StrEnum):
    OUTSIDE = "outside"  # arrived at a full centre: waits outside until admitted
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    LEFT = "left"


ACTIVE = frozenset({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING})


GROUP_PREFIXES: dict[str, str] = {
    "identity": "A", "family_social": "B", "real_estate": "C", "land": "D", "business": "E",
    "pensions": "F", "employment": "G", "education": "H", "health": "K", "migration": "M",
    "vehicle": "V", "other": "O",
}


@dataclass(frozen=True, slots=True)
class FloorRules:
    """Per-centre settings of the floor, with the defaults reported from practice."""

    grace_minutes: int = 15  # a booked person later than this is treated as a walk-in
    early_lead_minutes: int = 5  # a booked person is "due" this long before the slot
    max_calls: int = 3  # called this many times without showing up: a no-show
    privilege_first: bool = True
    privilege_serves_others: bool = True
    group_prefixes: Mapping[str, str] = field(default_factory=lambda: dict(GROUP_PREFIXES))
    default_prefix: str = "A"
    privilege_prefix: str = "L"
    auto_admit: bool = False  # let the next person in when someone leaves the floor
    # "Your turn is near" goes to a booked person with this many (or fewer) ahead of
    # them; None: the deployment's KEZEK_TURN_NEAR_AHEAD; 0: not sent at this centre.
    turn_near_ahead: int | None = None

    def merged(self, overrides: Mapping[str, Any] | None) -> FloorRules:
        """These rules with a centre's overrides; unknown keys and bad values refused."""
        if not overrides:
            return self
        names = {f.name for f in dataclasses.fields(self)}
        unknown = set(overrides) - names
        if unknown:
            raise ValidationFailed(detail=f"unknown floor fields: {sorted(unknown)}")
        values = dict(overrides)
        if "group_prefixes" in values:
            values["group_prefixes"] = {**self.group_prefixes, **values["group_prefixes"]}
        try:
            rules = dataclasses.replace(self, **values)
        except TypeError as exc:
            raise ValidationFailed(detail=str(exc)) from exc
        return _validate(rules)

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["group_prefixes"] = dict(self.group_prefixes)
        return data


def _validate(rules: FloorRules) -> FloorRules:
    ints = (rules.grace_minutes, rules.early_lead_minutes, rules.max_calls)
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in ints):
        raise ValidationFailed(detail="minutes and calls must be whole numbers >= 0")
    near = rules.turn_near_ahead
    if near is not None and (not isinstance(near, int) or isinstance(near, bool)
                             or not 0 <= near <= 50):
        raise ValidationFailed(detail="turn_near_ahead is a whole number 0-50, or null")
    if not isinstance(rules.auto_admit, bool):
        raise ValidationFailed(detail="auto_admit is true or false")
    if rules.max_calls < 1:
        raise ValidationFailed(detail="max_calls must be at least 1")
    prefixes = [rules.default_prefix, rules.privilege_prefix, *rules.group_prefixes.values()]
    if any(not isinstance(p, str) or not 1 <= len(p) <= 3 or not p.isalpha() for p in prefixes):
        raise ValidationFailed(detail="prefixes are 1-3 letters")
    return rules


@dataclass(frozen=True, slots=True)
class Waiting:
    """A ticket waiting to be called, as the ordering rules see it."""

    ticket_id: int
    services: frozenset[str]
    arrived: dt.datetime
    booked_start: dt.datetime | None = None  # set for a booked person on time
    privileged: bool = False

    def rank(self, now: dt.datetime, rules: FloorRules) -> Rank:
        if self.booked_start is None:
            return Rank.WALK_IN
        due = self.booked_start - dt.timedelta(minutes=rules.early_lead_minutes)
        return Rank.BOOKED_NOW if now >= due else Rank.BOOKED_EARLY

    def key(self, now: dt.datetime, rules: FloorRules) -> tuple[int, dt.datetime, dt.datetime,
                                                                int]:
        rank = self.rank(now, rules)
        first = self.booked_start if self.booked_start is not None else self.arrived
        return (int(rank), first, self.arrived, self.ticket_id)


def arrival_is_on_time(booked_start: dt.datetime, arrived: dt.datetime,
                       rules: FloorRules) -> bool:
    """A booked person keeps their booking up to the grace period after its start."""
    return arrived <= booked_start + dt.timedelta(minutes=rules.grace_minutes)


def candidates_for_window(
    waiting: Iterable[Waiting], window_services: frozenset[str], window_privilege: bool,
    now: dt.datetime, rules: FloorRules,
) -> list[Waiting]:
    """Everyone this window may call now, best first.

    The database takes the first of them that no other window is taking at that moment,
    so concurrent operators do not queue behind one another for the same person.
    """
    eligible = sorted((w for w in waiting if w.services & window_services),
                      key=lambda w: w.key(now, rules))
    if window_privilege and rules.privilege_first:
        privileged = [w for w in eligible if w.privileged]
        others = [w for w in eligible if not w.privileged]
        return privileged + (others if rules.privilege_serves_others else [])
    return eligible


def next_for_window(
    waiting: Iterable[Waiting], window_services: frozenset[str], window_privilege: bool,
    now: dt.datetime, rules: FloorRules,
) -> Waiting | None:
    """The ticket this window should call now, or None if nobody it may serve waits."""
    found = candidates_for_window(waiting, window_services, window_privilege, now, rules)
    return found[0] if found else None


def ordered(waiting: Sequence[Waiting], now: dt.datetime, rules: FloorRules) -> list[Waiting]:
    """The whole queue in serving order, for the board and the manager's view."""
    return sorted(waiting, key=lambda w: w.key(now, rules))


def is_no_show(calls: int, rules: FloorRules) -> bool:
    """After `max_calls` calls without the person coming to the window."""
    return calls >= rules.max_calls


def prefix_for(sector: str, privileged: bool, rules: FloorRules) -> str:
    """A prefix per service group (sector), and one of its own for privilege tickets."""
    if privileged:
        return rules.privilege_prefix
    return rules.group_prefixes.get(sector, rules.default_prefix)


def ticket_label(prefix: str, number: int) -> str:
    """What the board shows and the announcement reads: "B-007"."""
    return f"{prefix}-{number:03d}"


def room(inside: int, limit: int | None) -> int | None:
    """Free places under the occupancy limit; None when the centre has no limit."""
    return None if limit is None else max(0, limit - inside)


def arrival_status(inside: int, outside: int, limit: int | None) -> TicketStatus:
    """Where a newcomer waits: inside only while there is room and nobody already
    waits outside, so that nobody passes the line at the door."""
    free = room(inside, limit)
    if outside > 0 or free == 0:
        return TicketStatus.OUTSIDE
    return TicketStatus.WAITING


def to_admit(outside: Sequence[Waiting], inside: int, limit: int | None, count: int | None,
             now: dt.datetime, rules: FloorRules) -> list[Waiting]:
    """Who is let in now: the head of the outside line, in the floor's order, as many
    as asked for (all, if not asked) and as there is room for."""
    if count is not None and count < 0:
        raise ValidationFailed(detail="count must be >= 0")
    free = room(inside, limit)
    take = len(outside) if free is None else free
    if count is not None:
        take = min(take, count)
    return ordered(outside, now, rules)[:take]


def place_outside(outside: Sequence[Waiting], ticket_id: int, now: dt.datetime,
                  rules: FloorRules) -> int | None:
    """A ticket's place in the outside line (1 is next in), or None if it is not there."""
    for i, w in enumerate(ordered(outside, now, rules), start=1):
        if w.ticket_id == ticket_id:
            return i
    return None
