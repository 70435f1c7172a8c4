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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Rank(IntEnum):
    """Classes of the queue, in the order they are served."""

    BOOKED_NOW = 0
    WALK_IN = 1
    BOOKED_EARLY = 2


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    LEFT = "left"


ACTIVE = frozenset({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING})


@dataclass(frozen=True, slots=True)
class FloorRules:
    """Per-centre settings of the floor, with the defaults reported from practice."""

    grace_minutes: int = 15  # a booked person later than this is treated as a walk-in
    early_lead_minutes: int = 5  # a booked person is "due" this long before the slot
    max_calls: int = 3  # called this many times without showing up: a no-show
    privilege_first: bool = True
    privilege_serves_others: bool = True
    booked_prefix: str = "B"
    walk_in_prefix: str = "W"
    privilege_prefix: str = "L"


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


def next_for_window(
    waiting: Iterable[Waiting], window_services: frozenset[str], window_privilege: bool,
    now: dt.datetime, rules: FloorRules,
) -> Waiting | None:
    """The ticket this window should call now, or None if nobody it may serve waits."""
    eligible = [w for w in waiting if w.services & window_services]
    if window_privilege and rules.privilege_first:
        privileged = [w for w in eligible if w.privileged]
        if privileged:
            eligible = privileged
        elif not rules.privilege_serves_others:
            return None
    if not eligible:
        return None
    return min(eligible, key=lambda w: w.key(now, rules))


def ordered(waiting: Sequence[Waiting], now: dt.datetime, rules: FloorRules) -> list[Waiting]:
    """The whole queue in serving order, for the board and the manager's view."""
    return sorted(waiting, key=lambda w: w.key(now, rules))


def is_no_show(calls: int, rules: FloorRules) -> bool:
    """After `max_calls` calls without the person coming to the window."""
    return calls >= rules.max_calls


def prefix_for(booked: bool, privileged: bool, rules: FloorRules) -> str:
    if privileged:
        return rules.privilege_prefix
    return rules.booked_prefix if booked else rules.walk_in_prefix


def ticket_label(prefix: str, number: int) -> str:
    """What the board shows and the announcement reads: "B-007"."""
    return f"{prefix}-{number:03d}"
