"""Who is near their turn: the pure rule behind the "your turn is near" notice.

The line a person stands in is everyone waiting before them who wants one of their
services: inside first (in the floor's order), then the line outside the door (people
outside come in only after those inside, in the same order). Windows and privilege
passes make the real order finer than that; the notice only needs "about N ahead",
and counting only the people who compete for the same services keeps a short line for
one service from being told it is long because another service's line is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kezek.core.floor import FloorRules, Waiting, ordered


def ahead_counts(inside: Sequence[Waiting], outside: Sequence[Waiting], now: dt.datetime,
                 rules: FloorRules) -> dict[int, int]:
    """For every waiting ticket, how many people stand before it in its line."""
    line = ordered(inside, now, rules) + ordered(outside, now, rules)
    out: dict[int, int] = {}
    for i, w in enumerate(line):
        out[w.ticket_id] = sum(1 for v in line[:i] if v.services & w.services)
    return out


def near(inside: Sequence[Waiting], outside: Sequence[Waiting], ahead: int,
         now: dt.datetime, rules: FloorRules) -> dict[int, int]:
    """The tickets with at most `ahead` people before them (ticket id -> how many);
    nobody when `ahead` is 0 (the notice is off)."""
    if ahead <= 0:
        return {}
    return {t: n for t, n in ahead_counts(inside, outside, now, rules).items() if n <= ahead}
